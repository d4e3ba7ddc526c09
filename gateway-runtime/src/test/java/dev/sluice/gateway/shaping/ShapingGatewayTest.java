package dev.sluice.gateway.shaping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.testkit.FakeOpenAiUpstream;
import dev.sluice.testkit.RecordedRequest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shape step through the real gateway on loopback: what the upstream receives, and the headers. */
class ShapingGatewayTest {
  static Vertx upstreamVertx;
  static FakeOpenAiUpstream upstream;
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    upstreamVertx = Vertx.vertx();
    upstream = TestGateway.await(FakeOpenAiUpstream.start(upstreamVertx));
    gateway = TestGateway.start("""
        providers:
          - {id: up, type: openai, base_url: "%s", api_key: x}
          - {id: demo, type: demo, latency: 0s, tokens_per_second: 0, first_token: 0s}
        models:
          - {name: big, deployments: [{provider: up, model: big-model}]}
          - {name: small, deployments: [{provider: up, model: small-model}]}
          - {name: sim, deployments: [{provider: demo, model: claude-sim}]}
          - {name: tiny, capabilities: {context_window: 3000}, deployments: [{provider: up, model: tiny-model}]}
        routing:
          rules:
            - {when: {metadata: {feature: compress}}, compression: {}}
            - {when: {metadata: {feature: compact}}, compaction: {max_tokens: 700, keep_recent_turns: 1, summarize_with: small}}
            - {when: {metadata: {feature: cache}}, prompt_cache: {min_tokens: 1024}}
            - {when: {metadata: {feature: fit}}, compaction: {fit_window: true, keep_recent_turns: 1}}
            - {when: {metadata: {feature: both}}, compression: {}, compaction: {max_tokens: 400, keep_recent_turns: 1}}
        """.formatted(upstream.baseUrl()));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) gateway.close();
    if (upstreamVertx != null) TestGateway.await(upstreamVertx.close());
  }

  @BeforeEach
  void reset() {
    upstream.reset();
  }

  static HttpResponse<String> chat(String feature, JsonObject body) {
    return TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/chat/completions"))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "application/json")
        .header("x-sluice-metadata", new JsonObject().put("feature", feature).encode())
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build());
  }

  static JsonObject msg(String role, String content) {
    return new JsonObject().put("role", role).put("content", content);
  }

  @Test
  void compressionSendsMinifiedJsonAndCountsTheTokensSaved() {
    String pretty = new JsonObject().put("order", 1234).put("items", new JsonArray().add("tea").add("cups"))
        .put("status", "shipped").encodePrettily();
    JsonObject body = new JsonObject().put("model", "big").put("messages", new JsonArray()
        .add(msg("system", "You are   a helpful    assistant.   \n\n\n\nBe brief."))
        .add(msg("user", "Where is my order?"))
        .add(new JsonObject().put("role", "assistant").put("tool_calls", new JsonArray().add(new JsonObject()
            .put("id", "call_1").put("type", "function").put("function", new JsonObject().put("name", "order")
                .put("arguments", "{ \"id\" : 1234 }")))))
        .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_1").put("content", pretty)));
    HttpResponse<String> r = chat("compress", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(Integer.parseInt(r.headers().firstValue("x-sluice-tokens-saved").orElseThrow())).isPositive();
    JsonArray sent = upstream.lastRequest().body().getJsonArray("messages");
    assertThat(sent.getJsonObject(0).getString("content")).isEqualTo("You are a helpful assistant.\n\nBe brief.");
    assertThat(sent.getJsonObject(3).getString("content"))
        .isEqualTo("{\"order\":1234,\"items\":[\"tea\",\"cups\"],\"status\":\"shipped\"}");
    assertThat(sent.getJsonObject(2).getJsonArray("tool_calls").getJsonObject(0).getJsonObject("function")
        .getString("arguments")).isEqualTo("{\"id\":1234}");

    HttpResponse<String> streamed = chat("compress", body.copy().put("stream", true));
    assertThat(streamed.statusCode()).isEqualTo(200);
    assertThat(streamed.headers().firstValue("x-sluice-tokens-saved")).isPresent();
    assertThat(streamed.body()).contains("data: [DONE]");

    HttpResponse<String> untouched = chat("none", body);
    assertThat(untouched.headers().firstValue("x-sluice-tokens-saved")).isEmpty();
    assertThat(upstream.lastRequest().body().getJsonArray("messages").getJsonObject(3).getString("content"))
        .isEqualTo(pretty);
  }

  @Test
  void compactionSummarisesTheOldestTurnsWithTheCheapModelAndKeepsSystemPromptAndToolPairs() {
    JsonArray messages = new JsonArray().add(msg("system", "You are the support bot of Acme."));
    String filler = " We talked about shipping, invoices, refunds and the weather in some detail.".repeat(8);
    for (int t = 0; t < 6; t++) {
      messages.add(msg("user", "Question " + t + "." + filler));
      if (t == 1) {
        messages.add(new JsonObject().put("role", "assistant").put("tool_calls", new JsonArray().add(new JsonObject()
            .put("id", "call_t1").put("type", "function").put("function", new JsonObject().put("name", "lookup")
                .put("arguments", "{\"q\":\"order\"}")))));
        messages.add(new JsonObject().put("role", "tool").put("tool_call_id", "call_t1").put("content",
            "Order 42 shipped." + filler));
      }
      messages.add(msg("assistant", "Answer " + t + "." + filler));
    }
    messages.add(msg("user", "So what was my order number?"));
    HttpResponse<String> r = chat("compact", new JsonObject().put("model", "big").put("messages", messages));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(Integer.parseInt(r.headers().firstValue("x-sluice-tokens-saved").orElseThrow())).isGreaterThan(500);

    assertThat(upstream.requests()).hasSize(2);
    RecordedRequest summary = upstream.requests().get(0);
    assertThat(summary.body().getString("model")).isEqualTo("small-model");
    assertThat(summary.body().getJsonArray("messages").getJsonObject(0).getString("content"))
        .isEqualTo(Shaper.SUMMARIZER_PROMPT);
    assertThat(summary.body().getJsonArray("messages").getJsonObject(1).getString("content")).contains("Question 0");

    RecordedRequest main = upstream.requests().get(1);
    assertThat(main.body().getString("model")).isEqualTo("big-model");
    JsonArray sent = main.body().getJsonArray("messages");
    assertThat(sent.size()).isLessThan(messages.size());
    assertThat(sent.getJsonObject(0).getString("content")).isEqualTo("You are the support bot of Acme.");
    assertThat(sent.getJsonObject(1).getString("role")).isEqualTo("system");
    assertThat(sent.getJsonObject(1).getString("content")).startsWith(Shaper.SUMMARY_PREFIX).contains("Echo:");
    assertThat(sent.getJsonObject(sent.size() - 1).getString("content")).isEqualTo("So what was my order number?");
    Set<String> calls = new HashSet<>();
    for (int i = 0; i < sent.size(); i++) {
      JsonObject m = sent.getJsonObject(i);
      if (m.getJsonArray("tool_calls") != null) {
        m.getJsonArray("tool_calls").forEach(c -> calls.add(((JsonObject) c).getString("id")));
      }
      if ("tool".equals(m.getString("role"))) assertThat(calls).contains(m.getString("tool_call_id"));
    }
  }

  @Test
  void fitWindowMakesALongConversationFitTheTargetModel() {
    JsonArray messages = new JsonArray().add(msg("system", "Answer briefly."));
    for (int t = 0; t < 12; t++) {
      messages.add(msg("user", ("Tell me about part " + t + " of the manual. ").repeat(20)));
      messages.add(msg("assistant", ("Part " + t + " covers installation and safety. ").repeat(20)));
    }
    messages.add(msg("user", "Which part covers safety?"));
    JsonObject body = new JsonObject().put("model", "tiny").put("max_tokens", 200).put("messages", messages);
    HttpResponse<String> refused = chat("none", body);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("context_length_exceeded");
    HttpResponse<String> r = chat("fit", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonArray sent = upstream.lastRequest().body().getJsonArray("messages");
    assertThat(sent.getJsonObject(0).getString("content")).isEqualTo("Answer briefly.");
    assertThat(sent.getJsonObject(sent.size() - 1).getString("content")).isEqualTo("Which part covers safety?");
    assertThat(sent.encode().length() / 4 + 200).isLessThan(3000);
  }

  @Test
  void aRepeatedBlockIsKeptWhenCompactionRemovedItsFirstOccurrence() {
    String report = "The quarterly report shows revenue growth across all regions, with the strongest gains in the "
        + "north where new customers doubled, while costs stayed flat thanks to the new procurement process.";
    JsonArray messages = new JsonArray().add(msg("system", "Be brief."))
        .add(msg("user", report + "\n\nSummarise it. " + "Some more context about the figures. ".repeat(40)))
        .add(msg("assistant", "Revenue grew, costs flat. " + "More detail on each region. ".repeat(40)))
        .add(msg("user", "Again:\n\n" + report + "\n\nNow in French."));
    HttpResponse<String> r = chat("both", new JsonObject().put("model", "big").put("messages", messages));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonArray sent = upstream.lastRequest().body().getJsonArray("messages");
    assertThat(sent.encode()).as("the first occurrence was compacted away").doesNotContain("Summarise it");
    assertThat(sent.getJsonObject(sent.size() - 1).getString("content")).contains(report)
        .doesNotContain("repeated block omitted");
  }

  @Test
  void promptCacheBreakpointsLetTheSecondTurnReadTheCachedPrefix() {
    String policy = "Acme support policy: answer politely, cite the order number, never promise refunds. "
        .repeat(120);
    JsonArray first = new JsonArray().add(msg("system", policy)).add(msg("user", "How do refunds work?"));
    HttpResponse<String> r1 = chat("cache", new JsonObject().put("model", "sim").put("messages", first));
    assertThat(r1.statusCode()).as(r1.body()).isEqualTo(200);
    assertThat(r1.headers().firstValue("x-sluice-tokens-saved")).hasValue("0");
    JsonObject answer = new JsonObject(r1.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    JsonArray second = first.copy().add(msg("assistant", answer.getString("content")))
        .add(msg("user", "And for damaged items?"));
    HttpResponse<String> r2 = chat("cache", new JsonObject().put("model", "sim").put("messages", second));
    assertThat(r2.statusCode()).as(r2.body()).isEqualTo(200);
    JsonObject usage = new JsonObject(r2.body()).getJsonObject("usage");
    assertThat(usage.getJsonObject("prompt_tokens_details").getInteger("cached_tokens")).isGreaterThan(1024)
        .isLessThan(usage.getInteger("prompt_tokens"));
    HttpResponse<String> plain = chat("none", new JsonObject().put("model", "sim").put("messages", second));
    JsonObject plainUsage = new JsonObject(plain.body()).getJsonObject("usage");
    assertThat(plainUsage.getJsonObject("prompt_tokens_details").getInteger("cached_tokens")).isZero();
  }
}
