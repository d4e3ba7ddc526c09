package dev.sluice.plugins.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.CallContext;
import dev.sluice.api.GatewayError;
import dev.sluice.api.GatewayError.Kind;
import dev.sluice.api.PluginContext;
import dev.sluice.api.Provider;
import dev.sluice.api.ProviderSettings;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.ResponseFormat;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.Tool;
import dev.sluice.api.model.ToolCall;
import dev.sluice.api.model.Usage;
import dev.sluice.plugins.anthropic.FakeAnthropic.Fault;
import dev.sluice.plugins.anthropic.FakeAnthropic.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The provider against a fake Anthropic on loopback: the wire both ways, streaming, errors, cancellation. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AnthropicProviderTest {
  private static final String MODEL = "claude-sonnet-4-5-20250929";
  private static final Tool WEATHER = new Tool("get_weather", "Current weather for a city",
      new JsonObject().put("type", "object").put("properties", new JsonObject().put("city",
          new JsonObject().put("type", "string"))).put("required", new JsonArray().add("city")), null);

  private Vertx vertx;
  private FakeAnthropic fake;
  private Provider provider;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    fake = Await.result(FakeAnthropic.start(vertx));
    provider = provider(new JsonObject().put("beta", new JsonArray().add("prompt-caching-2024-07-31")
        .add("token-efficient-tools-2025-02-19")).put("headers", new JsonObject().put("x-team", "blue")));
  }

  @AfterEach
  void tearDown() {
    Await.result(provider.close());
    Await.result(fake.close());
  }

  private Provider provider(JsonObject extra) {
    JsonObject values = new JsonObject().put("id", "claude").put("type", "anthropic").put("api_key", "sk-ant-test")
        .put("base_url", fake.baseUrl()).mergeIn(extra);
    PluginContext context = () -> vertx;
    return new AnthropicProviderFactory().create(new ProviderSettings("providers[0]", "claude", "anthropic", values),
        context);
  }

  private static ChatRequest ask(String text) {
    return ChatRequest.of(MODEL, List.of(Message.system("Be brief."), Message.user(text)));
  }

  private static CallContext call() {
    return CallContext.create("req-1");
  }

  private List<ChatChunk> streamed(ChatRequest request) {
    return Await.result(provider.stream(request, call()).compose(Await::collect));
  }

  @Test
  void plainChatSendsTheWireFormatAndMapsTheAnswer() {
    ChatResponse response = Await.result(provider.chat(ask("Hi"), call()));

    FakeAnthropic.Recorded sent = fake.last();
    assertThat(sent.headers().get("x-api-key")).isEqualTo("sk-ant-test");
    assertThat(sent.headers().get("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(sent.headers().get("anthropic-beta")).isEqualTo("prompt-caching-2024-07-31,token-efficient-tools-2025-02-19");
    assertThat(sent.headers().get("x-team")).isEqualTo("blue");
    assertThat(sent.body().getString("model")).isEqualTo(MODEL);
    assertThat(sent.body().getInteger("max_tokens")).isEqualTo(64_000);
    assertThat(sent.body().getJsonArray("system")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", "Be brief.")));
    assertThat(sent.body().getJsonArray("messages")).isEqualTo(new JsonArray().add(new JsonObject()
        .put("role", "user").put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "Hi")))));
    assertThat(sent.body().containsKey("stream")).isFalse();

    assertThat(response.id()).isEqualTo("msg_fake01");
    assertThat(response.model()).isEqualTo(MODEL);
    assertThat(response.choices().get(0).message().text()).isEqualTo(
        "Hello from the fake Claude, streamed in small pieces.");
    assertThat(response.choices().get(0).finishReason()).isEqualTo("stop");
    // input 12 + cache read 5 + cache write 3; output 7.
    assertThat(response.usage()).isEqualTo(new Usage(20, 7, 27, 5, 3, 0));
  }

  @Test
  void requestFieldsMapOntoAnthropicNames() {
    ChatRequest request = ChatRequest.builder().model(MODEL).messages(List.of(Message.user("Hi"))).maxTokens(50)
        .temperature(0.5).topP(0.9).n(1).stop(List.of("END", " ")).seed(7L).user("user-42").build();
    Await.result(provider.chat(request, call()));
    JsonObject body = fake.last().body();
    assertThat(body.getInteger("max_tokens")).isEqualTo(50);
    assertThat(body.getDouble("temperature")).isEqualTo(0.5);
    assertThat(body.getDouble("top_p")).isEqualTo(0.9);
    assertThat(body.getJsonArray("stop_sequences")).containsExactly("END");
    assertThat(body.getJsonObject("metadata")).isEqualTo(new JsonObject().put("user_id", "user-42"));
    assertThat(body.containsKey("seed")).isFalse();
  }

  @Test
  void defaultMaxTokensSettingIsCappedByTheModelLimit() {
    Provider capped = provider(new JsonObject().put("default_max_tokens", 100_000));
    Await.result(capped.chat(ChatRequest.of("claude-3-5-haiku-20241022", List.of(Message.user("Hi"))), call()));
    assertThat(fake.last().body().getInteger("max_tokens")).isEqualTo(8192);
    Await.result(capped.chat(ChatRequest.of("some-future-model", List.of(Message.user("Hi"))), call()));
    assertThat(fake.last().body().getInteger("max_tokens")).isEqualTo(ModelLimits.FALLBACK);
    Await.result(capped.close());
  }

  @Test
  void toolCallsComeBackAsCanonicalCalls() {
    fake.reply = new Reply(new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", "Checking both."))
        .add(toolUse("toolu_01", "get_weather", new JsonObject().put("city", "Paris")))
        .add(toolUse("toolu_02", "get_weather", new JsonObject().put("city", "Oslo"))), "tool_use",
        Reply.defaultUsage());
    ChatRequest request = ask("Weather in Paris and Oslo?").withTools(List.of(WEATHER), null);

    ChatResponse response = Await.result(provider.chat(request, call()));

    JsonObject tool = fake.last().body().getJsonArray("tools").getJsonObject(0);
    assertThat(tool.getString("name")).isEqualTo("get_weather");
    assertThat(tool.getString("description")).isEqualTo("Current weather for a city");
    assertThat(tool.getJsonObject("input_schema")).isEqualTo(WEATHER.parameters());
    Message message = response.choices().get(0).message();
    assertThat(message.text()).isEqualTo("Checking both.");
    assertThat(message.toolCalls()).containsExactly(
        new ToolCall("toolu_01", "get_weather", "{\"city\":\"Paris\"}"),
        new ToolCall("toolu_02", "get_weather", "{\"city\":\"Oslo\"}"));
    assertThat(response.choices().get(0).finishReason()).isEqualTo("tool_calls");
  }

  @Test
  void toolRoundTripSendsTheResultBackAsAToolResultBlock() {
    fake.reply = null; // deterministic: call the tool, then repeat its result
    ChatRequest first = ask("Weather in Paris?").withTools(List.of(WEATHER), null);
    ChatResponse called = Await.result(provider.chat(first, call()));
    List<ToolCall> calls = called.choices().get(0).message().toolCalls();
    assertThat(calls).hasSize(1);
    assertThat(new JsonObject(calls.get(0).arguments()).getString("city")).isNotBlank();

    List<Message> messages = new ArrayList<>(first.messages());
    messages.add(Message.assistantToolCalls(calls));
    messages.add(Message.toolResult(calls.get(0).id(), "sunny, 21 degrees"));
    ChatResponse answer = Await.result(provider.chat(first.withMessages(messages), call()));

    assertThat(answer.choices().get(0).message().text()).contains("sunny, 21 degrees");
    JsonArray sent = fake.last().body().getJsonArray("messages");
    assertThat(sent.getJsonObject(1).getJsonArray("content").getJsonObject(0).getString("type")).isEqualTo("tool_use");
    assertThat(sent.getJsonObject(2)).isEqualTo(new JsonObject().put("role", "user").put("content", new JsonArray()
        .add(new JsonObject().put("type", "tool_result").put("tool_use_id", calls.get(0).id())
            .put("content", "sunny, 21 degrees"))));
  }

  @Test
  void streamedTextEqualsTheNonStreamedAnswerAndEndsWithUsage() {
    ChatResponse whole = Await.result(provider.chat(ask("Hi"), call()));
    List<ChatChunk> chunks = streamed(ask("Hi").withStream(true, true));

    assertThat(fake.last().body().getBoolean("stream")).isTrue();
    assertThat(fake.last().headers().get("accept")).isEqualTo("text/event-stream");
    assertThat(chunks.get(0).choices().get(0).role()).isEqualTo(Role.ASSISTANT);
    assertThat(chunks).allSatisfy(c -> assertThat(c.id()).isEqualTo("msg_fake01"));
    StringBuilder text = new StringBuilder();
    List<String> finishes = new ArrayList<>();
    for (ChatChunk c : chunks) {
      for (ChatChunk.Delta d : c.choices()) {
        if (d.content() != null) text.append(d.content());
        if (d.finishReason() != null) finishes.add(d.finishReason());
      }
    }
    assertThat(text.toString()).isEqualTo(whole.choices().get(0).message().text());
    assertThat(finishes).containsExactly("stop");
    ChatChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage()).isEqualTo(whole.usage());
  }

  @Test
  void streamWithoutIncludeUsageHasNoUsageChunk() {
    List<ChatChunk> chunks = streamed(ask("Hi").withStream(true, false));
    assertThat(chunks).allSatisfy(c -> assertThat(c.usage()).isNull());
    assertThat(chunks.get(chunks.size() - 1).choices().get(0).finishReason()).isEqualTo("stop");
  }

  @Test
  void streamedToolCallsAssembleToTheNonStreamedCallsWithIndicesFromZero() {
    fake.reply = new Reply(new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", "Let me look."))
        .add(toolUse("toolu_01", "get_weather", new JsonObject().put("city", "Paris").put("unit", "celsius")))
        .add(toolUse("toolu_02", "get_weather", new JsonObject().put("city", "Oslo"))), "tool_use",
        Reply.defaultUsage());
    ChatRequest request = ask("Weather?").withTools(List.of(WEATHER), null);
    List<ToolCall> expected = Await.result(provider.chat(request, call())).choices().get(0).message().toolCalls();

    List<ChatChunk> chunks = streamed(request.withStream(true, true));

    Map<Integer, String[]> calls = new TreeMap<>();
    String finish = null;
    for (ChatChunk c : chunks) {
      for (ChatChunk.Delta d : c.choices()) {
        for (ChatChunk.ToolCallDelta t : d.toolCalls()) {
          String[] call = calls.computeIfAbsent(t.index(), i -> new String[] {null, null, ""});
          if (t.id() != null) call[0] = t.id();
          if (t.name() != null) call[1] = t.name();
          if (t.arguments() != null) call[2] += t.arguments();
        }
        if (d.finishReason() != null) finish = d.finishReason();
      }
    }
    // Anthropic block indices were 2 and 3 (a thinking block and a text block came first).
    assertThat(calls.keySet()).containsExactly(0, 1);
    List<ToolCall> assembled = calls.values().stream().map(c -> new ToolCall(c[0], c[1], c[2])).toList();
    assertThat(assembled).isEqualTo(expected);
    assertThat(finish).isEqualTo("tool_calls");
  }

  @Test
  void jsonSchemaIsAForcedToolWhoseInputComesBackAsText() {
    JsonObject schema = new JsonObject().put("type", "object").put("properties",
        new JsonObject().put("answer", new JsonObject().put("type", "string")));
    fake.reply = new Reply(new JsonArray().add(toolUse("toolu_9", "verdict", new JsonObject().put("answer", "yes"))),
        "tool_use", Reply.defaultUsage());
    ChatRequest request = ChatRequest.builder().model(MODEL).messages(List.of(Message.user("Is water wet?")))
        .responseFormat(new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "verdict", schema, true)).build();

    ChatResponse response = Await.result(provider.chat(request, call()));

    JsonObject body = fake.last().body();
    assertThat(body.getJsonArray("tools").getJsonObject(0).getString("name")).isEqualTo("verdict");
    assertThat(body.getJsonArray("tools").getJsonObject(0).getJsonObject("input_schema")).isEqualTo(schema);
    assertThat(body.getJsonObject("tool_choice")).isEqualTo(new JsonObject().put("type", "tool").put("name", "verdict"));
    assertThat(response.choices().get(0).message().text()).isEqualTo("{\"answer\":\"yes\"}");
    assertThat(response.choices().get(0).message().toolCalls()).isEmpty();
    assertThat(response.choices().get(0).finishReason()).isEqualTo("stop");

    List<ChatChunk> chunks = streamed(request.withStream(true, false));
    StringBuilder text = new StringBuilder();
    String finish = null;
    for (ChatChunk c : chunks) {
      for (ChatChunk.Delta d : c.choices()) {
        if (d.content() != null) text.append(d.content());
        assertThat(d.toolCalls()).isEmpty();
        if (d.finishReason() != null) finish = d.finishReason();
      }
    }
    assertThat(new JsonObject(text.toString())).isEqualTo(new JsonObject().put("answer", "yes"));
    assertThat(finish).isEqualTo("stop");
  }

  @Test
  void imagesTravelAsBase64AndUrlSources() {
    Message user = new Message(Role.USER, List.of(ContentPart.text("What differs?"),
        new ContentPart.Image("data:image/png;base64,iVBORw0KGgo=", null),
        new ContentPart.Image("https://example.com/cat.jpg", "high")), null, null, null);
    Await.result(provider.chat(ChatRequest.of(MODEL, List.of(user)), call()));
    JsonArray content = fake.last().body().getJsonArray("messages").getJsonObject(0).getJsonArray("content");
    assertThat(content.getJsonObject(1)).isEqualTo(new JsonObject().put("type", "image").put("source",
        new JsonObject().put("type", "base64").put("media_type", "image/png").put("data", "iVBORw0KGgo=")));
    assertThat(content.getJsonObject(2)).isEqualTo(new JsonObject().put("type", "image").put("source",
        new JsonObject().put("type", "url").put("url", "https://example.com/cat.jpg")));
  }

  // ---- errors ----

  @Test
  void rateLimitHonoursRetryAfter() {
    fake.enqueue(Fault.status(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate "
        + "limit").withRetryAfter("7"));
    GatewayError e = Await.failure(provider.chat(ask("Hi"), call()));
    assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(e.getMessage()).contains("claude").contains("per-minute rate limit");
  }

  @Test
  void overloadedIsARetryableUpstreamFailure() {
    fake.enqueue(Fault.status(529, "overloaded_error", "Overloaded"));
    GatewayError e = Await.failure(provider.chat(ask("Hi"), call()));
    assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_5XX);
    assertThat(e.retryable()).isTrue();
    assertThat(e.upstreamStatus()).isEqualTo(529);
  }

  @Test
  void promptTooLongIsAContextWindowError() {
    fake.enqueue(Fault.status(400, "invalid_request_error", "prompt is too long: 215000 tokens > 200000 maximum"));
    assertThat(Await.failure(provider.chat(ask("Hi"), call())).kind()).isEqualTo(Kind.CONTEXT_WINDOW);
  }

  @Test
  void otherBadRequestsBlameTheRequestWithTheUpstreamStatus() {
    fake.enqueue(Fault.status(400, "invalid_request_error", "messages.0.content: Field required"));
    GatewayError e = Await.failure(provider.chat(ask("Hi"), call()));
    assertThat(e.kind()).isEqualTo(Kind.BAD_REQUEST);
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.getMessage()).contains("messages.0.content: Field required");
  }

  @Test
  void credentialAndModelRejectionsAreUpstreamRejections() {
    fake.enqueue(Fault.status(401, "authentication_error", "invalid x-api-key"));
    fake.enqueue(Fault.status(403, "permission_error", "Your API key does not have permission"));
    fake.enqueue(Fault.status(404, "not_found_error", "model: claude-nope"));
    for (int status : new int[] {401, 403, 404}) {
      GatewayError e = Await.failure(provider.chat(ask("Hi"), call()));
      assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_REJECTED);
      assertThat(e.upstreamStatus()).isEqualTo(status);
      assertThat(e.retryable()).isFalse();
    }
  }

  @Test
  void serverErrorsAreRetryable5xx() {
    fake.enqueue(Fault.status(500, "api_error", "Internal server error"));
    GatewayError e = Await.failure(provider.chat(ask("Hi"), call()));
    assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_5XX);
    assertThat(e.upstreamStatus()).isEqualTo(500);
  }

  @Test
  void streamRequestsMapStatusErrorsToo() {
    fake.enqueue(Fault.status(529, "overloaded_error", "Overloaded"));
    assertThat(Await.failure(provider.stream(ask("Hi").withStream(true, true), call())).kind())
        .isEqualTo(Kind.UPSTREAM_5XX);
  }

  @Test
  void connectionFailureIsUnavailable() {
    Await.result(fake.close());
    GatewayError e = Await.failure(provider.chat(ask("Hi"), call()));
    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.getMessage()).contains("could not be reached");
  }

  @Test
  void malformedJsonIsAProtocolError() {
    fake.enqueue(Fault.of(Fault.Kind.MALFORMED, 0));
    assertThat(Await.failure(provider.chat(ask("Hi"), call())).kind()).isEqualTo(Kind.UPSTREAM_PROTOCOL);
  }

  @Test
  void malformedStreamEventIsAProtocolError() {
    fake.enqueue(Fault.of(Fault.Kind.MALFORMED, 0));
    GatewayError e = Await.failure(provider.stream(ask("Hi").withStream(true, true), call()).compose(Await::collect));
    assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_PROTOCOL);
  }

  @Test
  void inStreamOverloadedErrorIsRetryable() {
    fake.enqueue(Fault.errorEvent(5, "overloaded_error", "Overloaded"));
    GatewayError e = Await.failure(provider.stream(ask("Hi").withStream(true, true), call()).compose(Await::collect));
    assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_5XX);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("overloaded_error");
  }

  @Test
  void inStreamRateLimitErrorIsRateLimited() {
    fake.enqueue(Fault.errorEvent(3, "rate_limit_error", "Rate limited"));
    GatewayError e = Await.failure(provider.stream(ask("Hi").withStream(true, true), call()).compose(Await::collect));
    assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
  }

  @Test
  void streamEndingWithoutMessageStopIsAProtocolError() {
    fake.enqueue(Fault.of(Fault.Kind.NO_MESSAGE_STOP, 0));
    GatewayError e = Await.failure(provider.stream(ask("Hi").withStream(true, true), call()).compose(Await::collect));
    assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_PROTOCOL);
    assertThat(e.getMessage()).contains("before message_stop");
  }

  @Test
  void streamCutMidWayFails() {
    fake.enqueue(Fault.of(Fault.Kind.CUT_AFTER_EVENTS, 8));
    GatewayError e = Await.failure(provider.stream(ask("Hi").withStream(true, true), call()).compose(Await::collect));
    assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_PROTOCOL);
    assertThat(e.retryable()).isTrue();
  }

  // ---- cancellation ----

  @Test
  void cancellingAHangingCallFailsItWithTheReasonAndResetsTheUpstream() {
    fake.enqueue(Fault.of(Fault.Kind.HANG, 0));
    CallContext call = call();
    var pending = provider.chat(ask("Hi"), call);
    Await.result(fake.await(() -> fake.requests.size() == 1));
    GatewayError reason = GatewayError.timeout("total timeout of 1s passed");
    call.cancel(reason);
    assertThat(Await.failure(pending)).isSameAs(reason);
    Await.result(fake.await(() -> fake.disconnects.get() == 1));
  }

  @Test
  void cancellingAStreamMidWayResetsTheUpstream() {
    fake.enqueue(Fault.of(Fault.Kind.HANG_AFTER_EVENTS, 4));
    CallContext call = call();
    List<ChatChunk> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    Await.result(provider.stream(ask("Hi").withStream(true, true), call).map(stream -> {
      stream.handler(seen::add);
      return stream;
    }));
    Await.result(fake.await(() -> !seen.isEmpty()));
    call.cancel(GatewayError.cancelled("client went away"));
    Await.result(fake.await(() -> fake.disconnects.get() == 1));
  }

  @Test
  void anAlreadyCancelledCallSendsNothing() {
    CallContext call = call();
    call.cancel(GatewayError.cancelled("gone"));
    assertThat(Await.failure(provider.chat(ask("Hi"), call)).kind()).isEqualTo(Kind.CANCELLED);
    assertThat(fake.requests).isEmpty();
  }

  private static JsonObject toolUse(String id, String name, JsonObject input) {
    return new JsonObject().put("type", "tool_use").put("id", id).put("name", name).put("input", input);
  }
}
