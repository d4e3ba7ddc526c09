package dev.sluice.plugins.demo;

import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatChunk.Delta;
import dev.sluice.api.model.ChatChunk.ToolCallDelta;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.ToolCall;
import dev.sluice.api.model.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a {@link Completion} into the chunks OpenAI would stream: per choice, a first delta with the role (and
 * a tool call's id and name), then a few tokens at a time, then the finish reason; choices advance side by
 * side, one delta each per chunk. Ends with a usage chunk when the client asked for one. The streamed text
 * concatenates to exactly the non-streamed answer.
 */
final class StreamPlan {
  static final int TOKENS_PER_CHUNK = 3;

  private StreamPlan() {}

  static List<ChatChunk> chunks(Completion completion, boolean includeUsage) {
    List<List<Delta>> perChoice = new ArrayList<>();
    int longest = 0;
    for (int i = 0; i < completion.answers().size(); i++) {
      List<Delta> deltas = deltas(i, completion.answers().get(i));
      perChoice.add(deltas);
      longest = Math.max(longest, deltas.size());
    }
    List<ChatChunk> chunks = new ArrayList<>(longest + 1);
    for (int k = 0; k < longest; k++) {
      List<Delta> step = new ArrayList<>(perChoice.size());
      for (List<Delta> deltas : perChoice) {
        if (k < deltas.size()) step.add(deltas.get(k));
      }
      chunks.add(chunk(completion, step, null));
    }
    if (includeUsage) chunks.add(chunk(completion, List.of(), completion.usage()));
    return chunks;
  }

  private static ChatChunk chunk(Completion c, List<Delta> deltas, Usage usage) {
    return new ChatChunk(c.id(), c.created(), c.model(), deltas, usage, Completion.FINGERPRINT);
  }

  private static List<Delta> deltas(int index, Answer answer) {
    List<Delta> out = new ArrayList<>();
    ToolCall call = answer.toolCall();
    if (call == null) {
      out.add(new Delta(index, Role.ASSISTANT, "", null, null, null));
      for (String piece : pieces(answer.text())) out.add(Delta.text(index, piece));
    } else {
      out.add(new Delta(index, Role.ASSISTANT, null, List.of(new ToolCallDelta(0, call.id(), call.name(), "")),
          null, null));
      for (String piece : pieces(call.arguments())) {
        out.add(new Delta(index, null, null, List.of(new ToolCallDelta(0, null, null, piece)), null, null));
      }
    }
    out.add(Delta.finish(index, answer.finishReason()));
    return out;
  }

  /** {@code text} in pieces of {@link #TOKENS_PER_CHUNK} tokens. */
  static List<String> pieces(String text) {
    int[] ends = Tokens.ends(text);
    List<String> out = new ArrayList<>(ends.length / TOKENS_PER_CHUNK + 1);
    int start = 0;
    for (int t = TOKENS_PER_CHUNK - 1; start < text.length(); t += TOKENS_PER_CHUNK) {
      int end = ends[Math.min(t, ends.length - 1)];
      out.add(text.substring(start, end));
      start = end;
    }
    return out;
  }
}
