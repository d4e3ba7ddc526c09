package dev.sluice.api.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.Usage;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiChunkReaderTest {
  private final OpenAiChunkReader reader = new OpenAiChunkReader("vllm-a");

  /** What Sluice writes, it reads back as the same chunk. */
  private void roundTrips(ChatChunk chunk) {
    String event = SseChunkWriter.event(chunk).toString();
    assertThat(reader.read(event.substring(6, event.length() - 2))).isEqualTo(chunk);
  }

  @Test
  void readsBackWhatTheWriterWrites() {
    roundTrips(new ChatChunk("c1", 1700000000L, "m", List.of(new ChatChunk.Delta(0, Role.ASSISTANT, "", null, null,
        null)), null, "fp_1"));
    roundTrips(new ChatChunk("c1", 1L, "m", List.of(ChatChunk.Delta.text(0, "Hé \"quoted\" \n line \u2028")), null,
        null));
    roundTrips(new ChatChunk("c1", 1L, "m", List.of(ChatChunk.Delta.finish(0, "stop")), null, null));
    roundTrips(new ChatChunk("c1", 1L, "m", List.of(), new Usage(12, 5, 17, 3, 0, 2), null));
    roundTrips(new ChatChunk("c2", 2L, "m", List.of(new ChatChunk.Delta(1, null, null, List.of(
        new ChatChunk.ToolCallDelta(0, "call_1", "get_weather", ""),
        new ChatChunk.ToolCallDelta(1, null, null, "{\"city\":")), "tool_calls",
        new JsonObject().put("content", List.of(new JsonObject().put("token", "a").put("logprob", -0.5))))), null,
        null));
  }

  @Test
  void skipsUnknownFieldsAtEveryLevelAndDefaultsWhatIsMissing() {
    ChatChunk c = reader.read("""
        {"id":"x","object":"chat.completion.chunk","extra":{"deep":[1,{"a":null}]},"created":5,"model":"m",
         "service_tier":"default","choices":[{"delta":{"content":"hi","refusal":null,"x":[{}]},"finish_reason":null,
         "index":2.0,"other":true}],"usage":null}""");
    assertThat(c).isEqualTo(new ChatChunk("x", 5, "m", List.of(ChatChunk.Delta.text(2, "hi")), null, null));
    ChatChunk bare = reader.read("{\"choices\":[{\"delta\":null}]}");
    assertThat(bare.id()).isNull();
    assertThat(bare.created()).isZero();
    assertThat(bare.choices()).containsExactly(new ChatChunk.Delta(0, null, null, List.of(), null, null));
  }

  @Test
  void usageDetailsAndAMissingTotal() {
    ChatChunk c = reader.read("""
        {"id":"u","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":4,
         "prompt_tokens_details":{"cached_tokens":6,"audio_tokens":0},
         "completion_tokens_details":{"reasoning_tokens":2,"accepted_prediction_tokens":0}}}""");
    assertThat(c.usage()).isEqualTo(new Usage(10, 4, 14, 6, 0, 2));
  }

  @Test
  void anErrorEventIsNotAChunk() {
    assertThat(reader.read("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}")).isNull();
    assertThat(reader.read("{\"id\":\"x\",\"error\":null,\"choices\":[]}")).isNotNull();
  }

  @Test
  void fieldsOfTheWrongTypeAreProtocolErrorsNamingTheirPath() {
    assertBad("{\"choices\":{}}", "'choices': expected an array, got an object");
    assertBad("{\"choices\":[{\"delta\":{\"content\":7}}]}", "'choices[0].delta.content': expected a string");
    assertBad("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":{}}}]}}]}",
        "'choices[0].delta.tool_calls[0].function.arguments': expected a string, got an object");
    assertBad("{\"choices\":[],\"usage\":{\"prompt_tokens\":-1}}", "'usage.prompt_tokens': cannot be negative");
    assertBad("{\"created\":\"yesterday\",\"choices\":[]}", "'created': expected an integer, got a string");
    assertBad("{\"choices\":[{\"index\":1.5}]}", "'choices[0].index': expected an integer");
  }

  @Test
  void textThatIsNotOneJsonObjectIsAProtocolError() {
    for (String bad : List.of("[1,2]", "{\"id\":", "not json", "{\"id\":\"a\"} {\"id\":\"b\"}", "\"text\"")) {
      assertThatThrownBy(() -> reader.read(bad)).as(bad).isInstanceOf(GatewayError.class)
          .hasMessageContaining("vllm-a sent a stream chunk that is not a JSON object")
          .satisfies(e -> assertThat(((GatewayError) e).kind()).isEqualTo(GatewayError.Kind.UPSTREAM_PROTOCOL));
    }
  }

  private void assertBad(String json, String message) {
    assertThatThrownBy(() -> reader.read(json)).as(json).isInstanceOf(GatewayError.class)
        .hasMessageContaining("vllm-a sent a malformed response at " + message.substring(0, message.indexOf(':')))
        .hasMessageContaining(message.substring(message.indexOf(':')))
        .satisfies(e -> assertThat(((GatewayError) e).kind()).isEqualTo(GatewayError.Kind.UPSTREAM_PROTOCOL));
  }
}
