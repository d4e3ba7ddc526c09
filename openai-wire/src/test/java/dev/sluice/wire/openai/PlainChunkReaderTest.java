package dev.sluice.wire.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.Usage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand reader answers the usual chunks, each exactly as Jackson reads it (the text path of
 * {@link OpenAiChunkReader}), and leaves everything unusual to Jackson rather than guess.
 */
class PlainChunkReaderTest {
  private final OpenAiChunkReader jackson = new OpenAiChunkReader("vllm-a");
  private final PlainChunkReader plain = new PlainChunkReader();

  /** Chunks as OpenAI, vLLM and others send them, with every edge the hand reader must get right. */
  static final List<String> USUAL = List.of(
      // the role chunk, with the fields OpenAI adds that Sluice does not read
      "{\"id\":\"chatcmpl-B9\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-4o\","
          + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,\"delta\":"
          + "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],"
          + "\"usage\":null,\"obfuscation\":\"x1\"}",
      // escapes of every kind, an escaped surrogate pair and a lone one, raw 2-, 3- and 4-byte characters
      "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti"
          + " \\u00e9\\u00E9 \\ud83d\\ude00 \\uD800 lone \u00e9 \u4e2d\u6587 \ud83d\ude00 \u007f\"}}]}",
      "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\u00e9\\n\u4e2d\\u4e2d\ud83d\ude00\\t\"}}]}",
      // tool-call deltas: the first piece of a call, then argument pieces (escaped JSON), a second call
      "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
          + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}}]}",
      "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"
          + "{\"arguments\":\"{\\\"city\\\": \\\"Z\u00fcrich\\\"}\"}},{\"index\":1,\"id\":null,\"function\":null},"
          + "{\"function\":{\"name\":\"x\",\"extra\":[1,2]}}]},\"finish_reason\":\"tool_calls\"}]}",
      "{\"id\":\"c\",\"choices\":[{\"delta\":{\"tool_calls\":[]}},{\"delta\":{\"tool_calls\":null}}]}",
      // finish, then the usage chunk (with details, and without a total)
      "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
      "{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17,"
          + "\"prompt_tokens_details\":{\"cached_tokens\":3,\"audio_tokens\":0},"
          + "\"completion_tokens_details\":{\"reasoning_tokens\":2,\"accepted_prediction_tokens\":0}}}",
      "{\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":4,\"total_tokens\":null,"
          + "\"prompt_tokens_details\":null,\"completion_tokens_details\":{\"reasoning_tokens\":null}}}",
      // unknown fields of every kind of value, at every level; whitespace everywhere JSON allows it
      "{\"unknown\":{\"deep\":[1,-2.5e+3,0,0.5,1E9,{\"x\":[true,false,null,\"s\\u0041\",[]]}]},\"choices\":"
          + "[{\"delta\":{\"extra\":[1],\"content\":\"a\"},\"more\":{},\"index\":3}],\"tail\":\"\u00e9\"}",
      " \t\r\n{ \"id\" : \"c\" ,\n\"created\" : 5 , \"choices\" : [ { \"index\" : 1 , \"delta\" : { \"content\""
          + " : \"x\" } } , { } ] } \n ",
      // repeated fields: the last one counts, as with Jackson; nulls where Jackson accepts them
      "{\"id\":\"a\",\"id\":\"b\",\"choices\":[{\"index\":4,\"index\":null,\"delta\":{\"content\":\"x\"},"
          + "\"delta\":{\"role\":\"user\"}}],\"created\":null,\"model\":null,\"error\":null}",
      "{\"choices\":[{\"delta\":{\"role\":\"narrator\",\"content\":null}}]}",
      "{}", "{\"choices\":null}", "{\"created\":999999999999999999}");

  /** Chunks the hand reader leaves to Jackson, which reads them, rejects them, or calls them error events. */
  static final List<String> UNUSUAL = List.of(
      "{\"choices\":[{\"delta\":{\"content\":\"x\"},\"logprobs\":{\"content\":[]}}]}",
      "{\"error\":{\"message\":\"overloaded\"}}", "{\"error\":\"x\"}",
      "{\"choices\":[{\"index\":2.0}]}", "{\"choices\":[{\"index\":-1}]}", "{\"choices\":[{\"index\":1e0}]}",
      "{\"choices\":[{\"index\":1234567890}]}", "{\"created\":-5}", "{\"created\":1.5}",
      "{\"created\":9999999999999999999}", "{\"created\":01}", "{\"x\":01}", "{\"x\":-}", "{\"x\":1.}",
      "{\"x\":1e}", "{\"x\":.5}", "{\"x\":+1}", "{\"x\":" + "1".repeat(100) + "}",
      "{\"i\\u0064\":\"escaped name\"}", "{\"" + "n".repeat(300) + "\":1}", "{id:\"a\"}", "{'id':'a'}",
      "{\"id\":\"a\",}", "{\"choices\":[{},]}", "{\"id\":\"a\"} x", "{\"id\":\"a\"}{}", "{\"id\":\"a\"",
      "{\"id\":\"a", "{\"id\":", "{\"id\":\"a\\x\"}", "{\"id\":\"a\\u12G4\"}", "{\"id\":\"tab\there\"}",
      "{\"x\":nul}", "{\"x\":nullx}", "{\"x\":truee}", "{\"x\":True}", "{\"x\":[1 2]}", "{\"x\":{\"a\" 1}}",
      "{\"x\":" + "[".repeat(40) + "]".repeat(40) + "}", "{\"id\":7}", "{\"choices\":{}}",
      "{\"choices\":[1]}", "{\"choices\":[{\"delta\":[]}]}", "{\"choices\":[{\"delta\":{\"content\":7}}]}",
      "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":{}}}]}}]}",
      "{\"choices\":[],\"usage\":{\"prompt_tokens\":-1}}", "{\"choices\":[],\"usage\":[]}",
      "{\"choices\":[],\"usage\":{\"total_tokens\":1.0}}", "{\"x\":1}\u000b", "/*c*/{}", "{} // c", "[]");

  private ChatChunk plainRead(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    // inside a larger array, followed by bytes that would complete a cut-off chunk: it must stop at its end
    byte[] framed = concat("data: ".getBytes(StandardCharsets.US_ASCII), bytes,
        "\"}]}}]}\n\n".getBytes(StandardCharsets.US_ASCII));
    return plain.read(framed, 6, bytes.length);
  }

  @Test
  void usualChunksAreReadByHandExactlyAsJacksonReadsThem() {
    for (String json : USUAL) {
      ChatChunk byHand = plainRead(json);
      assertThat(byHand).as(json).isNotNull().isEqualTo(jackson.read(json));
    }
  }

  @Test
  void theHandReaderGetsEscapesToolCallsAndUsageRight() {
    // Not only the same as Jackson: what the chunk says (in case both were wrong the same way).
    assertThat(plainRead(USUAL.get(2)).choices().get(0).content()).isEqualTo("\u00e9\n\u4e2d\u4e2d\ud83d\ude00\t");
    assertThat(plainRead("{\"choices\":[{\"delta\":{\"content\":\"\\ud83d\\ude00\\uD800\\\"\\\\\\/\"}}]}")
        .choices().get(0).content()).isEqualTo("\ud83d\ude00\ud800\"\\/");
    assertThat(plainRead(USUAL.get(4)).choices()).containsExactly(new ChatChunk.Delta(0, null, null, List.of(
        new ChatChunk.ToolCallDelta(0, null, null, "{\"city\": \"Z\u00fcrich\"}"),
        new ChatChunk.ToolCallDelta(1, null, null, null), new ChatChunk.ToolCallDelta(2, null, "x", null)),
        "tool_calls", null));
    assertThat(plainRead(USUAL.get(7)).usage()).isEqualTo(new Usage(12, 5, 17, 3, 0, 2));
    assertThat(plainRead(USUAL.get(8)).usage()).isEqualTo(new Usage(10, 4, 14, 0, 0, 0));
    ChatChunk repeated = plainRead(USUAL.get(11));
    assertThat(repeated.id()).isEqualTo("b");
    assertThat(repeated.choices()).containsExactly(new ChatChunk.Delta(0, Role.USER, "x", List.of(), null, null));
  }

  @Test
  void unusualChunksAreLeftToJackson() {
    for (String json : UNUSUAL) {
      assertThat(plainRead(json)).as(json).isNull();
    }
    // a cut-off chunk is not completed by the bytes after its slice
    assertThat(plainRead("{\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"abc")).isNull();
  }

  @Test
  void aStreamsRepeatedIdAndModelAreReadOnceAndNeverGoStale() {
    ChatChunk first = plainRead("{\"id\":\"chatcmpl-1\",\"model\":\"m\",\"choices\":[{\"finish_reason\":\"stop\"}]}");
    ChatChunk second = plainRead("{\"id\":\"chatcmpl-1\",\"model\":\"m\",\"choices\":[{\"finish_reason\":\"stop\"}]}");
    assertThat(second.id()).isSameAs(first.id());
    assertThat(second.model()).isSameAs(first.model());
    assertThat(second.choices().get(0).finishReason()).isSameAs(first.choices().get(0).finishReason());
    ChatChunk other = plainRead("{\"id\":\"chatcmpl-2\",\"model\":\"m2\",\"choices\":[{\"finish_reason\":\"st\"}]}");
    assertThat(other.id()).isEqualTo("chatcmpl-2");
    assertThat(other.model()).isEqualTo("m2");
    assertThat(other.choices().get(0).finishReason()).isEqualTo("st");
    assertThat(plainRead("{\"id\":\"chatcmpl-1\"}").id()).isEqualTo("chatcmpl-1");
    assertThat(plainRead("{\"id\":\"\\u0063hatcmpl-1\"}").id()).isEqualTo("chatcmpl-1");
  }

  /** Whatever the hand reader answers for an edited chunk, Jackson answers the same (never an error or null). */
  @Test
  void randomEditsAreReadAsJacksonReadsThemOrLeftToIt() {
    Random random = new Random(11);
    byte[] interesting = {'{', '}', '[', ']', '"', '\\', ':', ',', '0', '1', '-', '+', 'e', '.', 'n', 'u', 'l',
        't', 'r', 'x', ' ', '\n', '\t', (byte) 0xC3, (byte) 0xA9, 0x1F, 0x7F, '/', 'd'};
    int read = 0;
    for (int n = 0; n < 30_000; n++) {
      byte[] bytes = USUAL.get(random.nextInt(USUAL.size())).getBytes(StandardCharsets.UTF_8);
      for (int e = 1 + random.nextInt(2); e > 0 && bytes.length > 1; e--) {
        int at = random.nextInt(bytes.length);
        byte b = interesting[random.nextInt(interesting.length)];
        switch (random.nextInt(3)) {
          case 0 -> bytes[at] = b;
          case 1 -> bytes = concat(Arrays.copyOf(bytes, at), new byte[] {b}, Arrays.copyOfRange(bytes, at,
              bytes.length));
          default -> bytes = concat(Arrays.copyOf(bytes, at), Arrays.copyOfRange(bytes, at + 1, bytes.length));
        }
      }
      if (!OpenAiChunkReader.strictUtf8WithoutNul(bytes, 0, bytes.length)) continue; // the caller's precondition
      String text = new String(bytes, StandardCharsets.UTF_8);
      ChatChunk byHand = plainRead(text);
      if (byHand == null) continue;
      read++;
      ChatChunk byJackson;
      try {
        byJackson = jackson.read(text);
      } catch (GatewayError e) {
        throw new AssertionError("the hand reader read what Jackson rejects: " + text + " (" + e.getMessage() + ")");
      }
      assertThat(byHand).as(text).isEqualTo(byJackson);
    }
    assertThat(read).as("edited chunks the hand reader read").isGreaterThan(5_000);
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) length += p.length;
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
