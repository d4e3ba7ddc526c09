package dev.sluice.api.model;

import io.vertx.core.json.JsonObject;

/** A function the model may call. {@code parameters} is a JSON Schema object (treat it as read-only). */
public record Tool(String name, String description, JsonObject parameters, Boolean strict) {
  public Tool {
    if (name == null || name.isEmpty()) throw new IllegalArgumentException("tool needs a name");
  }
}
