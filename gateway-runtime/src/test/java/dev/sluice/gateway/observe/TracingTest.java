package dev.sluice.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.TestUpstream;
import dev.sluice.gateway.config.ObservabilityConfig;
import dev.sluice.tck.Await;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Spans from real requests: one SERVER span per request, one CLIENT span per attempt, GenAI attributes. */
class TracingTest {
  private static final String MODELS = """
      providers: [{id: up, type: openai, base_url: "%s", api_key: sk-upstream-key-for-traces}]
      models: [{name: chat-a, deployments: [{provider: up, model: model-a}]}]
      routing: {retries: {attempts: 2, backoff: 1ms, max_backoff: 2ms}}
      """;
  private static final String BODY = "{\"model\":\"chat-a\",\"max_tokens\":20,\"temperature\":0.25,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"trace me\"}]}";
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT_ID = "00f067aa0ba902b7";

  static HttpResponse<String> chat(TestGateway gateway, String traceparent) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/chat/completions"))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(BODY));
    if (traceparent != null) b.header("traceparent", traceparent);
    return TestGateway.send(b.build());
  }

  static List<SpanData> awaitSpans(InMemorySpanExporter exporter, int n) {
    Await.until(n + " spans are exported", Duration.ofSeconds(10), () -> exporter.getFinishedSpanItems().size() >= n);
    return exporter.getFinishedSpanItems();
  }

  @Test
  void aRetriedRequestIsAServerSpanOverTwoClientSpansUnderTheCallersTrace() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (TestUpstream upstream = TestUpstream.start();
         TestGateway gateway = TestGateway.start(MODELS.formatted(upstream.fake().baseUrl()))) {
      gateway.gateway().observers().add(Tracing.simple(ObservabilityConfig.DEFAULT.tracing(), exporter,
          Map.of("up", "openai")));
      upstream.fake().failNext(1, 500);
      HttpResponse<String> r = chat(gateway, "00-" + TRACE_ID + "-" + PARENT_ID + "-01");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonObject usage = new JsonObject(r.body()).getJsonObject("usage");

      List<SpanData> spans = awaitSpans(exporter, 3);
      assertThat(spans).hasSize(3);
      SpanData server = spans.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
      List<SpanData> clients = spans.stream().filter(s -> s.getKind() == SpanKind.CLIENT)
          .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
      assertThat(clients).hasSize(2);
      // The caller's trace continues: the request span is the child of its traceparent.
      assertThat(server.getTraceId()).isEqualTo(TRACE_ID);
      assertThat(server.getParentSpanId()).isEqualTo(PARENT_ID);
      assertThat(server.getName()).isEqualTo("chat chat-a");
      assertThat(server.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name"))).isEqualTo("chat");
      assertThat(server.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model"))).isEqualTo("chat-a");
      assertThat(server.getAttributes().get(AttributeKey.stringKey("gen_ai.response.model"))).isEqualTo("model-a");
      assertThat(server.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name"))).isEqualTo("openai");
      assertThat(server.getAttributes().get(AttributeKey.stringKey("gen_ai.system"))).isEqualTo("openai");
      assertThat(server.getAttributes().get(AttributeKey.longKey("gen_ai.request.max_tokens"))).isEqualTo(20);
      assertThat(server.getAttributes().get(AttributeKey.doubleKey("gen_ai.request.temperature"))).isEqualTo(0.25);
      assertThat(server.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")))
          .isEqualTo(usage.getLong("prompt_tokens"));
      assertThat(server.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")))
          .isEqualTo(usage.getLong("completion_tokens"));
      assertThat(server.getAttributes().get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
          .containsExactly("stop");
      assertThat(server.getAttributes().get(AttributeKey.stringKey("sluice.request_id")))
          .isEqualTo(r.headers().firstValue("x-request-id").orElseThrow());
      assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
      // Attempts: children of the request span, inside its time, the first failed.
      for (SpanData c : clients) {
        assertThat(c.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(c.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(c.getName()).isEqualTo("chat model-a");
        assertThat(c.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model"))).isEqualTo("model-a");
        assertThat(c.getStartEpochNanos()).isGreaterThanOrEqualTo(server.getStartEpochNanos());
        assertThat(c.getEndEpochNanos()).isLessThanOrEqualTo(server.getEndEpochNanos());
      }
      assertThat(clients.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(clients.get(0).getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("upstream_error");
      assertThat(clients.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
      assertThat(clients.get(1).getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")))
          .isEqualTo(usage.getLong("completion_tokens"));
      assertThat(clients.get(1).getAttributes().get(AttributeKey.longKey("sluice.attempt"))).isEqualTo(2);
    }
  }

  @Test
  void aFailedRequestHasAnErrorStatusAndNoSpansWhenNothingIsSampled() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    InMemorySpanExporter none = InMemorySpanExporter.create();
    ObservabilityConfig.Tracing t = ObservabilityConfig.DEFAULT.tracing();
    try (TestUpstream upstream = TestUpstream.start();
         TestGateway gateway = TestGateway.start(MODELS.formatted(upstream.fake().baseUrl()))) {
      // The unsampled one first: by the time the other has its spans, it has seen the request too.
      gateway.gateway().observers().add(Tracing.simple(new ObservabilityConfig.Tracing(true, t.endpoint(), 0.0,
          "sluice", Map.of(), t.timeout()), none, Map.of()));
      gateway.gateway().observers().add(Tracing.simple(t, exporter, Map.of()));
      upstream.fake().failNext(2, 503);
      HttpResponse<String> r = chat(gateway, null);
      assertThat(r.statusCode()).isGreaterThanOrEqualTo(500);
      List<SpanData> spans = awaitSpans(exporter, 3);
      SpanData server = spans.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
      assertThat(server.getParentSpanContext().isValid()).isFalse();
      assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(server.getAttributes().get(AttributeKey.stringKey("error.type"))).isNotBlank();
      assertThat(server.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
          .isEqualTo(r.statusCode());
      assertThat(spans.stream().filter(s -> s.getKind() == SpanKind.CLIENT)
          .allMatch(s -> s.getStatus().getStatusCode() == StatusCode.ERROR)).isTrue();
      assertThat(none.getFinishedSpanItems()).isEmpty();
    }
  }

  /** The configured OTLP/HTTP exporter posts protobuf spans to a collector; here a Vert.x server on loopback. */
  @Test
  void theOtlpExporterSendsSpansToTheConfiguredCollector() {
    Vertx vertx = Vertx.vertx();
    List<String> paths = new CopyOnWriteArrayList<>();
    List<String> types = new CopyOnWriteArrayList<>();
    List<String> tokens = new CopyOnWriteArrayList<>();
    List<Buffer> bodies = new CopyOnWriteArrayList<>();
    HttpServer collector = TestGateway.await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      paths.add(req.path());
      types.add(req.getHeader("content-type"));
      tokens.add(String.valueOf(req.getHeader("x-collector-token")));
      bodies.add(b);
      req.response().putHeader("content-type", "application/x-protobuf").end();
    })).listen(0, "127.0.0.1"));
    try (TestUpstream upstream = TestUpstream.start()) {
      TestGateway gateway = TestGateway.start(MODELS.formatted(upstream.fake().baseUrl()) + """
          observability:
            tracing: {enabled: true, endpoint: "http://127.0.0.1:%d/v1/traces", sample_ratio: 1.0,
                      service_name: sluice-test, headers: {x-collector-token: t0k3n}}
          """.formatted(collector.actualPort()));
      try {
        assertThat(chat(gateway, null).statusCode()).isEqualTo(200);
      } finally {
        gateway.close(); // flushes the batch
      }
      assertThat(paths).isNotEmpty().allMatch("/v1/traces"::equals);
      assertThat(types).allMatch("application/x-protobuf"::equals);
      assertThat(tokens).allMatch("t0k3n"::equals);
      String all = bodies.stream().map(b -> new String(b.getBytes(), StandardCharsets.ISO_8859_1))
          .reduce("", String::concat);
      assertThat(all).contains("gen_ai.operation.name").contains("gen_ai.request.model").contains("chat-a")
          .contains("sluice-test").contains("model-a");
    } finally {
      TestGateway.await(vertx.close());
    }
  }
}
