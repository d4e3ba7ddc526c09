package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.gateway.config.ConfigException;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload builds providers exactly as start does: the same problems in the same order for the same bad config,
 * and the same providers and skipped-provider warnings for a good one (both go through {@link ProviderBuilder}).
 */
class ProviderBuildParityTest {
  /** An environment variable no machine sets: its provider is skipped with a warning. */
  private static final String UNSET = "SLUICE_PARITY_TEST_UNSET_KEY_4711";

  private static String yaml(String providers, String routing) {
    return "server: {port: 0, master_key: " + TestGateway.MASTER_KEY + ", event_loops: 1, drain_timeout: 1s}\n"
        + "plugins: {dir: \"" + TestGateway.pluginsDir() + "\"}\n"
        + "providers:\n"
        + "  - {id: sim, type: demo}\n"
        + "  - {id: gone, type: openai, api_key: \"${" + UNSET + "}\"}\n"
        + providers
        + "models:\n  - {name: m, deployments: [{provider: sim, model: x}, {provider: gone, model: y}]}\n"
        + routing;
  }

  private static final String BAD = yaml(""
      + "  - {id: typo, type: opeani}\n"
      + "  - {id: headers, type: openai, api_key: k, headers: {\"bad header\": v}}\n"
      + "  - {id: azure, type: azure}\n",
      "routing: {strategy: fastest, rules: [{when: {model: auto}, strategy: cheapest-capable, candidates: [m],"
          + " estimator: psychic}]}\n");

  private static GatewayConfig load(Path file) {
    return ConfigLoader.load(file, System::getenv, file.getParent());
  }

  @Test
  void aReloadRefusesAndAcceptsConfigsExactlyAsStartDoes(@TempDir Path dir) throws Exception {
    assertThat(System.getenv(UNSET)).isNull();
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, BAD);
    Vertx vertx = Vertx.vertx();
    try {
      // Start: every problem of the bad config, providers first, then strategies and estimators.
      ConfigException atStart = catchThrowableOfType(() -> TestGateway.await(Gateway.start(vertx, load(file))),
          ConfigException.class);
      assertThat(atStart).isNotNull();
      List<String> startProblems = atStart.problems();
      assertThat(startProblems).hasSize(5);
      assertThat(startProblems.get(0)).contains("providers[2].type").contains("opeani").contains("types: ");
      assertThat(startProblems.get(1)).contains("providers[3].headers");
      assertThat(startProblems.get(2)).contains("providers[4]").contains("base_url");
      assertThat(startProblems.get(3)).contains("routing.strategy").contains("fastest");
      assertThat(startProblems.get(4)).contains("routing.rules[0].estimator").contains("psychic");

      // A good config starts; the skipped provider is a warning, not a problem.
      String good = yaml("", "routing: {strategy: weighted}\n");
      Files.writeString(file, good);
      GatewayConfig goodConfig = load(file);
      assertThat(goodConfig.warnings()).anyMatch(w -> w.contains("provider 'gone' skipped") && w.contains(UNSET));
      Gateway gateway = TestGateway.await(Gateway.start(vertx, goodConfig));
      try {
        String url = "http://127.0.0.1:" + gateway.port();
        // Reloading the same good file: the same providers and the same warnings as at start.
        HttpResponse<String> same = reload(url);
        assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
        JsonObject reloaded = new JsonObject(same.body());
        assertThat(reloaded.getJsonArray("providers")).isEqualTo(new JsonArray().add("sim"));
        assertThat(reloaded.getJsonArray("warnings")).isEqualTo(new JsonArray(goodConfig.warnings()));

        // Reloading the bad file: refused with exactly the problems start gave, in the same order.
        Files.writeString(file, BAD);
        HttpResponse<String> bad = reload(url);
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
        assertThat(new JsonObject(bad.body()).getJsonObject("error").getJsonArray("problems"))
            .isEqualTo(new JsonArray(startProblems));

        // And the old routing still serves.
        HttpResponse<String> chat = TestGateway.send(HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions"))
            .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}]}")).build());
        assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
      } finally {
        TestGateway.await(gateway.stop());
      }
    } finally {
      TestGateway.await(vertx.close());
    }
  }

  private static HttpResponse<String> reload(String url) {
    return TestGateway.send(HttpRequest.newBuilder(URI.create(url + "/admin/config/reload"))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).POST(HttpRequest.BodyPublishers.noBody()).build());
  }
}
