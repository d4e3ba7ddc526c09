package dev.sluice.wire.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.Usage;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
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

  // ---- the byte path: the same answer as the text path, whatever the bytes ----

  /** Realistic chunks and every edge the text reader handles. */
  static final List<String> SAMPLES = List.of(
      "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"m\","
          + "\"system_fingerprint\":\"fp\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
          + "\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}",
      "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"h\u00e9llo \\u00e9 \\ud83d\\ude00 \\n"
          + " \\\"q\\\" \u2713 \ud83d\ude00 \u4e2d\u6587\"}}]}",
      "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
          + "\"type\":\"function\",\"function\":{\"name\":\"get\",\"arguments\":\"{\\\"city\\\":\"}},"
          + "{\"index\":1,\"function\":{\"arguments\":\"x\"}}]},\"finish_reason\":\"tool_calls\"},"
          + "{\"index\":1,\"delta\":{\"content\":\"b\"}}]}",
      "{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17,"
          + "\"prompt_tokens_details\":{\"cached_tokens\":3,\"audio_tokens\":0},"
          + "\"completion_tokens_details\":{\"reasoning_tokens\":2}}}",
      "{\"unknown\":{\"deep\":[1,{\"x\":[true,null]}]},\"choices\":[{\"delta\":{\"extra\":[1],"
          + "\"content\":\"a\"},\"more\":{}}],\"tail\":\"\u00e9\"}",
      "{\"choices\":[{\"delta\":{\"content\":\"x\"},\"logprobs\":{\"content\":[{\"token\":\"x\","
          + "\"logprob\":-0.25}]}}]}",
      "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}",
      "{\"id\":\"x\",\"error\":null,\"choices\":[]}",
      "{\"choices\":{}}", "{\"choices\":[{\"index\":1.5}]}", "{\"choices\":[{\"index\":2.0}]}",
      "{\"created\":\"yesterday\",\"choices\":[]}", "{\"created\":99999999999999999999999}",
      "{\"choices\":[],\"usage\":{\"prompt_tokens\":-1}}", "{\"id\":", "{\"id\":\"a\"} {\"id\":\"b\"}",
      "{\"id\":\"a\"}   ", "{\"id\":\"a\",}", "{\"id\":\"tab\there\"}", "{}", "{\"id\":\"\u0000\"}");

  @Test
  void bytesGiveTheSameChunkOrTheSameErrorAsTheirText() {
    for (String json : SAMPLES) {
      assertSameAsText(json.getBytes(StandardCharsets.UTF_8));
    }
    // Bytes the text path decodes with replacements, or that Jackson would read as another encoding.
    String content = "{\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"%s\"}}]}";
    for (byte[] odd : List.of(new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xC0, (byte) 0x80},
        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80,
            (byte) 0x80}, new byte[] {(byte) 0xE2, (byte) 0x82}, new byte[] {(byte) 0xFF}, new byte[] {0},
        new byte[] {(byte) 0x80, 'a'})) {
      String[] halves = content.split("%s");
      byte[] bytes = concat(halves[0].getBytes(StandardCharsets.UTF_8), odd, halves[1].getBytes(StandardCharsets.UTF_8));
      assertSameAsText(bytes);
      if (odd[0] == 0) continue; // a raw NUL in a string is an error either way
      assertThat(reader.read(bytes, 0, bytes.length).choices().get(0).content())
          .isEqualTo(new String(odd, StandardCharsets.UTF_8));
    }
    assertSameAsText(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "{\"id\":\"bom\"}".getBytes()));
    assertSameAsText("{\u0000\"id\":\"a\"}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void bytesInsideALargerArrayAreReadAtTheirOffset() {
    byte[] json = SAMPLES.get(1).getBytes(StandardCharsets.UTF_8);
    byte[] framed = concat("data: ".getBytes(), json, "\n\ndata: {\"id\":\"next\"}".getBytes());
    assertThat(reader.read(framed, 6, json.length)).isEqualTo(reader.read(SAMPLES.get(1)));
  }

  @Test
  void randomEditsOfRealChunksReadTheSameFromBytesAsFromText() {
    Random random = new Random(42);
    byte[] interesting = {'{', '}', '[', ']', '"', '\\', ':', ',', '0', '-', 'e', '.', 'n', 'u', 't', ' ', 0,
        (byte) 0xC3, (byte) 0xA9, (byte) 0xE2, (byte) 0x9C, (byte) 0x93, (byte) 0xF0, (byte) 0x9F, (byte) 0x98,
        (byte) 0x80, (byte) 0xED, (byte) 0xA0, (byte) 0xFF, (byte) 0xC0};
    for (int n = 0; n < 20_000; n++) {
      byte[] bytes = SAMPLES.get(random.nextInt(SAMPLES.size())).getBytes(StandardCharsets.UTF_8);
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits && bytes.length > 1; e++) {
        int at = 1 + random.nextInt(bytes.length - 1);
        switch (random.nextInt(3)) {
          case 0 -> bytes[at] = interesting[random.nextInt(interesting.length)];
          case 1 -> bytes = concat(Arrays.copyOf(bytes, at), new byte[] {interesting[random.nextInt(interesting.length)]},
              Arrays.copyOfRange(bytes, at, bytes.length));
          default -> bytes = concat(Arrays.copyOf(bytes, at), Arrays.copyOfRange(bytes, at + 1, bytes.length));
        }
      }
      assertSameAsText(bytes);
    }
  }

  @Test
  void strictUtf8IsExactlyWhatJavaDecodesWithoutReplacing() {
    Random random = new Random(7);
    byte[] pool = {'a', 0, 0x7F, (byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xC1, (byte) 0xC2, (byte) 0xDF,
        (byte) 0xE0, (byte) 0xA0, (byte) 0x9F, (byte) 0xED, (byte) 0xEF, (byte) 0xF0, (byte) 0x8F, (byte) 0x90,
        (byte) 0xF4, (byte) 0xF5, (byte) 0xFF};
    for (int n = 0; n < 200_000; n++) {
      // short arrays, and longer mostly-ASCII ones (read eight bytes at a time) with an odd byte anywhere
      boolean longer = n % 2 == 0;
      byte[] b = new byte[longer ? random.nextInt(40) : random.nextInt(6)];
      for (int i = 0; i < b.length; i++) {
        if (longer && random.nextInt(16) != 0) b[i] = (byte) (1 + random.nextInt(127));
        else b[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : pool[random.nextInt(pool.length)];
      }
      boolean exact = Arrays.equals(new String(b, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8), b);
      boolean nul = false;
      for (byte x : b) nul |= x == 0;
      byte[] framed = concat(new byte[] {'x'}, b, new byte[] {'y'});
      assertThat(OpenAiChunkReader.strictUtf8WithoutNul(framed, 1, b.length)).as(Arrays.toString(b))
          .isEqualTo(exact && !nul);
    }
  }

  /** read(bytes) answers what read(text) answers: an equal chunk, null, or a GatewayError with the same message. */
  private void assertSameAsText(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    Object fromText = outcome(() -> reader.read(text));
    byte[] framed = concat(new byte[] {'d', 'a', ':'}, bytes, new byte[] {'\n', '{'});
    Object fromBytes = outcome(() -> reader.read(framed, 3, bytes.length));
    assertThat(fromBytes).as(text).isEqualTo(fromText);
  }

  private static Object outcome(java.util.function.Supplier<ChatChunk> read) {
    try {
      return Objects.requireNonNullElse(read.get(), "null");
    } catch (GatewayError e) {
      return e.kind() + ": " + e.getMessage();
    }
  }

  private static byte[] concat(byte[]... parts) {
    List<Byte> out = new ArrayList<>();
    for (byte[] p : parts) for (byte b : p) out.add(b);
    byte[] b = new byte[out.size()];
    for (int i = 0; i < b.length; i++) b[i] = out.get(i);
    return b;
  }

  private void assertBad(String json, String message) {
    assertThatThrownBy(() -> reader.read(json)).as(json).isInstanceOf(GatewayError.class)
        .hasMessageContaining("vllm-a sent a malformed response at " + message.substring(0, message.indexOf(':')))
        .hasMessageContaining(message.substring(message.indexOf(':')))
        .satisfies(e -> assertThat(((GatewayError) e).kind()).isEqualTo(GatewayError.Kind.UPSTREAM_PROTOCOL));
  }
}
