package dev.sluice.api.cache;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;

/**
 * Where exact-cache entries live: opaque bytes under a key, grouped by scope (a tenant: {@code team:research},
 * {@code key:k_12}, {@code global}). The runtime hashes requests into keys and encodes entries; a backend only
 * stores bytes, honours each entry's time to live and forgets a whole scope on request. Every method is
 * non-blocking. Make one with a {@link CacheBackendFactory}.
 */
public interface CacheBackend {

  /** The bytes stored under {@code key} in {@code scope}, or null when there are none (or they expired). */
  Future<Buffer> get(String scope, String key);

  /** Stores {@code value}, replacing what was there; it expires after {@code ttl}. */
  Future<Void> put(String scope, String key, Buffer value, Duration ttl);

  /** Forgets every entry of {@code scope}, or of every scope when {@code scope} is null; returns how many. */
  Future<Long> invalidate(String scope);

  /** What the backend holds now. */
  Future<BackendStats> stats();

  /** Releases connections. Called once, when the gateway stops. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }

  /**
   * @param entries entries held (approximate for shared backends)
   * @param bytes bytes held, or -1 when the backend cannot tell
   */
  record BackendStats(long entries, long bytes) {}
}
