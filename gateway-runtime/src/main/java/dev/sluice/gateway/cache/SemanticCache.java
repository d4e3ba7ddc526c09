package dev.sluice.gateway.cache;

import io.vertx.core.Future;
import dev.sluice.gateway.cluster.SharedEntries;
import dev.sluice.gateway.config.CacheConfig;
import dev.sluice.gateway.time.Clock;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Answers kept by the meaning of the last user turn. A bucket holds the entries of one scope and one context
 * (everything in the request but that turn, hashed), so only requests identical in all else are compared.
 * Embedding and search run on the worker pool; the precision guard checks each candidate above the threshold,
 * best first. At most {@code maxEntries} entries, the oldest dropped first. A miss's text is embedded once: its
 * store reuses the vector its lookup computed.
 */
final class SemanticCache {
  static final int CANDIDATES = 4;

  record Match(CacheEntry entry, float score) {}

  private record Entry(long id, String scope, String bucket, String text, CacheEntry value, long expiresMillis,
                       String sharedKey) {}

  private final Vertx vertx;
  private final TextEmbedder embedder;
  private final PrecisionGuard guard;
  private final int maxEntries;
  /** Entry expiry and age ({@code ttl}, {@code max-age}). */
  private final Clock clock;
  private final Map<String, VectorIndex> buckets = new HashMap<>();
  private final Map<Long, Entry> entries = new HashMap<>();
  private final ArrayDeque<Long> order = new ArrayDeque<>();
  private long nextId;
  private SharedEntries shared;
  /** Shared keys of the entries in this node's index, so an entry received twice is indexed once. */
  private final java.util.Set<String> sharedKeys = new java.util.HashSet<>();

  SemanticCache(Vertx vertx, TextEmbedder embedder, PrecisionGuard guard, int maxEntries, Clock clock) {
    this(vertx, embedder, guard, maxEntries, CacheConfig.DEFAULT_MAX_EMBED_TOKENS, clock);
  }

  /** @param maxEmbedTokens tokens of a text embedded at most (see {@link CappedEmbedder}) */
  SemanticCache(Vertx vertx, TextEmbedder embedder, PrecisionGuard guard, int maxEntries, int maxEmbedTokens,
                Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.embedder = new CappedEmbedder(vertx, new RecentVectors(embedder, 4_096), maxEmbedTokens);
    this.guard = guard;
    this.maxEntries = maxEntries;
  }

  private static String bucket(String scope, String context) {
    return scope + '\u0000' + context;
  }

  Future<Match> lookUp(String scope, String context, String text, double threshold, Duration maxAge) {
    String bucket = bucket(scope, context);
    synchronized (this) {
      if (!buckets.containsKey(bucket)) return Future.succeededFuture();
    }
    return embedder.embed(text).compose(v -> vertx.executeBlocking(
        () -> search(bucket, v, text, threshold, maxAge, clock.millis()), false));
  }

  synchronized Match search(String bucket, float[] v, String text, double threshold, Duration maxAge, long now) {
    VectorIndex index = buckets.get(bucket);
    if (index == null) return null;
    for (VectorIndex.Candidate c : index.nearest(v, CANDIDATES)) {
      if (c.score() < threshold) break;
      Entry e = entries.get(c.id());
      if (e == null) continue;
      if (e.expiresMillis() <= now) {
        drop(e);
        continue;
      }
      if (!e.value().youngerThan(maxAge, now)) continue;
      if (guard == null || guard.accepts(text, e.text())) return new Match(e.value(), c.score());
    }
    return null;
  }

  Future<Void> store(String scope, String context, String text, CacheEntry value, Duration ttl) {
    return embedder.embed(text).compose(v -> vertx.executeBlocking(() -> {
      long expires = value.createdMillis() + ttl.toMillis();
      String bucket = bucket(scope, context);
      SharedEntries s = shared;
      String key = s == null ? null : scope + '\u0000' + Integer.toHexString(bucket.hashCode())
          + Integer.toHexString(text.hashCode()) + '-' + value.createdMillis();
      add(scope, bucket, text, v, value, expires, key);
      if (s != null) s.put(key, encode(scope, bucket, text, v, value, expires), ttl);
      return null;
    }, false));
  }

  /**
   * Shares this node's entries with the cluster and indexes theirs: an entry carries its vector, so no node
   * embeds another's text again; each node keeps its own index, so lookups stay local.
   */
  void share(SharedEntries entries) {
    this.shared = entries;
    entries.listen(this::receive, prefix -> dropLocal(prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1)));
  }

  private void receive(String key, Buffer bytes) {
    JsonObject o = new JsonObject(bytes);
    long expires = o.getLong("x");
    if (expires <= clock.millis()) return;
    CacheEntry value = CacheEntry.decode(o.getBuffer("e"));
    if (value == null) return;
    byte[] raw = o.getBinary("v");
    float[] v = new float[raw.length / 4];
    java.nio.ByteBuffer.wrap(raw).asFloatBuffer().get(v);
    synchronized (this) {
      if (sharedKeys.contains(key)) return;
      add(o.getString("s"), o.getString("b"), o.getString("t"), v, value, expires, key);
    }
  }

  private static Buffer encode(String scope, String bucket, String text, float[] v, CacheEntry value, long expires) {
    java.nio.ByteBuffer raw = java.nio.ByteBuffer.allocate(v.length * 4);
    raw.asFloatBuffer().put(v);
    return new JsonObject().put("s", scope).put("b", bucket).put("t", text).put("v", raw.array())
        .put("e", value.encode()).put("x", expires).toBuffer();
  }

  synchronized void add(String scope, String bucket, String text, float[] v, CacheEntry value, long expiresMillis) {
    add(scope, bucket, text, v, value, expiresMillis, null);
  }

  private synchronized void add(String scope, String bucket, String text, float[] v, CacheEntry value,
                                long expiresMillis, String sharedKey) {
    long id = nextId++;
    entries.put(id, new Entry(id, scope, bucket, text, value, expiresMillis, sharedKey));
    if (sharedKey != null) sharedKeys.add(sharedKey);
    buckets.computeIfAbsent(bucket, b -> VectorIndex.create(v.length)).add(id, v);
    order.addLast(id);
    while (entries.size() > maxEntries && !order.isEmpty()) {
      Entry oldest = entries.get(order.pollFirst());
      if (oldest != null) drop(oldest);
    }
  }

  private void drop(Entry e) {
    entries.remove(e.id());
    if (e.sharedKey() != null) sharedKeys.remove(e.sharedKey());
    VectorIndex index = buckets.get(e.bucket());
    if (index != null) {
      index.remove(e.id());
      if (index.size() == 0) buckets.remove(e.bucket());
    }
  }

  /** Drops the entries of {@code scope} (every entry when null), here and on every node; returns how many. */
  synchronized long flush(String scope) {
    if (shared != null) shared.removeByPrefix(scope == null ? "" : scope + '\u0000');
    return dropLocal(scope);
  }

  /** Drops this node's copies of the entries of {@code scope} (every entry when null); returns how many. */
  private synchronized long dropLocal(String scope) {
    long n = 0;
    for (Iterator<Entry> it = List.copyOf(entries.values()).iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (scope == null || e.scope().equals(scope)) {
        drop(e);
        n++;
      }
    }
    return n;
  }

  synchronized int size() {
    return entries.size();
  }

  synchronized JsonObject statsJson() {
    return new JsonObject().put("entries", entries.size()).put("buckets", buckets.size())
        .put("max_entries", maxEntries).put("guard", guard != null);
  }
}
