package dev.sluice.gateway.cache;

import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Choice;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.ToolCall;
import dev.sluice.api.model.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Builds the complete response a stream carried, from its canonical chunks. {@link #result()} is null unless
 * every choice finished; a stream with log probabilities is not assembled (they are not kept).
 */
public final class ChunkAssembler {
  private static final class Part {
    final StringBuilder text = new StringBuilder();
    final TreeMap<Integer, String[]> calls = new TreeMap<>();
    String finish;
  }

  private final TreeMap<Integer, Part> choices = new TreeMap<>();
  private String id;
  private long created;
  private String model;
  private String fingerprint;
  private Usage usage;
  private boolean unusable;

  public void add(ChatChunk chunk) {
    if (id == null) {
      id = chunk.id();
      created = chunk.created();
      model = chunk.model();
    }
    if (chunk.systemFingerprint() != null) fingerprint = chunk.systemFingerprint();
    if (chunk.usage() != null) usage = chunk.usage();
    for (ChatChunk.Delta d : chunk.choices()) {
      if (d.logprobs() != null) unusable = true;
      Part p = choices.computeIfAbsent(d.index(), i -> new Part());
      if (d.content() != null) p.text.append(d.content());
      for (ChatChunk.ToolCallDelta t : d.toolCalls()) {
        String[] call = p.calls.computeIfAbsent(t.index(), i -> new String[] {null, null, ""});
        if (t.id() != null) call[0] = t.id();
        if (t.name() != null) call[1] = t.name();
        if (t.arguments() != null) call[2] = call[2] + t.arguments();
      }
      if (d.finishReason() != null) p.finish = d.finishReason();
    }
  }

  public ChatResponse result() {
    if (unusable || choices.isEmpty()) return null;
    List<Choice> out = new ArrayList<>(choices.size());
    for (var e : choices.entrySet()) {
      Part p = e.getValue();
      if (p.finish == null) return null;
      List<ToolCall> calls = new ArrayList<>();
      for (String[] c : p.calls.values()) {
        if (c[0] == null || c[1] == null) return null;
        calls.add(new ToolCall(c[0], c[1], c[2]));
      }
      List<ContentPart> content = p.text.length() == 0 && !calls.isEmpty() ? List.of()
          : List.of(ContentPart.text(p.text.toString()));
      out.add(new Choice(e.getKey(), new Message(Role.ASSISTANT, content, null, calls, null), p.finish, null));
    }
    return new ChatResponse(id, created, model, out, usage, fingerprint);
  }
}
