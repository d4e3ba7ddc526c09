package dev.sluice.wire.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.Usage;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The direct writer and the tree encoder must say the same thing, field for field and in the same order; and the
 * writer must write exactly the bytes the Jackson-generator writer it replaced wrote.
 */
class SseChunkWriterTest {
  private static final SseChunkWriter STREAM_WRITER = new SseChunkWriter();

  private static void same(ChatChunk chunk) {
    sameBytesAsJackson(chunk);
    String event = SseChunkWriter.event(chunk).toString();
    assertThat(event).startsWith("data: ").endsWith("\n\n");
    String json = event.substring(6, event.length() - 2);
    assertThat(json).isEqualTo(OpenAiResponses.encode(chunk).encode());
    assertThat(new JsonObject(json)).isEqualTo(OpenAiResponses.encode(chunk));
  }

  @Test
  void textRoleFinishAndUsageChunks() {
    same(new ChatChunk("c1", 1700000000L, "m", List.of(new ChatChunk.Delta(0, Role.ASSISTANT, "", null, null, null)),
        null, "fp_1"));
    same(new ChatChunk("c1", 1L, "m", List.of(ChatChunk.Delta.text(0, "Hé \"quoted\" \n line \u2028")), null, null));
    same(new ChatChunk("c1", 1L, "m", List.of(ChatChunk.Delta.finish(0, "stop")), null, null));
    same(new ChatChunk("c1", 1L, "m", List.of(), new Usage(12, 5, 17, 3, 0, 2), null));
  }

  @Test
  void toolCallDeltasAndLogprobs() {
    same(new ChatChunk("c2", 2L, "m", List.of(new ChatChunk.Delta(1, null, null, List.of(
        new ChatChunk.ToolCallDelta(0, "call_1", "get_weather", ""),
        new ChatChunk.ToolCallDelta(1, null, null, "{\"city\":")), null,
        new JsonObject().put("content", List.of()))), null, null));
  }

  @Test
  void everyKindOfCharacterIsWrittenAsJacksonWroteIt() {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x900; c++) all.append(c);
    all.append("\u2028\u2029\uFEFF\uFFFF\uD83D\uDE00 lone \uD800 \uDFFF x\uDBFF");
    String text = all.toString();
    sameBytesAsJackson(new ChatChunk(text, Long.MIN_VALUE, text, List.of(new ChatChunk.Delta(Integer.MAX_VALUE,
        Role.ASSISTANT, text, List.of(new ChatChunk.ToolCallDelta(-1, text, text, text)), text, null)),
        new Usage(0, Integer.MAX_VALUE, 7, 1, 0, 2), text));
    sameBytesAsJackson(new ChatChunk(null, 0, null, List.of(new ChatChunk.Delta(0, null, null, null, null, null)),
        null, null));
  }

  @Test
  void randomChunksAreWrittenAsJacksonWroteThem() {
    Random random = new Random(3);
    for (int n = 0; n < 5000; n++) {
      List<ChatChunk.Delta> deltas = new ArrayList<>();
      for (int d = random.nextInt(3); d > 0; d--) {
        List<ChatChunk.ToolCallDelta> calls = new ArrayList<>();
        for (int t = random.nextInt(3) == 0 ? random.nextInt(3) : 0; t > 0; t--) {
          calls.add(new ChatChunk.ToolCallDelta(random.nextInt(5), text(random), text(random), text(random)));
        }
        Role role = random.nextBoolean() ? null : Role.values()[random.nextInt(Role.values().length)];
        // Raw logprobs text with a lone surrogate: Jackson wrote invalid UTF-8 or failed; now it is a '?'.
        JsonObject logprobs = random.nextInt(5) == 0
            ? new JsonObject().put("t", String.valueOf(text(random)).replaceAll("[\\uD800-\\uDFFF]", "") + "\uD83D\uDE00") : null;
        deltas.add(new ChatChunk.Delta(random.nextInt(3), role, text(random), calls, text(random), logprobs));
      }
      Usage usage = random.nextInt(4) == 0 ? new Usage(random.nextInt(1000), random.nextInt(1000),
          random.nextInt(2000), random.nextInt(10), 0, random.nextInt(10)) : null;
      sameBytesAsJackson(new ChatChunk(text(random), random.nextLong(), text(random), deltas, usage, text(random)));
    }
  }

  /** Null, empty, or a short mix of ASCII, escapes, 2- and 3-byte characters and surrogates (paired or not). */
  private static String text(Random random) {
    int kind = random.nextInt(6);
    if (kind == 0) return null;
    if (kind == 1) return "";
    String pool = "ab \"\\/\n\r\t\b\f\u0000\u001f\u007f\u0080é中\u2028\uFFFD\uD83D\uDE00\uDBFF";
    StringBuilder sb = new StringBuilder();
    for (int i = random.nextInt(12); i > 0; i--) sb.append(pool.charAt(random.nextInt(pool.length())));
    return sb.toString();
  }

  private static void sameBytesAsJackson(ChatChunk chunk) {
    byte[] expected = JacksonSseChunkWriter.event(chunk).getBytes();
    // a stream's writer, whose scratch array may hold a longer earlier event, writes the same bytes
    assertThat(STREAM_WRITER.write(chunk).getBytes()).isEqualTo(expected);
    // appended to a turn's buffer after an earlier event: that event, then exactly these bytes
    io.vertx.core.buffer.Buffer turn = io.vertx.core.buffer.Buffer.buffer(8).appendString("earlier\n\n");
    STREAM_WRITER.write(chunk, turn);
    assertThat(turn.getBytes(0, 9)).isEqualTo("earlier\n\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertThat(turn.getBytes(9, turn.length())).isEqualTo(expected);
    // Latin-1 shows each byte as one char, so a difference shows where it is.
    assertThat(new String(SseChunkWriter.event(chunk).getBytes(), java.nio.charset.StandardCharsets.ISO_8859_1))
        .isEqualTo(new String(expected, java.nio.charset.StandardCharsets.ISO_8859_1));
  }
}
