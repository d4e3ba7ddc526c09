package dev.sluice.gateway.routing;

import static dev.sluice.gateway.routing.Fakes.chat;
import static dev.sluice.gateway.routing.Fakes.provider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.gateway.Gateway;
import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.config.ConfigException;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.tck.Await;
import dev.sluice.testkit.FakeOpenAiUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hot reload from the config file, rejection of a bad one, and the routing section's validation messages. */
class ReloadAndValidationTest {
  private static final String CHAT = "/v1/chat/completions";

  private static String yaml(FakeOpenAiUpstream a, FakeOpenAiUpstream b, String target, String extra) {
    return "server: {port: 0, master_key: " + TestGateway.MASTER_KEY + ", event_loops: 1, drain_timeout: 2s}\n"
        + "plugins: {dir: \"" + TestGateway.pluginsDir() + "\"}\n"
        + "providers:\n" + provider("a", a) + provider("b", b)
        + "models:\n  - {name: m, deployments: [{provider: " + target + ", model: x}]}\n"
        + "routing: {watch: 200ms}\n" + extra;
  }

  @Test
  void reloadUnderLoadDropsNoRequestAndABadConfigIsRejected(@TempDir Path dir) throws Exception {
    try (Fakes fakes = new Fakes()) {
      FakeOpenAiUpstream a = fakes.start().latency(20);
      FakeOpenAiUpstream b = fakes.start().latency(20);
      Path file = dir.resolve("config.yaml");
      Files.writeString(file, yaml(a, b, "a", ""));
      Vertx vertx = Vertx.vertx();
      Gateway gateway = TestGateway.await(Gateway.start(vertx, ConfigLoader.load(file, Map.<String, String>of()::get,
          dir)));
      String url = "http://127.0.0.1:" + gateway.port();
      try {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
          boolean stream = i % 2 == 0;
          all.add(CompletableFuture.supplyAsync(() -> post(url, CHAT, chat("m", stream)).statusCode(), pool));
          if (i % 60 == 30) {
            Files.writeString(file, yaml(a, b, i % 120 == 30 ? "b" : "a", ""));
            HttpResponse<String> r = post(url, "/admin/config/reload", "");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
          }
        }
        for (CompletableFuture<Integer> f : all) assertThat(f.get()).isEqualTo(200);
        pool.shutdown();
        assertThat(a.requestCount()).isPositive();
        assertThat(b.requestCount()).isPositive();

        // A bad config is rejected with its problems; the old routing keeps serving.
        Files.writeString(file, yaml(a, b, "b", "  \n").replace("routing: {watch: 200ms}",
            "routing: {watch: 200ms, fallbacks: [{from: m, to: [nope]}]}"));
        HttpResponse<String> bad = post(url, "/admin/config/reload", "");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(bad.body()).getJsonObject("error").getJsonArray("problems").encode())
            .contains("routing.fallbacks[0].to[0]").contains("nope");
        assertThat(post(url, CHAT, chat("m", false)).statusCode()).isEqualTo(200);

        // A file change alone is picked up (routing.watch).
        b.reset();
        Files.writeString(file, yaml(a, b, "b", "").replace("name: m,", "name: m, aliases: [m2],"));
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Await.until("the watcher reloads the changed file",
            () -> post(url, CHAT, chat("m2", false)).statusCode() == 200);
        assertThat(b.requestCount()).isPositive();

        // Admin endpoints need an admin key; /admin/models shows every deployment's state.
        JsonObject models = new JsonObject(TestGateway.send(HttpRequest.newBuilder(URI.create(url + "/admin/models"))
            .header("authorization", "Bearer " + TestGateway.MASTER_KEY).build()).body());
        assertThat(models.getJsonArray("models").getJsonObject(0).getJsonArray("deployments").getJsonObject(0)
            .fieldNames()).contains("breaker", "in_flight", "latency_ms", "ttft_ms", "error_rate", "cooldown_ms");
      } finally {
        TestGateway.await(gateway.stop());
        TestGateway.await(vertx.close());
      }
    }
  }

  private static HttpResponse<String> post(String url, String path, String body) {
    return TestGateway.send(HttpRequest.newBuilder(URI.create(url + path))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static String problems(String routing) {
    String yaml = """
        providers: [{id: p, type: demo}]
        models:
          - {name: m, aliases: [mm], deployments: [{provider: p}]}
          - {name: big, deployments: [{provider: p, model: b}]}
        """ + routing;
    try {
      TestGateway.config(yaml);
    } catch (ConfigException e) {
      return String.join("\n", e.problems());
    }
    throw new AssertionError("config was accepted:\n" + yaml);
  }

  @Test
  void routingErrorsNameThePathAndTheBadValue() {
    assertThat(problems("routing: {fallbacks: [{from: m, to: [big]}, {from: \"*\", on: [meltdown], to: [big]}, "
        + "{from: mm, to: [gpt-9]}]}"))
        .contains("routing.fallbacks[1].on[0]: invalid value 'meltdown'")
        .contains("routing.fallbacks[2].to[0]: invalid value 'gpt-9': no model has this name or alias");
    assertThat(problems("routing: {rules: [{when: {team: a}, route: nowhere}, {when: {tokens: {gt: many}}, route: big}]}"))
        .contains("routing.rules[0].route: invalid value 'nowhere'")
        .contains("routing.rules[1].when.tokens.gt: invalid value 'many': expected a number");
    assertThat(problems("routing: {retries: {attempts: 0, on: [404]}, timeouts: {total: 10}, colour: red}"))
        .contains("routing.colour: unknown key")
        .contains("routing.retries.on[0]: invalid value 404")
        .contains("routing.timeouts.total: invalid value 10: a duration needs a unit");
    assertThat(problems("routing: {breaker: {failure_ratio: 2}, rules: [{when: {planet: mars}, route: m}]}"))
        .contains("routing.breaker.failure_ratio: invalid value 2")
        .contains("routing.rules[0].when.planet: unknown key");
    assertThat(problems("routing: {}\nmodels_extra: 1\n")).contains("models_extra: unknown key");
    assertThatThrownBy(() -> TestGateway.start("""
        providers: [{id: p, type: demo}]
        models: [{name: m, deployments: [{provider: p}]}]
        routing: {strategy: fastest-please}
        """)).isInstanceOf(ConfigException.class).hasMessageContaining("routing.strategy: invalid value 'fastest-please'")
        .hasMessageContaining("least-latency");
  }
}
