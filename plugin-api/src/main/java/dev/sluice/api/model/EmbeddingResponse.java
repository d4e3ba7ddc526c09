package dev.sluice.api.model;

import java.util.List;

/** One vector per input, in input order. */
public record EmbeddingResponse(String model, List<float[]> vectors, Usage usage) {
  public EmbeddingResponse {
    vectors = List.copyOf(vectors);
  }

  public EmbeddingResponse withModel(String newModel) {
    return new EmbeddingResponse(newModel, vectors, usage);
  }
}
