package dev.sluice.gateway.cache;

import dev.sluice.api.ChatStream;
import dev.sluice.api.cache.CacheBackend;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Choice;
import dev.sluice.gateway.cache.CacheListener.Outcome;
import dev.sluice.gateway.config.CacheConfig;
import dev.sluice.gateway.identity.Principal;
import dev.sluice.gateway.time.Clock;
import dev.sluice.kit.ChatStreams;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache step of the pipeline, in two halves the pipeline calls: {@link #lookUp} (exact lookup, then semantic
 * lookup) before routing, and {@link #store} of a complete and successful answer after it. Streams and JSON share
 * entries: an answer stored from a stream is served as JSON and the other way round.
 */
public final class ChatCache {
  private static final Logger LOG = LoggerFactory.getLogger(ChatCache.class);
  private static final ChatCache DISABLED = new ChatCache(null, CacheConfig.DISABLED, null, null,
      Clock.SYSTEM);
  private static final Future<CacheLookup> OFF = Future.succeededFuture(CacheLookup.OFF);

  private final Vertx vertx;
  private final CacheConfig config;
  private final CacheBackend backend;
  private final SemanticCache semantic;
  private final CacheScope exactScope;
  private final CacheScope semanticScope;
  private final CacheStats stats = new CacheStats();
  private final DecodedEntries decoded = new DecodedEntries(4_096);
  /** When entries were stored, and how old they are, for {@code max-age}. */
  private final Clock clock;
  private final List<CacheListener> listeners = new CopyOnWriteArrayList<>(List.of(stats));

  ChatCache(Vertx vertx, CacheConfig config, CacheBackend backend, SemanticCache semantic, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.config = config;
    this.backend = config.exact().enabled() ? backend : null;
    this.semantic = config.semantic().enabled() ? semantic : null;
    this.exactScope = CacheScope.valueOf(config.exact().scope().toUpperCase(java.util.Locale.ROOT));
    this.semanticScope = CacheScope.valueOf(config.semantic().scope().toUpperCase(java.util.Locale.ROOT));
  }

  /** A cache that never answers and never stores; requests carry no {@code x-sluice-cache} header. */
  public static ChatCache disabled() {
    return DISABLED;
  }

  public boolean enabled() {
    return backend != null || semantic != null;
  }

  /** Whether exact lookups are made (a repeated request body may then be answered without a provider). */
  public boolean exactEnabled() {
    return backend != null;
  }

  /** Adds a metrics hook. */
  public void addListener(CacheListener listener) {
    listeners.add(listener);
  }

  /** The request's key in {@code group}: remembered for a repeated body (the ingress keeps those), else worked out. */
  private RequestKey keyOf(ChatRequest request, String group, KnownRequest known) {
    RequestKey key = known == null ? null : known.key(request, group);
    if (key != null) return key;
    key = RequestKey.of(request, group, semantic != null);
    if (known != null) known.key(request, group, key);
    return key;
  }

  /**
   * Looks {@code request} up under {@code group} in {@code who}'s scope: a hit, or a miss that says whether the
   * answer is to be stored. {@link CacheLookup#OFF} when caching is off. Never fails: a backend that fails is a
   * miss.
   *
   * @param known what the ingress remembers of this very request body, or null
   */
  public Future<CacheLookup> lookUp(ChatRequest request, String group, Principal who, CacheDirectives d,
                                    KnownRequest known) {
    if (!enabled()) return OFF;
    RequestKey key = keyOf(request, group, known);
    String scope = exactScope.of(who);
    if (!d.mayLookUp()) return outcome(scope, key, d, null, Outcome.BYPASS);
    if (backend == null) return afterExact(null, key, scope, who, d);
    Future<Buffer> got = backend.get(scope, key.exact());
    if (got.succeeded()) return afterExact(entryOf(got.result(), known), key, scope, who, d);
    return got.map(bytes -> entryOf(bytes, known))
        .otherwise(e -> {
          LOG.warn("cache backend lookup failed, answering from the provider: {}", e.toString());
          return null;
        })
        .compose(entry -> afterExact(entry, key, scope, who, d));
  }

  /** The entry {@code bytes} hold (null for none): the request's remembered one when the bytes are the same. */
  private CacheEntry entryOf(Buffer bytes, KnownRequest known) {
    if (bytes == null) return null;
    CacheEntry entry = known == null ? null : known.entry(bytes);
    if (entry != null) return entry;
    entry = decoded.of(bytes);
    if (known != null && entry != null) known.entry(bytes, entry);
    return entry;
  }

  /** An exact entry is the answer when it is young enough; else the semantic lookup, when on. */
  private Future<CacheLookup> afterExact(CacheEntry entry, RequestKey key, String scope, Principal who,
                                         CacheDirectives d) {
    if (entry != null && entry.youngerThan(d.maxAge(), clock.millis())) {
      return outcome(scope, key, d, entry, Outcome.HIT);
    }
    if (semantic == null || key.context() == null) return outcome(scope, key, d, null, Outcome.MISS);
    String sscope = semanticScope.of(who);
    double threshold = d.semanticThreshold() != null ? d.semanticThreshold() : config.semantic().threshold();
    return semantic.lookUp(sscope, key.context(), key.lastUserText(), threshold, d.maxAge())
        .otherwise(e -> {
          LOG.warn("semantic cache lookup failed, answering from the provider: {}", e.toString());
          return null;
        })
        .compose(match -> match == null ? outcome(scope, key, d, null, Outcome.MISS)
            : outcome(sscope, key, d, match.entry(), Outcome.SEMANTIC_HIT));
  }

  private Future<CacheLookup> outcome(String scope, RequestKey key, CacheDirectives d, CacheEntry entry,
                                      Outcome outcome) {
    for (CacheListener l : listeners) {
      l.lookedUp(scope, outcome);
      if (entry != null) l.saved(scope, entry.response().usage());
    }
    return Future.succeededFuture(new CacheLookup(outcome, entry, key, entry == null && d.mayStore()));
  }

  /** A stream of a hit's answer, for a client that asked for one. */
  public ChatStream replay(CacheLookup hit) {
    return ChatStreams.replay(vertx.getOrCreateContext(), ResponseChunks.of(hit.response()), Duration.ZERO,
        Duration.ZERO);
  }

  /** Stores {@code response} as the answer to a looked-up request, when the lookup says so and it is complete. */
  public void store(CacheLookup lookup, Principal who, ChatResponse response) {
    if (!lookup.stores() || response == null || !cacheable(response)) return;
    RequestKey key = lookup.key();
    CacheEntry entry = new CacheEntry(response, clock.millis());
    var bytes = entry.encode();
    if (backend != null) {
      String scope = exactScope.of(who);
      backend.put(scope, key.exact(), bytes, config.exact().ttl())
          .onSuccess(v -> listeners.forEach(l -> l.stored(scope, bytes.length())))
          .onFailure(e -> LOG.warn("cache backend store failed: {}", e.toString()));
    }
    if (semantic != null && key.context() != null) {
      semantic.store(semanticScope.of(who), key.context(), key.lastUserText(), entry,
          config.semantic().ttl()).onFailure(e -> LOG.warn("semantic cache store failed: {}", e.toString()));
    }
  }

  /** Only complete answers: every choice finished for a reason other than a content filter. */
  static boolean cacheable(ChatResponse response) {
    if (response.choices().isEmpty()) return false;
    for (Choice c : response.choices()) {
      if (c.finishReason() == null || c.finishReason().equals("content_filter")) return false;
    }
    return true;
  }

  /** Counters, entries and bytes held, for {@code /admin/cache}. */
  public Future<JsonObject> stats() {
    JsonObject out = stats.toJson().put("enabled", new JsonObject().put("exact", backend != null)
        .put("semantic", semantic != null));
    Future<JsonObject> exact = backend == null ? Future.succeededFuture(new JsonObject())
        : backend.stats().map(s -> new JsonObject().put("backend", config.exact().backend())
            .put("entries", s.entries()).put("bytes", s.bytes()));
    return exact.map(e -> {
      out.put("exact", e);
      if (semantic != null) out.put("semantic", semantic.statsJson());
      return out;
    });
  }

  /**
   * Forgets the entries of one scope ({@code team:research}, {@code key:<id>}, {@code global}), or every entry
   * when {@code scope} is null; returns how many were dropped.
   */
  public Future<Long> flush(String scope) {
    long dropped = semantic == null ? 0 : semantic.flush(scope);
    if (backend == null) return Future.succeededFuture(dropped);
    return backend.invalidate(scope).map(n -> n + dropped);
  }

  public Future<Void> close() {
    return backend == null ? Future.succeededFuture() : backend.close();
  }
}
