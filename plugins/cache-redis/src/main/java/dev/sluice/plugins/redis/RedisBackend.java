package dev.sluice.plugins.redis;

import dev.sluice.api.cache.CacheBackend;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Entries as Redis strings with a millisecond expiry ({@code SET key value PX ttl}). A key is
 * {@code sluice:cache:{<scope hash>}:<entry key>}: the scope is hashed so that any scope name is safe in a
 * {@code SCAN MATCH} pattern, and braced so that one scope's keys share a Redis Cluster slot.
 */
final class RedisBackend implements CacheBackend {
  static final String PREFIX = "sluice:cache:";
  /** SCAN pages are bounded; so is the number of pages one flush or count walks. */
  private static final int PAGE = 1000;
  private static final int MAX_PAGES = 100_000;

  private final Redis redis;

  RedisBackend(Redis redis) {
    this.redis = redis;
  }

  static String scopeTag(String scope) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(scope.getBytes(StandardCharsets.UTF_8));
      return "{" + HexFormat.of().formatHex(d, 0, 12) + "}";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The Redis key of {@code key} in {@code scope}. */
  static String key(String scope, String key) {
    return PREFIX + scopeTag(scope) + ":" + key;
  }

  @Override
  public Future<Buffer> get(String scope, String key) {
    return redis.send(Request.cmd(Command.GET).arg(key(scope, key))).map(r -> r == null ? null : r.toBuffer());
  }

  @Override
  public Future<Void> put(String scope, String key, Buffer value, Duration ttl) {
    return redis.send(Request.cmd(Command.SET).arg(key(scope, key)).arg(value).arg("PX")
        .arg(Math.max(1, ttl.toMillis()))).mapEmpty();
  }

  @Override
  public Future<Long> invalidate(String scope) {
    String pattern = scope == null ? PREFIX + "*" : PREFIX + scopeTag(scope) + ":*";
    return scan("0", pattern, 0, 0, true);
  }

  @Override
  public Future<BackendStats> stats() {
    return scan("0", PREFIX + "*", 0, 0, false).map(n -> new BackendStats(n, -1));
  }

  /** Walks SCAN from {@code cursor}, counting (and with {@code delete}, deleting) matching keys. */
  private Future<Long> scan(String cursor, String pattern, long found, int page, boolean delete) {
    return redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(PAGE))
        .compose(r -> {
          String next = r.get(0).toString();
          Response keys = r.get(1);
          Future<Long> step;
          if (delete && keys.size() > 0) {
            Request del = Request.cmd(Command.UNLINK);
            for (Response k : keys) del.arg(k.toBuffer());
            step = redis.send(del).map(d -> d.toLong());
          } else {
            step = Future.succeededFuture((long) keys.size());
          }
          return step.compose(n -> next.equals("0") || page + 1 >= MAX_PAGES ? Future.succeededFuture(found + n)
              : scan(next, pattern, found + n, page + 1, delete));
        });
  }

  @Override
  public Future<Void> close() {
    return redis.close();
  }
}
