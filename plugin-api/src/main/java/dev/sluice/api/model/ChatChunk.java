package dev.sluice.api.model;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One event of a streamed chat completion. A usage-only chunk has no choices and a usage.
 */
public record ChatChunk(String id, long created, String model, List<Delta> choices, Usage usage,
                        String systemFingerprint) {
  public ChatChunk {
    choices = choices == null ? List.of() : List.copyOf(choices);
  }

  public ChatChunk withModel(String model) {
    return new ChatChunk(id, created, model, choices, usage, systemFingerprint);
  }

  /** What one choice adds; every field but {@code index} is optional. */
  public record Delta(int index, Role role, String content, List<ToolCallDelta> toolCalls, String finishReason,
                      JsonObject logprobs) {
    public Delta {
      toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public static Delta text(int index, String content) {
      return new Delta(index, null, content, null, null, null);
    }

    public static Delta finish(int index, String finishReason) {
      return new Delta(index, null, null, null, finishReason, null);
    }
  }

  /**
   * A piece of a tool call: the first piece of a call has its id and name, later ones add argument text.
   *
   * @param index the call's position within the message's tool calls
   */
  public record ToolCallDelta(int index, String id, String name, String arguments) {}
}
