package dev.sluice.api.model;

import java.util.List;

/** A complete (non-streamed) chat completion. {@code usage} may be null when an upstream sent none. */
public record ChatResponse(String id, long created, String model, List<Choice> choices, Usage usage,
                           String systemFingerprint) {
  public ChatResponse {
    choices = List.copyOf(choices);
  }

  public ChatResponse withModel(String model) {
    return new ChatResponse(id, created, model, choices, usage, systemFingerprint);
  }
}
