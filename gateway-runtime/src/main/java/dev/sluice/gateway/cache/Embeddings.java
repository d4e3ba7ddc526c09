package dev.sluice.gateway.cache;

import dev.sluice.api.routing.EstimatorContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The in-process embeddings, for users outside the cache (difficulty estimators). */
public final class Embeddings {
  private Embeddings() {}

  /** An estimator context over the shared in-process MiniLM of {@code vertx} (loaded on first use, on a worker). */
  public static EstimatorContext local(Vertx vertx) {
    return new EstimatorContext() {
      @Override
      public Vertx vertx() {
        return vertx;
      }

      @Override
      public Future<float[]> embed(String text) {
        return LocalEmbedder.quantizedMiniLm(vertx).embed(text);
      }
    };
  }
}
