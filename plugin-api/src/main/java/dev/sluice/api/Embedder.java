package dev.sluice.api;

import dev.sluice.api.model.EmbeddingRequest;
import dev.sluice.api.model.EmbeddingResponse;
import io.vertx.core.Future;

/** The capability to embed text, implemented by providers that have an embeddings endpoint. */
public interface Embedder {
  Future<EmbeddingResponse> embed(EmbeddingRequest request, CallContext call);
}
