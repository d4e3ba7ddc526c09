package dev.sluice.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.sluice.api.cache.CacheBackend;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The built-in backend: a Caffeine cache in this process, bounded by the bytes of its entries (keys included),
 * each entry expiring after its own time to live as {@code ticker} tells it (the runtime's clock). Every call
 * completes at once, on the caller's thread.
 */
final class MemoryBackend implements CacheBackend {
  /** Per-entry bookkeeping Caffeine keeps beside the bytes, counted in the bound. */
  private static final int OVERHEAD = 96;

  private record Key(String scope, String key) {}

  private record Stored(Buffer value, long ttlNanos) {}

  private final Cache<Key, Stored> cache;
  private final AtomicLong bytes = new AtomicLong();

  MemoryBackend(long maxBytes, Ticker ticker) {
    this.cache = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((Key k, Stored v) -> weight(k, v))
        .expireAfter(new Expiry<Key, Stored>() {
          @Override
          public long expireAfterCreate(Key k, Stored v, long now) {
            return v.ttlNanos();
          }

          @Override
          public long expireAfterUpdate(Key k, Stored v, long now, long current) {
            return v.ttlNanos();
          }

          @Override
          public long expireAfterRead(Key k, Stored v, long now, long current) {
            return current;
          }
        })
        .ticker(ticker)
        .executor(Runnable::run)
        .removalListener((Key k, Stored v, com.github.benmanes.caffeine.cache.RemovalCause c) -> {
          if (k != null && v != null) bytes.addAndGet(-weight(k, v));
        })
        .build();
  }

  private static int weight(Key k, Stored v) {
    long w = OVERHEAD + 2L * (k.scope().length() + k.key().length()) + v.value().length();
    return (int) Math.min(Integer.MAX_VALUE, w);
  }

  @Override
  public Future<Buffer> get(String scope, String key) {
    Stored s = cache.getIfPresent(new Key(scope, key));
    return Future.succeededFuture(s == null ? null : s.value());
  }

  @Override
  public Future<Void> put(String scope, String key, Buffer value, Duration ttl) {
    Key k = new Key(scope, key);
    Stored s = new Stored(value.copy(), Math.max(1, ttl.toNanos()));
    bytes.addAndGet(weight(k, s));
    cache.put(k, s);
    return Future.succeededFuture();
  }

  @Override
  public Future<Long> invalidate(String scope) {
    long[] removed = {0};
    cache.asMap().keySet().removeIf(k -> {
      boolean match = scope == null || k.scope().equals(scope);
      if (match) removed[0]++;
      return match;
    });
    return Future.succeededFuture(removed[0]);
  }

  @Override
  public Future<BackendStats> stats() {
    cache.cleanUp();
    return Future.succeededFuture(new BackendStats(cache.estimatedSize(), Math.max(0, bytes.get())));
  }
}
