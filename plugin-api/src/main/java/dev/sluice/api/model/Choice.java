package dev.sluice.api.model;

import io.vertx.core.json.JsonObject;

/** One completion of a non-streamed response. {@code logprobs} passes through when an upstream sends it. */
public record Choice(int index, Message message, String finishReason, JsonObject logprobs) {
  public Choice {
    if (message == null) throw new IllegalArgumentException("choice needs a message");
  }
}
