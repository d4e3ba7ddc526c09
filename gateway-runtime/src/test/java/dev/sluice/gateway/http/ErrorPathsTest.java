package dev.sluice.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.TestUpstream;
import dev.sluice.testkit.FakeFault;
import dev.sluice.testkit.FakeOpenAiUpstream;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every error the ingress answers: status, OpenAI error shape, and a message that says what to do. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorPathsTest {
  private static final String CHAT = "/v1/chat/completions";
  private TestUpstream upstreamServer;
  private FakeOpenAiUpstream upstream;
  private TestGateway gateway;

  @BeforeAll
  void start() {
    upstreamServer = TestUpstream.start();
    upstream = upstreamServer.fake();
    gateway = TestGateway.start("""
        providers:
          - {id: fake, type: openai, base_url: "%s", api_key: sk-upstream-key}
          - {id: sim, type: demo}
        models:
          - {name: m, deployments: [{provider: fake, model: gpt-upstream}]}
          - {name: other, deployments: [{provider: sim}]}
        routing: {retries: {attempts: 1}}   # each upstream error as the client sees it, not retried
        """.formatted(upstream.baseUrl()));
  }

  @BeforeEach
  void resetUpstream() {
    upstream.reset();
  }

  @AfterAll
  void stop() {
    gateway.close();
    upstreamServer.close();
  }

  private static JsonObject error(HttpResponse<String> r, int status, String type, String code) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(r.headers().firstValue("x-request-id")).isPresent();
    JsonObject e = new JsonObject(r.body()).getJsonObject("error");
    assertThat(e.fieldNames()).contains("message", "type", "code", "param");
    assertThat(e.getString("type")).isEqualTo(type);
    assertThat(e.getString("code")).isEqualTo(code);
    assertThat(e.getString("message")).isNotBlank();
    return e;
  }

  private static String chat(String model, boolean stream) {
    return new JsonObject().put("model", model).put("stream", stream)
        .put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")))
        .encode();
  }

  @Test
  void missingAndWrongKeysAre401() {
    HttpResponse<String> none = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + CHAT))
        .POST(HttpRequest.BodyPublishers.ofString(chat("m", false))).build());
    assertThat(error(none, 401, "authentication_error", "invalid_api_key").getString("message")).contains("Bearer");
    HttpResponse<String> wrong = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + CHAT))
        .header("authorization", "Bearer sk-wrong-key-123").POST(HttpRequest.BodyPublishers.ofString(chat("m", false)))
        .build());
    JsonObject e = error(wrong, 401, "authentication_error", "invalid_api_key");
    assertThat(e.getString("message")).doesNotContain("sk-wrong-key-123");
    HttpResponse<String> viaApiKeyHeader = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + CHAT))
        .header("x-api-key", TestGateway.MASTER_KEY).POST(HttpRequest.BodyPublishers.ofString(chat("m", false))).build());
    assertThat(viaApiKeyHeader.statusCode()).isEqualTo(200);
    assertThat(upstream.requestCount()).isEqualTo(1);
  }

  @Test
  void malformedRequestsAre400NamingTheParameter() {
    assertThat(error(gateway.post(CHAT, "{not json"), 400, "invalid_request_error", "invalid_request")
        .getString("message")).contains("not valid JSON");
    assertThat(error(gateway.post(CHAT, ""), 400, "invalid_request_error", "invalid_request")
        .getString("message")).contains("empty");
    assertThat(error(gateway.post(CHAT, "{\"model\":\"m\"}"), 400, "invalid_request_error", "invalid_value")
        .getString("param")).isEqualTo("messages");
    assertThat(error(gateway.post(CHAT, "{\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}"), 400,
        "invalid_request_error", "invalid_value").getString("param")).isEqualTo("messages[0].role");
    assertThat(error(gateway.post(CHAT, "{\"model\":\"m\",\"temperature\":7,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
        400, "invalid_request_error", "invalid_value").getString("message")).contains("temperature").contains("7");
    assertThat(upstream.requestCount()).isZero();
  }

  @Test
  void unknownModelIs404NamingTheModelsThereAre() {
    JsonObject e = error(gateway.post(CHAT, chat("gpt-9", false)), 404, "invalid_request_error", "model_not_found");
    assertThat(e.getString("message")).contains("gpt-9").contains("m, other");
    assertThat(e.getString("param")).isEqualTo("model");
    error(gateway.get("/v1/models/gpt-9"), 404, "invalid_request_error", "model_not_found");
  }

  @Test
  void oversizedBodyIs413() {
    String big = chat("m", false).replace("\"hi\"", "\"" + "x".repeat(70 * 1024) + "\"");
    JsonObject e = error(gateway.post(CHAT, big), 413, "invalid_request_error", "request_too_large");
    assertThat(e.getString("message")).contains("65536");
    assertThat(upstream.requestCount()).isZero();
  }

  @Test
  void unknownPathAndWrongMethod() {
    error(gateway.get("/v1/nothing"), 404, "invalid_request_error", "not_found");
    HttpResponse<String> r = gateway.get(CHAT);
    error(r, 400, "invalid_request_error", "invalid_request");
    assertThat(r.headers().firstValue("allow")).hasValue("POST");
  }

  @Test
  void upstreamRateLimitIs429WithRetryAfter() {
    upstream.enqueue(FakeFault.rateLimited(Duration.ofSeconds(7)));
    HttpResponse<String> r = gateway.post(CHAT, chat("m", false));
    assertThat(error(r, 429, "rate_limit_error", "rate_limit_exceeded").getString("message")).contains("fake");
    assertThat(r.headers().firstValue("retry-after")).hasValue("7");
  }

  @Test
  void upstreamServerErrorIs502AndUpstreamAuthFailureIsNotBlamedOnTheClient() {
    upstream.enqueue(FakeFault.status(500));
    error(gateway.post(CHAT, chat("m", false)), 502, "api_error", "upstream_error");
    upstream.enqueue(FakeFault.status(401));
    error(gateway.post(CHAT, chat("m", false)), 502, "api_error", "upstream_rejected");
    upstream.enqueue(FakeFault.contextWindow());
    error(gateway.post(CHAT, chat("m", false)), 400, "invalid_request_error", "context_length_exceeded");
  }

  @Test
  void upstreamFailureBeforeTheStreamStartsIsAPlainErrorResponse() {
    upstream.enqueue(FakeFault.status(503));
    error(gateway.post(CHAT, chat("m", true)), 502, "api_error", "upstream_error");
  }

  @Test
  void streamFailingAfterItStartedEndsWithAnErrorEvent() {
    upstream.enqueue(FakeFault.errorEventAfter(2));
    assertEndsWithErrorEvent(gateway.post(CHAT, chat("m", true)));
    upstream.enqueue(FakeFault.resetAfter(2));
    assertEndsWithErrorEvent(gateway.post(CHAT, chat("m", true)));
    upstream.enqueue(FakeFault.noDone());
    assertEndsWithErrorEvent(gateway.post(CHAT, chat("m", true)));
    // The connection pool is unharmed: the next stream is whole.
    HttpResponse<String> ok = gateway.post(CHAT, chat("m", true));
    assertThat(ok.body()).endsWith("data: [DONE]\n\n").doesNotContain("\"error\"");
  }

  private static void assertEndsWithErrorEvent(HttpResponse<String> r) {
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
    String[] events = r.body().split("\n\n");
    assertThat(events.length).isGreaterThan(1);
    String last = events[events.length - 1];
    assertThat(last).startsWith("data: ");
    JsonObject error = new JsonObject(last.substring("data: ".length())).getJsonObject("error");
    assertThat(error.getString("type")).isNotBlank();
    assertThat(error.getString("message")).isNotBlank();
    assertThat(events).noneMatch(e -> e.equals("data: [DONE]"));
    for (int i = 0; i < events.length - 1; i++) assertThat(new JsonObject(events[i].substring(6)).containsKey("choices")).isTrue();
  }

  @Test
  void unknownFieldsPassThroughAndResponsesCarryRouteHeaders() {
    HttpResponse<String> r = gateway.post(CHAT, new JsonObject(chat("m", false)).put("logit_bias", new JsonObject()
        .put("50256", -100)).put("metadata", new JsonObject().put("k", "v")).put("max_completion_tokens", 40).encode());
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject forwarded = upstream.lastRequest().body();
    assertThat(forwarded.getJsonObject("logit_bias").getInteger("50256")).isEqualTo(-100);
    assertThat(forwarded.getJsonObject("metadata").getString("k")).isEqualTo("v");
    assertThat(r.headers().firstValue("x-sluice-provider")).hasValue("fake");
    assertThat(r.headers().firstValue("x-sluice-model")).hasValue("gpt-upstream");
    assertThat(r.headers().firstValue("x-sluice-overhead-ms")).hasValueSatisfying(v ->
        assertThat(Double.parseDouble(v)).isBetween(0.0, 1000.0));
    HttpResponse<String> withId = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + CHAT))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("x-request-id", "client-id-42")
        .POST(HttpRequest.BodyPublishers.ofString(chat("other", false))).build());
    assertThat(withId.headers().firstValue("x-request-id")).hasValue("client-id-42");
    assertThat(withId.headers().firstValue("x-sluice-provider")).hasValue("sim");
  }

  @Test
  void healthEndpointsNeedNoKey() {
    HttpResponse<String> live = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/health/live")).build());
    assertThat(live.statusCode()).isEqualTo(200);
    HttpResponse<String> ready = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/health/ready")).build());
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(ready.body()).getInteger("models")).isEqualTo(2);
  }
}
