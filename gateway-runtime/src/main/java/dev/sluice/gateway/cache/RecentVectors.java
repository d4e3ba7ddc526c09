package dev.sluice.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;

/**
 * The vectors of recently embedded texts. A miss embeds its last user turn to look it up, then stores the same
 * text once the provider has answered: the store reuses the lookup's vector instead of embedding it again.
 */
final class RecentVectors implements TextEmbedder {
  private final TextEmbedder embedder;
  private final Cache<String, float[]> recent;

  RecentVectors(TextEmbedder embedder, long maxTexts) {
    this.embedder = embedder;
    this.recent = Caffeine.newBuilder().maximumSize(maxTexts).build();
  }

  @Override
  public Future<float[]> embed(String text) {
    float[] v = recent.getIfPresent(text);
    if (v != null) return Future.succeededFuture(v);
    return embedder.embed(text).onSuccess(vector -> recent.put(text, vector));
  }
}
