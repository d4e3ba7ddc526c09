package dev.sluice.gateway.cache;

import dev.sluice.api.cache.CacheBackend;
import dev.sluice.gateway.cluster.SharedEntries;
import dev.sluice.gateway.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The in-memory exact cache of a cluster node whose entries every node sees (when no Redis is shared): lookups
 * stay in this node's memory; what this node stores is shared, and what other nodes store is copied into it
 * (with what is left of its TTL). A node that joins late loads every live entry.
 */
final class SharedBackend implements CacheBackend {
  private static final char SEP = '\u0000';
  private final CacheBackend local;
  private final SharedEntries shared;
  private final Clock clock;

  SharedBackend(CacheBackend local, SharedEntries shared, Clock clock) {
    this.local = local;
    this.clock = clock;
    this.shared = shared;
    shared.listen((key, bytes) -> receive(bytes), prefix -> local.invalidate(prefix.isEmpty() ? null
        : prefix.substring(0, prefix.length() - 1)));
  }

  private void receive(Buffer bytes) {
    JsonObject o = new JsonObject(bytes);
    long left = o.getLong("expires_ms") - clock.millis();
    if (left > 0) local.put(o.getString("scope"), o.getString("key"), o.getBuffer("value"), Duration.ofMillis(left));
  }

  @Override
  public Future<Buffer> get(String scope, String key) {
    return local.get(scope, key);
  }

  @Override
  public Future<Void> put(String scope, String key, Buffer value, Duration ttl) {
    shared.put(scope + SEP + key, new JsonObject().put("scope", scope).put("key", key).put("value", value)
        .put("expires_ms", clock.millis() + ttl.toMillis()).toBuffer(), ttl);
    return local.put(scope, key, value, ttl);
  }

  @Override
  public Future<Long> invalidate(String scope) {
    shared.removeByPrefix(scope == null ? "" : scope + SEP);
    return local.invalidate(scope);
  }

  @Override
  public Future<BackendStats> stats() {
    return local.stats();
  }

  @Override
  public Future<Void> close() {
    return local.close();
  }
}
