package dev.sluice.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.cache.CacheBackend;
import dev.sluice.tck.CacheBackendContractTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The built-in backend passes the contract every backend passes, and stays within its byte bound. */
class MemoryBackendContractTest extends CacheBackendContractTest {
  @Override
  protected CacheBackend createBackend(Vertx vertx) {
    return MemoryBackend.create(1 << 20);
  }

  @Test
  void staysWithinItsByteBound() {
    MemoryBackend small = MemoryBackend.create(64 * 1024);
    Buffer kb = Buffer.buffer(new byte[1024]);
    for (int i = 0; i < 500; i++) await(small.put("global", "k" + i, kb, Duration.ofMinutes(5)));
    CacheBackend.BackendStats s = await(small.stats());
    assertThat(s.bytes()).isLessThanOrEqualTo(64 * 1024);
    assertThat(s.entries()).isBetween(1L, 64L);
  }
}
