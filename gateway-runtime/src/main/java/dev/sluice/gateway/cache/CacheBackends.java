package dev.sluice.gateway.cache;

import dev.sluice.api.ConfigError;
import dev.sluice.api.PluginContext;
import dev.sluice.api.cache.CacheBackend;
import dev.sluice.api.cache.CacheBackendFactory;
import dev.sluice.api.cache.CacheBackendSettings;
import dev.sluice.gateway.config.CacheConfig;
import dev.sluice.gateway.routing.Router;
import dev.sluice.gateway.time.Clock;
import io.vertx.core.Vertx;
import dev.sluice.gateway.cluster.SharedEntries;
import java.util.List;
import java.util.function.Function;
import java.util.TreeSet;

/** Builds the cache from config: the exact cache's backend (built in or a plugin's) and the semantic layer. */
public final class CacheBackends {
  public static final String MEMORY = "memory";

  private CacheBackends() {}

  /**
   * The configured cache. Throws {@link ConfigError} for a backend no plugin provides, a backend that rejects
   * its settings, or an embeddings model that is not served.
   *
   * @param redisUrl {@code storage.redis}, or {@code none}
   */
  public static ChatCache create(Vertx vertx, CacheConfig config, String redisUrl,
                                 List<CacheBackendFactory> factories, Router router) {
    return create(vertx, config, redisUrl, factories, router, null, Clock.SYSTEM);
  }

  /**
   * The configured cache of a cluster node: with {@code shared} (the cluster's entries by name), the semantic
   * cache and the in-memory exact cache share their entries with every node; null on a single node. Entry ages
   * and time to live read {@code clock} (a plugin's backend, such as Redis, expires entries on its own time).
   */
  public static ChatCache create(Vertx vertx, CacheConfig config, String redisUrl,
                                 List<CacheBackendFactory> factories, Router router,
                                 Function<String, SharedEntries> shared, Clock clock) {
    if (!config.enabled()) return ChatCache.disabled();
    CacheBackend backend = null;
    if (config.exact().enabled()) backend = backend(vertx, config.exact(), redisUrl, factories, clock);
    if (backend instanceof MemoryBackend && shared != null) {
      backend = new SharedBackend(backend, shared.apply("exact"), clock);
    }
    SemanticCache semantic = null;
    if (config.semantic().enabled()) {
      CacheConfig.Semantic s = config.semantic();
      TextEmbedder embedder;
      if (s.embeddings().equals("local")) {
        embedder = LocalEmbedder.quantizedMiniLm(vertx);
      } else if (router.catalog().contains(s.embeddings())) {
        embedder = new ProviderEmbedder(router, s.embeddings());
      } else {
        throw ConfigError.invalid("cache.semantic.embeddings", s.embeddings(), "expected local or a served model ("
            + String.join(", ", router.catalog().names()) + ")");
      }
      semantic = new SemanticCache(vertx, embedder, s.guard() ? PrecisionGuard.tuned() : null, s.maxEntries(),
          s.maxEmbedTokens(), clock);
      if (shared != null) semantic.share(shared.apply("semantic"));
    }
    return new ChatCache(vertx, config, backend, semantic, clock);
  }

  private static CacheBackend backend(Vertx vertx, CacheConfig.Exact exact, String redisUrl,
                                      List<CacheBackendFactory> factories, Clock clock) {
    if (exact.backend().equals(MEMORY)) return new MemoryBackend(exact.maxBytes(), clock::nanos);
    TreeSet<String> known = new TreeSet<>(List.of(MEMORY));
    for (CacheBackendFactory f : factories) {
      known.add(f.id());
      if (f.id().equals(exact.backend())) {
        PluginContext context = () -> vertx;
        String url = redisUrl == null || redisUrl.equals("none") ? null : redisUrl;
        return f.create(new CacheBackendSettings("cache.exact", exact.maxBytes(), url), context);
      }
    }
    throw ConfigError.invalid("cache.exact.backend", exact.backend(), "no loaded plugin provides this backend"
        + " (backends: " + String.join(", ", known) + ")");
  }
}
