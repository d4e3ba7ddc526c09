package dev.sluice.plugins.redis;

import dev.sluice.api.cache.CacheBackend;
import dev.sluice.api.cache.CacheBackendSettings;
import dev.sluice.tck.CacheBackendContractTest;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import redis.embedded.RedisServer;

/**
 * The cache-backend contract against a real Redis: the one on 127.0.0.1:6379 when one listens there (CI and
 * this machine have one), else an embedded Redis server started for the test on a free port.
 */
class RedisBackendContractTest extends CacheBackendContractTest {
  private static RedisServer embedded;
  private static String url;

  @BeforeAll
  static void findRedis() throws IOException {
    if (listening(6379)) {
      url = "redis://127.0.0.1:6379/0";
      return;
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    embedded = new RedisServer(port);
    embedded.start();
    url = "redis://127.0.0.1:" + port + "/0";
  }

  @AfterAll
  static void stopRedis() throws IOException {
    if (embedded != null) embedded.stop();
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static String url() {
    return url;
  }

  @Override
  protected CacheBackend createBackend(Vertx vertx) {
    return new RedisBackendFactory().create(new CacheBackendSettings("cache.exact", 1 << 20, url), () -> vertx);
  }

  /**
   * Redis expires keys itself, in its own real time: the kit checks the expiry this backend gave Redis (PTTL,
   * read on a connection of the test's own) instead of waiting for Redis to honour it.
   */
  @Override
  protected Expiry expiry() {
    return Expiry.byStore((scope, key) -> {
      Redis probe = Redis.createClient(vertx, url);
      return probe.send(Request.cmd(Command.PTTL).arg(RedisBackend.key(scope, key)))
          .map(r -> r.toLong() < 0 ? null : Duration.ofMillis(r.toLong()))
          .andThen(ar -> probe.close());
    });
  }
}
