package dev.sluice.gateway.cache;

import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Choice;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * A complete response as the chunks of a well-formed stream: per choice, one delta with the role, the text and
 * the tool calls, then one with the finish reason; last, a usage chunk when the response has usage.
 */
final class ResponseChunks {
  private ResponseChunks() {}

  static List<ChatChunk> of(ChatResponse r) {
    List<ChatChunk> out = new ArrayList<>(r.choices().size() * 2 + 1);
    for (Choice c : r.choices()) {
      List<ChatChunk.ToolCallDelta> calls = new ArrayList<>(c.message().toolCalls().size());
      for (int i = 0; i < c.message().toolCalls().size(); i++) {
        ToolCall t = c.message().toolCalls().get(i);
        calls.add(new ChatChunk.ToolCallDelta(i, t.id(), t.name(), t.arguments()));
      }
      String text = c.message().content().isEmpty() ? null : c.message().text();
      out.add(chunk(r, List.of(new ChatChunk.Delta(c.index(), Role.ASSISTANT, text, calls, null, null))));
      out.add(chunk(r, List.of(ChatChunk.Delta.finish(c.index(), c.finishReason()))));
    }
    if (r.usage() != null) out.add(new ChatChunk(r.id(), r.created(), r.model(), List.of(), r.usage(),
        r.systemFingerprint()));
    return out;
  }

  private static ChatChunk chunk(ChatResponse r, List<ChatChunk.Delta> deltas) {
    return new ChatChunk(r.id(), r.created(), r.model(), deltas, null, r.systemFingerprint());
  }
}
