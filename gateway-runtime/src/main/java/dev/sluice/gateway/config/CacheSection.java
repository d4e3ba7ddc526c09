package dev.sluice.gateway.config;

import dev.sluice.api.ConfigError;
import java.time.Duration;

/** Reads and validates {@code cache:}; every bad value is a {@link ConfigError} naming its path. */
final class CacheSection {
  private CacheSection() {}

  static CacheConfig read(Node cache) {
    cache.allowOnly("exact", "semantic");
    CacheConfig d = CacheConfig.DISABLED;
    Node e = cache.child("exact");
    e.allowOnly("enabled", "backend", "ttl", "max_size", "scope");
    String backend = e.string("backend", d.exact().backend());
    if (!backend.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
      throw ConfigError.invalid(e.pathOf("backend"), backend, "expected memory, redis or a cache plugin's id");
    }
    CacheConfig.Exact exact = new CacheConfig.Exact(e.bool("enabled", false), backend,
        positive(e, "ttl", d.exact().ttl()), e.bytes("max_size", d.exact().maxBytes()), scope(e));
    Node s = cache.child("semantic");
    s.allowOnly("enabled", "threshold", "ttl", "embeddings", "guard", "max_entries", "scope", "max_embed_tokens");
    String embeddings = s.string("embeddings", d.semantic().embeddings());
    if (embeddings.isBlank()) {
      throw ConfigError.invalid(s.pathOf("embeddings"), embeddings, "expected local or an embeddings model's name");
    }
    CacheConfig.Semantic semantic = new CacheConfig.Semantic(s.bool("enabled", false),
        threshold(s, d.semantic().threshold()), positive(s, "ttl", d.semantic().ttl()), embeddings,
        s.bool("guard", true), s.integer("max_entries", d.semantic().maxEntries(), 1, 10_000_000), scope(s),
        s.integer("max_embed_tokens", d.semantic().maxEmbedTokens(), 8, 8192));
    return new CacheConfig(exact, semantic);
  }

  private static String scope(Node n) {
    return n.oneOf("scope", "team", "team", "key", "global");
  }

  private static Duration positive(Node n, String key, Duration dflt) {
    Duration ttl = n.duration(key, dflt);
    if (ttl.isZero()) throw ConfigError.invalid(n.pathOf(key), n.raw(key), "a time to live must be longer than 0");
    return ttl;
  }

  private static double threshold(Node n, double dflt) {
    Object v = n.raw("threshold");
    if (v == null) return dflt;
    if (!(v instanceof Number num) || !(num.doubleValue() > 0 && num.doubleValue() <= 1)) {
      throw ConfigError.invalid(n.pathOf("threshold"), v, "expected a cosine similarity above 0 and at most 1,"
          + " e.g. 0.9");
    }
    return num.doubleValue();
  }
}
