package dev.sluice.plugins.gemini;

import static dev.sluice.plugins.gemini.Harness.assemble;
import static dev.sluice.plugins.gemini.Harness.await;
import static dev.sluice.plugins.gemini.Harness.call;
import static dev.sluice.plugins.gemini.Harness.collect;
import static dev.sluice.plugins.gemini.Harness.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.CallContext;
import dev.sluice.api.ChatStream;
import dev.sluice.api.GatewayError;
import dev.sluice.api.GatewayError.Kind;
import dev.sluice.api.Provider;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Choice;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.ToolCall;
import dev.sluice.api.model.Usage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class GeminiStreamTest {
  private static final ChatRequest ASK = ChatRequest.of("gemini-2.5-flash", List.of(Message.user("Hi")))
      .withStream(true, true);
  private FakeGemini fake;
  private Provider provider;

  @BeforeEach
  void start(Vertx vertx) {
    fake = await(FakeGemini.start(vertx));
    provider = Harness.gemini(vertx, fake);
  }

  @AfterEach
  void stop() {
    await(provider.close());
    await(fake.close());
  }

  @Test
  void streamsTextDeltasThenAFinishThenUsage() {
    fake.answer(FakeGemini.text("Hello from Gemini!", 11, 5));

    List<ChatChunk> chunks = await(collect(provider, ASK, call()));

    FakeGemini.Recorded sent = fake.last();
    assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    assertThat(sent.query()).isEqualTo("alt=sse");
    assertThat(sent.headers().get("x-goog-api-key")).isEqualTo("test-key");
    assertThat(chunks.size()).isGreaterThan(3);
    assertThat(chunks.get(0).choices().get(0).role()).isEqualTo(Role.ASSISTANT);
    assertThat(chunks.stream().skip(1).flatMap(c -> c.choices().stream()).map(ChatChunk.Delta::role))
        .containsOnlyNulls();
    assertThat(chunks).extracting(ChatChunk::id).containsOnly("chatcmpl-resp-123");
    assertThat(chunks).extracting(ChatChunk::model).containsOnly("gemini-2.5-flash-001");
    ChatChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage()).isEqualTo(new Usage(11, 5, 16, 0, 0, 0));
    Harness.Assembled assembled = assemble(chunks);
    assertThat(assembled.text()).isEqualTo(Map.of(0, "Hello from Gemini!"));
    assertThat(assembled.finish()).isEqualTo(Map.of(0, "stop"));
  }

  @Test
  void withoutIncludeUsageThereIsNoUsageChunk() {
    List<ChatChunk> chunks = await(collect(provider, ASK.withStream(true, false), call()));

    assertThat(chunks).allSatisfy(c -> assertThat(c.usage()).isNull());
    assertThat(assemble(chunks).finish()).isEqualTo(Map.of(0, "stop"));
  }

  @Test
  void theAssembledStreamEqualsTheCompleteAnswer() {
    fake.answer(FakeGemini.response(FakeGemini.candidate(0, "STOP",
            new JsonObject().put("text", "Let me check both cities."),
            FakeGemini.call("get_weather", new JsonObject().put("city", "Paris")),
            FakeGemini.call("get_weather", new JsonObject().put("city", "Oslo").put("units", "C"))),
        FakeGemini.usage(120, 40, 100, 30)));

    ChatResponse whole = await(provider.chat(ASK.withStream(false, false), call()));
    Harness.Assembled streamed = assemble(await(collect(provider, ASK, call())));

    Choice choice = whole.choices().get(0);
    assertThat(streamed.text()).isEqualTo(Map.of(0, choice.message().text()));
    List<String> wholeCalls = new ArrayList<>();
    for (int i = 0; i < choice.message().toolCalls().size(); i++) {
      ToolCall t = choice.message().toolCalls().get(i);
      wholeCalls.add(i + ":" + t.id() + ":" + t.name() + ":" + t.arguments());
    }
    assertThat(streamed.calls()).isEqualTo(Map.of(0, wholeCalls));
    assertThat(streamed.finish()).isEqualTo(Map.of(0, "tool_calls")).containsEntry(0, choice.finishReason());
    assertThat(streamed.usage()).isEqualTo(whole.usage()).isEqualTo(new Usage(120, 70, 190, 100, 0, 30));
  }

  @Test
  void severalCandidatesStreamUnderTheirOwnIndex() {
    fake.answer(new JsonObject().put("candidates", new JsonArray()
        .add(FakeGemini.candidate(0, "STOP", new JsonObject().put("text", "First answer")))
        .add(FakeGemini.candidate(1, "MAX_TOKENS", new JsonObject().put("text", "Second one")))));

    Harness.Assembled streamed = assemble(await(collect(provider, ASK.withStream(true, false), call())));

    assertThat(streamed.text()).isEqualTo(Map.of(0, "First answer", 1, "Second one"));
    assertThat(streamed.finish()).isEqualTo(Map.of(0, "stop", 1, "length"));
  }

  @Test
  void aStreamCutBeforeTheFinishReasonFails() {
    fake.fault(new FakeGemini.Fault.Cut(2));

    GatewayError e = failure(collect(provider, ASK, call()));

    assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_PROTOCOL);
  }

  @Test
  void aStreamThatEndsCleanlyWithoutAFinishReasonFails() {
    JsonObject unfinished = FakeGemini.text("Hello", 1, 1);
    unfinished.getJsonArray("candidates").getJsonObject(0).remove("finishReason");
    fake.answer(unfinished);

    GatewayError e = failure(collect(provider, ASK, call()));

    assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_PROTOCOL);
    assertThat(e.getMessage()).contains("before it sent a finishReason");
  }

  @Test
  void anErrorEventInTheStreamMapsToItsKind() {
    fake.fault(new FakeGemini.Fault.StreamError(1, new JsonObject().put("code", 503).put("status", "UNAVAILABLE")
        .put("message", "The model is overloaded.")));

    GatewayError e = failure(collect(provider, ASK, call()));

    assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_5XX);
    assertThat(e.getMessage()).contains("The model is overloaded.");
  }

  @Test
  void aMalformedEventIsAProtocolError() {
    fake.fault(new FakeGemini.Fault.Malformed());

    GatewayError e = failure(collect(provider, ASK, call()));

    assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_PROTOCOL);
    assertThat(e.getMessage()).contains("not JSON");
  }

  @Test
  void anErrorStatusFailsTheStreamFuture() {
    fake.fault(new FakeGemini.Fault.Status(429, FakeGemini.googleError(429, "RESOURCE_EXHAUSTED", "Slow down.",
        new JsonObject().put("@type", "type.googleapis.com/google.rpc.RetryInfo").put("retryDelay", "2s"))));

    GatewayError e = failure(provider.stream(ASK, call()));

    assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(e.retryAfter()).hasSeconds(2);
  }

  @Test
  void aSafetyBlockInTheStreamIsAContentFilterError() {
    fake.answer(new JsonObject("""
        {"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"},
         "usageMetadata":{"promptTokenCount":8,"totalTokenCount":8}}"""));

    GatewayError e = failure(collect(provider, ASK, call()));

    assertThat(e.kind()).isEqualTo(Kind.CONTENT_FILTER);
    assertThat(e.getMessage()).contains("blockReason PROHIBITED_CONTENT");
  }

  @Test
  void aBlockedCandidateInTheStreamIsAContentFilterError() {
    fake.answer(new JsonObject("""
        {"candidates":[{"finishReason":"SAFETY","safetyRatings":[
           {"category":"HARM_CATEGORY_DANGEROUS_CONTENT","probability":"HIGH","blocked":true}]}]}"""));

    GatewayError e = failure(collect(provider, ASK, call()));

    assertThat(e.kind()).isEqualTo(Kind.CONTENT_FILTER);
    assertThat(e.getMessage()).contains("HARM_CATEGORY_DANGEROUS_CONTENT (HIGH)");
  }

  @Test
  void cancellingTheCallResetsAStalledStream() {
    fake.fault(new FakeGemini.Fault.Stall(1));
    CallContext call = call();
    Future<Void> disconnected = fake.nextDisconnect();
    ChatStream stream = await(provider.stream(ASK, call)); // headers and one event arrived, then nothing

    call.cancel(GatewayError.cancelled("client went away"));
    stream.cancel();

    await(disconnected);
    assertThat(fake.disconnects()).isEqualTo(1);
  }
}
