package dev.sluice.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.cache.CacheBackend;
import dev.sluice.gateway.time.Clock;
import dev.sluice.gateway.time.ManualClock;
import dev.sluice.tck.CacheBackendContractTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The built-in backend passes the contract every backend passes, and stays within its byte bound. */
class MemoryBackendContractTest extends CacheBackendContractTest {
  /** The clock the backend's time to live runs on; the kit advances it. */
  private final ManualClock clock = new ManualClock();

  @Override
  protected CacheBackend createBackend(Vertx vertx) {
    return new MemoryBackend(1 << 20, clock::nanos);
  }

  @Override
  protected Expiry expiry() {
    return Expiry.byClock(clock::advance);
  }

  @Test
  void staysWithinItsByteBound() {
    MemoryBackend small = new MemoryBackend(64 * 1024, Clock.SYSTEM::nanos);
    Buffer kb = Buffer.buffer(new byte[1024]);
    for (int i = 0; i < 500; i++) await(small.put("global", "k" + i, kb, Duration.ofMinutes(5)));
    CacheBackend.BackendStats s = await(small.stats());
    assertThat(s.bytes()).isLessThanOrEqualTo(64 * 1024);
    assertThat(s.entries()).isBetween(1L, 64L);
  }
}
