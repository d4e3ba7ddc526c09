package dev.sluice.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.TestUpstream;
import dev.sluice.tck.Await;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who may scrape {@code /metrics}, turning it off, and prompt logging switched on explicitly. */
class MetricsAccessTest {
  private static final String MODELS = """
      providers: [{id: up, type: openai, base_url: "%s", api_key: sk-upstream-key-for-access}]
      models: [{name: chat-a, deployments: [{provider: up, model: model-a}]}]
      """;

  static HttpResponse<String> get(TestGateway g, String key) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(g.url() + "/metrics")).GET();
    if (key != null) b.header("authorization", "Bearer " + key);
    return TestGateway.send(b.build());
  }

  @Test
  void aRequiredKeyGuardsTheScrapeAndPromptsAreLoggedOnlyWhenAskedFor() {
    try (TestUpstream upstream = TestUpstream.start(); CapturedLogs logs = CapturedLogs.attach();
         TestGateway g = TestGateway.start(MODELS.formatted(upstream.fake().baseUrl()) + """
             observability: {metrics: {require_key: true}, log_prompts: true}
             """)) {
      HttpResponse<String> open = get(g, null);
      assertThat(open.statusCode()).isEqualTo(401);
      assertThat(open.body()).contains("authentication_error");
      assertThat(get(g, "sk-not-a-key-at-all").statusCode()).isEqualTo(401);
      HttpResponse<String> scraped = get(g, TestGateway.MASTER_KEY);
      assertThat(scraped.statusCode()).isEqualTo(200);
      assertThat(scraped.body()).contains("sluice_circuit_breaker_state{");
      HttpResponse<String> post = TestGateway.send(HttpRequest.newBuilder(URI.create(g.url() + "/metrics"))
          .header("authorization", "Bearer " + TestGateway.MASTER_KEY).POST(HttpRequest.BodyPublishers.noBody())
          .build());
      assertThat(post.statusCode()).isEqualTo(400);
      assertThat(post.headers().firstValue("allow")).hasValue("GET");

      // An observer that throws affects neither the answer nor the observers after it.
      List<RequestRecord> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
      g.gateway().observers().add(r -> {
        throw new IllegalStateException("observer bug");
      });
      g.gateway().observers().add(seen::add);
      HttpResponse<String> streamed = g.post("/v1/chat/completions", "{\"model\":\"chat-a\",\"stream\":true,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"log this prompt\"}]}");
      assertThat(streamed.statusCode()).isEqualTo(200);
      StringBuilder text = new StringBuilder();
      for (String line : streamed.body().split("\n")) {
        if (!line.startsWith("data: {")) continue;
        for (Object c : new JsonObject(line.substring(6)).getJsonArray("choices")) {
          String t = ((JsonObject) c).getJsonObject("delta").getString("content");
          if (t != null) text.append(t);
        }
      }
      String id = streamed.headers().firstValue("x-request-id").orElseThrow();
      logs.awaitLine(id);
      List<JsonObject> lines = logs.access().stream().map(JsonObject::new)
          .filter(l -> id.equals(l.getString("request_id"))).toList();
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0).getJsonArray("messages").getJsonObject(0).getString("content"))
          .isEqualTo("log this prompt");
      assertThat(text).isNotEmpty();
      assertThat(lines.get(0).getString("completion")).isEqualTo(text.toString());
      assertThat(lines.get(0).getString("key_prefix")).isEqualTo("master");
      Await.until("the observer is told of the request", () -> !seen.isEmpty());
      assertThat(seen).extracting(RequestRecord::requestId).containsExactly(id);
      assertThat(seen.get(0).completion()).isEqualTo(text.toString());
      assertThat(logs.all()).anyMatch(l -> l.contains("observer bug"));
    }
  }

  @Test
  void anUnknownModelIsNeverALabelAndEmbeddingsAreObservedToo() {
    try (TestUpstream upstream = TestUpstream.start(); CapturedLogs logs = CapturedLogs.attach();
         TestGateway g = TestGateway.start(MODELS.formatted(upstream.fake().baseUrl()))) {
      HttpResponse<String> unknown = g.post("/v1/chat/completions", "{\"model\":\"nope-model-7731\","
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
      assertThat(unknown.statusCode()).isEqualTo(404);
      HttpResponse<String> embedded = g.post("/v1/embeddings", "{\"model\":\"chat-a\",\"input\":[\"one\",\"two\"]}");
      assertThat(embedded.statusCode()).as(embedded.body()).isEqualTo(200);
      long tokens = new JsonObject(embedded.body()).getJsonObject("usage").getLong("prompt_tokens");
      JsonObject line = logs.awaitLine(embedded.headers().firstValue("x-request-id").orElseThrow());
      assertThat(line.getString("operation")).isEqualTo("embeddings");
      assertThat(line.getLong("tokens_in")).isEqualTo(tokens);
      JsonObject missing = logs.awaitLine(unknown.headers().firstValue("x-request-id").orElseThrow());
      assertThat(missing.getString("model_requested")).isEqualTo("nope-model-7731");
      assertThat(missing.getString("model")).isNull();
      assertThat(missing.getString("error_type")).isEqualTo("model_not_found");

      HttpResponse<String> scraped = get(g, null);
      assertThat(scraped.statusCode()).isEqualTo(200);
      assertThat(scraped.body()).doesNotContain("nope-model-7731");
      Prometheus m = Prometheus.parse(scraped.body());
      assertThat(m.sum("sluice_requests_total", "model=unknown", "status_class=4xx")).isEqualTo(1);
      assertThat(m.sum("sluice_requests_total", "model=chat-a", "status_class=2xx", "team=none")).isEqualTo(1);
      assertThat(m.sum("sluice_tokens_total", "model=chat-a", "type=prompt")).isEqualTo(tokens);
    }
  }

  @Test
  void deploymentsAddedByAReloadGetABreakerGauge(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    try (TestUpstream upstream = TestUpstream.start()) {
      String head = "server: {port: 0, master_key: " + TestGateway.MASTER_KEY + ", event_loops: 1}\n"
          + "plugins: {dir: \"" + TestGateway.pluginsDir() + "\"}\n"
          + "providers: [{id: up, type: openai, base_url: \"" + upstream.fake().baseUrl() + "\", api_key: k}]\n"
          + "models:\n  - {name: chat-a, deployments: [{provider: up, model: model-a}]}\n";
      java.nio.file.Path file = dir.resolve("config.yaml");
      java.nio.file.Files.writeString(file, head);
      io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
      try {
        dev.sluice.gateway.Gateway gw = TestGateway.await(dev.sluice.gateway.Gateway.start(vertx,
            dev.sluice.gateway.config.ConfigLoader.load(file, java.util.Map.<String, String>of()::get, TestGateway.root())));
        String url = "http://127.0.0.1:" + gw.port();
        java.util.function.Supplier<Prometheus> scrape = () -> Prometheus.parse(TestGateway.send(HttpRequest
            .newBuilder(URI.create(url + "/metrics")).GET().build()).body());
        assertThat(scrape.get().matching("sluice_circuit_breaker_state")).extracting(x -> x.labels().get("deployment"))
            .containsExactly("model-a");
        java.nio.file.Files.writeString(file, head + "  - {name: chat-b, deployments: [{provider: up, model: model-b}]}\n");
        HttpResponse<String> reload = TestGateway.send(HttpRequest.newBuilder(URI.create(url + "/admin/config/reload"))
            .header("authorization", "Bearer " + TestGateway.MASTER_KEY).POST(HttpRequest.BodyPublishers.noBody())
            .build());
        assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
        assertThat(scrape.get().matching("sluice_circuit_breaker_state")).extracting(x -> x.labels().get("deployment"))
            .containsExactlyInAnyOrder("model-a", "model-b");
        TestGateway.await(gw.stop());
      } finally {
        TestGateway.await(vertx.close());
      }
    }
  }

  @Test
  void metricsAndTheAccessLogCanBeTurnedOff() {
    try (TestUpstream upstream = TestUpstream.start(); CapturedLogs logs = CapturedLogs.attach();
         TestGateway g = TestGateway.start(MODELS.formatted(upstream.fake().baseUrl()) + """
             observability: {metrics: {enabled: false}, access_log: {enabled: false}}
             """)) {
      assertThat(get(g, TestGateway.MASTER_KEY).statusCode()).isEqualTo(404);
      assertThat(g.post("/v1/chat/completions", "{\"model\":\"chat-a\",\"messages\":[{\"role\":\"user\","
          + "\"content\":\"hi\"}]}").statusCode()).isEqualTo(200);
      assertThat(logs.access()).isEmpty();
    }
  }
}
