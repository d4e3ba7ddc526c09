package dev.sluice.plugins.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.FinishReason;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.ResponseFormat;
import dev.sluice.api.model.Tool;
import dev.sluice.api.model.Usage;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BedrockStreamTest extends BedrockTestSupport {
  private static final Tool WEATHER = new Tool("weather", null, new JsonObject().put("type", "object"), null);

  private static ChatRequest streamed(ChatRequest request) {
    return request.withStream(true, true);
  }

  /** Sends {@code answer} once as Converse JSON and once as a stream; both must give the same response. */
  private void assertStreamMatchesChat(ChatRequest request, JsonObject answer) {
    fake.replyJson(answer);
    ChatResponse whole = await(provider.chat(request, call()));
    fake.replyStream(FakeBedrock.streamOf(answer));
    ChatResponse assembled = assemble(await(provider.stream(streamed(request), call())
        .compose(BedrockTestSupport::collect)));

    assertThat(fake.last().path()).endsWith("/converse-stream");
    assertThat(fake.last().headers().get("Accept")).isEqualTo("application/vnd.amazon.eventstream");
    assertThat(fake.last().signatureProblem()).isNull();
    assertThat(answerOf(assembled)).isEqualTo(answerOf(whole));
    assertThat(assembled.choices().get(0).finishReason()).isEqualTo(whole.choices().get(0).finishReason());
    assertThat(assembled.usage()).isEqualTo(whole.usage());
    assertThat(assembled.model()).isEqualTo(MODEL);
  }

  @Test
  void streamedTextEqualsTheWholeAnswer() {
    assertStreamMatchesChat(ChatRequest.of(MODEL, List.of(Message.user("Hi"))),
        FakeBedrock.answer(new JsonArray().add(new JsonObject().put("text", "The quick brown fox jumps.")),
            "end_turn", FakeBedrock.usage(40, 7, 1000, 20)));
  }

  @Test
  void streamedToolCallsEqualTheWholeAnswer() {
    JsonObject answer = FakeBedrock.answer(new JsonArray().add(new JsonObject().put("text", "Checking both."))
        .add(FakeBedrock.toolUse("tooluse_a", "weather", new JsonObject().put("city", "Paris")))
        .add(FakeBedrock.toolUse("tooluse_b", "weather", new JsonObject().put("city", "Rome").put("units", "C"))),
        "tool_use", FakeBedrock.usage(50, 30, 0, 0));
    assertStreamMatchesChat(ChatRequest.of(MODEL, List.of(Message.user("Weather?"))).withTools(List.of(WEATHER), null),
        answer);
  }

  @Test
  void streamedJsonModeIsText() {
    ChatRequest request = ChatRequest.builder().model(MODEL).messages(List.of(Message.user("JSON please")))
        .responseFormat(ResponseFormat.JSON_OBJECT).build();
    assertStreamMatchesChat(request, FakeBedrock.answer(new JsonArray().add(FakeBedrock.toolUse("tooluse_j",
        "json_response", new JsonObject().put("a", 1).put("b", new JsonArray().add("x")))), "tool_use",
        FakeBedrock.usage(9, 9, 0, 0)));
  }

  @Test
  void chunkOrderIsRoleTextFinishUsage() {
    fake.replyStream(FakeBedrock.streamOf(FakeBedrock.answer("Hello", "end_turn")));
    List<ChatChunk> chunks = await(provider.stream(streamed(ChatRequest.of(MODEL,
        List.of(Message.user("Hi")))), call()).compose(BedrockTestSupport::collect));
    assertThat(chunks.get(0).choices().get(0).role()).isNotNull();
    ChatChunk finish = chunks.get(chunks.size() - 2);
    assertThat(finish.choices().get(0).finishReason()).isEqualTo(FinishReason.STOP);
    ChatChunk usage = chunks.get(chunks.size() - 1);
    assertThat(usage.choices()).isEmpty();
    assertThat(usage.usage()).isEqualTo(Usage.of(12, 5));
    assertThat(chunks).allSatisfy(c -> assertThat(c.id()).isEqualTo("bedrock-req-1"));
  }

  @Test
  void noUsageChunkUnlessAsked() {
    fake.replyStream(FakeBedrock.streamOf(FakeBedrock.answer("Hello", "end_turn")));
    List<ChatChunk> chunks = await(provider.stream(ChatRequest.of(MODEL, List.of(Message.user("Hi")))
        .withStream(true, false), call()).compose(BedrockTestSupport::collect));
    assertThat(chunks).allSatisfy(c -> assertThat(c.usage()).isNull());
  }

  @ParameterizedTest
  @CsvSource({
      "throttlingException, Too many requests, RATE_LIMITED",
      "modelStreamErrorException, The model failed, UPSTREAM_5XX",
      "internalServerException, Oops, UPSTREAM_5XX",
      "serviceUnavailableException, Try later, UPSTREAM_5XX",
      "validationException, Input is too long for requested model, CONTEXT_WINDOW",
      "validationException, Malformed input, BAD_REQUEST",
      "modelTimeoutException, Took too long, TIMEOUT"})
  void exceptionFramesMidStreamFailWithTheirKind(String type, String message, GatewayError.Kind kind) {
    List<software.amazon.awssdk.eventstream.Message> frames = new ArrayList<>(FakeBedrock.streamOf(FakeBedrock.answer("Hello there", "end_turn"))
        .subList(0, 3));
    frames.add(FakeBedrock.exception(type, message));
    fake.replyStream(frames);
    List<ChatChunk> seen = new ArrayList<>();
    GatewayError e = streamFailure(seen);
    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.getMessage()).contains(type, message);
    assertThat(seen).isNotEmpty(); // what came before the exception was delivered
    if (kind != GatewayError.Kind.BAD_REQUEST && kind != GatewayError.Kind.CONTEXT_WINDOW) {
      assertThat(e.retryable()).isTrue();
    }
  }

  /** Streams a plain request; chunks go to {@code seen}; returns how the stream failed. */
  private GatewayError streamFailure(List<ChatChunk> seen) {
    return failure(provider.stream(streamed(ChatRequest.of(MODEL, List.of(Message.user("Hi")))), call())
        .compose(stream -> {
          Promise<Void> done = Promise.promise();
          stream.exceptionHandler(done::tryFail);
          stream.endHandler(v -> done.tryComplete());
          stream.handler(seen::add);
          return done.future();
        }));
  }

  @Test
  void corruptedFrameIsAProtocolError() {
    fake.reply(new FakeBedrock.Stream(FakeBedrock.streamOf(FakeBedrock.answer("Hello there", "end_turn")), 2,
        FakeBedrock.Ending.END));
    GatewayError e = streamFailure(new ArrayList<>());
    assertThat(e.kind()).isEqualTo(GatewayError.Kind.UPSTREAM_PROTOCOL);
    assertThat(e.getMessage()).contains("corrupt event-stream frame", "checksum");
  }

  @Test
  void streamEndingBeforeMessageStopIsAProtocolError() {
    List<software.amazon.awssdk.eventstream.Message> frames = FakeBedrock.streamOf(FakeBedrock.answer("Hello there", "end_turn"));
    fake.replyStream(frames.subList(0, frames.size() - 2));
    GatewayError e = streamFailure(new ArrayList<>());
    assertThat(e.kind()).isEqualTo(GatewayError.Kind.UPSTREAM_PROTOCOL);
    assertThat(e.getMessage()).contains("before its messageStop");
  }

  @Test
  void streamEndingBeforeMetadataIsAProtocolError() {
    List<software.amazon.awssdk.eventstream.Message> frames = FakeBedrock.streamOf(FakeBedrock.answer("Hello there", "end_turn"));
    fake.replyStream(frames.subList(0, frames.size() - 1));
    GatewayError e = streamFailure(new ArrayList<>());
    assertThat(e.kind()).isEqualTo(GatewayError.Kind.UPSTREAM_PROTOCOL);
    assertThat(e.getMessage()).contains("before its metadata");
  }

  @Test
  void cutConnectionIsAProtocolError() {
    List<software.amazon.awssdk.eventstream.Message> frames = FakeBedrock.streamOf(FakeBedrock.answer("Hello there", "end_turn"));
    fake.reply(new FakeBedrock.Stream(frames.subList(0, 3), -1, FakeBedrock.Ending.CUT));
    GatewayError e = streamFailure(new ArrayList<>());
    assertThat(e.kind()).isEqualTo(GatewayError.Kind.UPSTREAM_PROTOCOL);
  }
}
