package dev.sluice.gateway.cache;

import dev.sluice.api.routing.EstimatorContext;
import dev.sluice.gateway.config.CacheConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The in-process embeddings, for users outside the cache (difficulty estimators). */
public final class Embeddings {
  private Embeddings() {}

  /**
   * An estimator context over the shared in-process MiniLM of {@code vertx} (loaded on first use, on a worker);
   * texts are capped like the semantic cache's, at {@link CacheConfig#DEFAULT_MAX_EMBED_TOKENS} tokens.
   */
  public static EstimatorContext local(Vertx vertx) {
    TextEmbedder capped = new CappedEmbedder(vertx, LocalEmbedder.quantizedMiniLm(vertx),
        CacheConfig.DEFAULT_MAX_EMBED_TOKENS);
    return new EstimatorContext() {
      @Override
      public Vertx vertx() {
        return vertx;
      }

      @Override
      public Future<float[]> embed(String text) {
        return capped.embed(text);
      }
    };
  }
}
