package dev.sluice.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.TestUpstream;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every client string that can reach storage (model, user, metadata and its tags) is bounded at ingress, on every
 * route and both wire formats: out of bounds is a 400 naming the field, in the route's error shape, and the
 * upstream is never called.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngressBoundsTest {
  private TestUpstream upstream;
  private TestGateway gateway;

  @BeforeAll
  void start() {
    upstream = TestUpstream.start();
    gateway = TestGateway.start("""
        providers: [{id: fake, type: openai, base_url: "%s", api_key: sk-upstream-key}]
        models: [{name: m, deployments: [{provider: fake, model: gpt-upstream}]}]
        """.formatted(upstream.fake().baseUrl()));
  }

  @AfterAll
  void stop() {
    gateway.close();
    upstream.close();
  }

  private HttpResponse<String> post(String path, JsonObject body, String metadataHeader) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url() + path))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    if (metadataHeader != null) b.header("x-sluice-metadata", metadataHeader);
    return TestGateway.send(b.build());
  }

  private static JsonObject chat(String model) {
    return new JsonObject().put("model", model).put("max_tokens", 5)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
  }

  /** The OpenAI error shape, naming {@code param}. */
  private static void openAi(HttpResponse<String> r, String param) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonObject e = new JsonObject(r.body()).getJsonObject("error");
    assertThat(e.getString("type")).isEqualTo("invalid_request_error");
    assertThat(e.getString("param")).isEqualTo(param);
    assertThat(e.getString("message")).isNotBlank().hasSizeLessThan(400);
  }

  /** Anthropic's error shape, its message naming {@code field}. */
  private static void anthropic(HttpResponse<String> r, String field) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("type")).isEqualTo("error");
    assertThat(body.getJsonObject("error").getString("type")).isEqualTo("invalid_request_error");
    assertThat(body.getJsonObject("error").getString("message")).contains(field).hasSizeLessThan(400);
  }

  @Test
  void aHugeModelIsRefusedOnEveryRouteAndFormatWithoutAnUpstreamCall() {
    int before = upstream.fake().requestCount();
    String huge = "x".repeat(9000);
    openAi(post("/v1/chat/completions", chat(huge), null), "model");
    openAi(post("/v1/chat/completions", chat(huge).put("stream", true), null), "model");
    openAi(post("/v1/embeddings", new JsonObject().put("model", huge).put("input", "hi"), null), "model");
    anthropic(post("/v1/messages", chat(huge), null), "model");
    openAi(post("/v1/chat/completions", chat("m\u0000x"), null), "model");
    assertThat(upstream.fake().requestCount()).isEqualTo(before);
    // At the limit it is only a name no model has: a 404, as before.
    assertThat(post("/v1/chat/completions", chat("y".repeat(256)), null).statusCode()).isEqualTo(404);
  }

  @Test
  void theEndUserIsBoundedInBothFormats() {
    openAi(post("/v1/chat/completions", chat("m").put("user", "u".repeat(257)), null), "user");
    openAi(post("/v1/embeddings", new JsonObject().put("model", "m").put("input", "hi").put("user", "u".repeat(300)),
        null), "user");
    anthropic(post("/v1/messages", chat("m").put("metadata", new JsonObject().put("user_id", "u".repeat(300))), null),
        "metadata.user_id");
    assertThat(post("/v1/chat/completions", chat("m").put("user", "u".repeat(256)), null).statusCode()).isEqualTo(200);
  }

  @Test
  void metadataAndItsTagsAreBoundedInTheHeaderAndTheBody() {
    JsonObject many = new JsonObject();
    for (int i = 0; i < 17; i++) many.put("t" + i, "v");
    openAi(post("/v1/chat/completions", chat("m"), many.encode()), "x-sluice-metadata");
    anthropic(post("/v1/messages", chat("m"), many.encode()), "x-sluice-metadata");
    openAi(post("/v1/chat/completions", chat("m"), "{\"feature\":\"" + "v".repeat(513) + "\"}"),
        "x-sluice-metadata.feature");
    openAi(post("/v1/chat/completions", chat("m"), "{\"" + "k".repeat(65) + "\":1}"), "x-sluice-metadata");
    openAi(post("/v1/chat/completions", chat("m"), "{\"nested\":{\"a\":1}}"), "x-sluice-metadata.nested");
    openAi(post("/v1/chat/completions", chat("m"), "not json"), "x-sluice-metadata");
    openAi(post("/v1/embeddings", new JsonObject().put("model", "m").put("input", "hi"), many.encode()),
        "x-sluice-metadata");
    openAi(post("/v1/chat/completions", chat("m").put("metadata", many), null), "metadata");
    openAi(post("/v1/chat/completions", chat("m").put("metadata", new JsonObject().put("a", "v".repeat(600))), null),
        "metadata.a");
    openAi(post("/v1/chat/completions", chat("m").put("metadata", "text"), null), "metadata");
    // Within bounds: 16 tags of 64-character names and 512-character values in the body, 16 tags in the header.
    JsonObject full = new JsonObject();
    JsonObject tags = new JsonObject();
    for (int i = 0; i < 16; i++) {
      full.put(("k" + i + "_").repeat(30).substring(0, 64), "v".repeat(512));
      tags.put("t" + i, i % 2 == 0 ? "v".repeat(100) : i);
    }
    assertThat(post("/v1/chat/completions", chat("m").put("metadata", full), tags.encode()).statusCode())
        .isEqualTo(200);
  }
}
