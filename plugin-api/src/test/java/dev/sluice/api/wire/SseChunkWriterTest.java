package dev.sluice.api.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.Usage;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The direct writer and the tree encoder must say the same thing, field for field and in the same order. */
class SseChunkWriterTest {

  private static void same(ChatChunk chunk) {
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
}
