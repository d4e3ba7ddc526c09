package dev.sluice.api.model;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** Texts to embed. Upstreams are always asked for floats; the ingress encodes base64 itself when asked. */
public record EmbeddingRequest(String model, List<String> input, Integer dimensions, String user, JsonObject extra) {
  public EmbeddingRequest {
    if (input == null || input.isEmpty()) throw new IllegalArgumentException("an embedding request needs input");
    input = List.copyOf(input);
    extra = extra == null ? new JsonObject() : extra;
  }

  public EmbeddingRequest withModel(String newModel) {
    return new EmbeddingRequest(newModel, input, dimensions, user, extra);
  }
}
