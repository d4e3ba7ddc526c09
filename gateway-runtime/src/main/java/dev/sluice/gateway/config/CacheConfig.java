package dev.sluice.gateway.config;

import java.time.Duration;

/** The validated {@code cache:} section. Both caches are off unless config.yaml turns them on. */
public record CacheConfig(Exact exact, Semantic semantic) {
  public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;
  public static final CacheConfig DISABLED = new CacheConfig(
      new Exact(false, "memory", Duration.ofHours(1), DEFAULT_MAX_BYTES, "team"),
      new Semantic(false, 0.9, Duration.ofHours(24), "local", true, 100_000, "team"));
  /** Tokens of a text the semantic cache embeds at most ({@code cache.semantic.max_embed_tokens}). */
  public static final int DEFAULT_MAX_EMBED_TOKENS = 512;

  /**
   * @param backend {@code memory}, or the id of a cache-backend plugin ({@code redis})
   * @param scope who shares entries: {@code key}, {@code team} or {@code global}
   */
  public record Exact(boolean enabled, String backend, Duration ttl, long maxBytes, String scope) {}

  /**
   * @param embeddings {@code local} (all-MiniLM-L6-v2 in process) or the name of a served embeddings model
   * @param guard whether the precision guard verifies every candidate
   * @param maxEntries how many entries the in-process index keeps (oldest dropped first)
   * @param maxEmbedTokens tokens of a turn embedded at most: a longer one is embedded as its head and tail
   */
  public record Semantic(boolean enabled, double threshold, Duration ttl, String embeddings, boolean guard,
                         int maxEntries, String scope, int maxEmbedTokens) {
    public Semantic(boolean enabled, double threshold, Duration ttl, String embeddings, boolean guard,
                    int maxEntries, String scope) {
      this(enabled, threshold, ttl, embeddings, guard, maxEntries, scope, DEFAULT_MAX_EMBED_TOKENS);
    }
  }

  public boolean enabled() {
    return exact.enabled() || semantic.enabled();
  }
}
