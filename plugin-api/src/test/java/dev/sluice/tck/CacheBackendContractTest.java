package dev.sluice.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.cache.CacheBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every cache backend passes: extend it, return your backend from {@link #createBackend}.
 * Scopes are made unique per test, so a shared store (Redis) may hold other data.
 */
public abstract class CacheBackendContractTest {
  protected Vertx vertx;
  private CacheBackend backend;
  private String a;
  private String b;

  /** A fresh backend on {@code vertx}. */
  protected abstract CacheBackend createBackend(Vertx vertx);

  @BeforeEach
  void setUpBackend() {
    vertx = Vertx.vertx();
    backend = createBackend(vertx);
    String run = UUID.randomUUID().toString().substring(0, 8);
    a = "team:a-" + run;
    b = "team:b-" + run;
  }

  @AfterEach
  void tearDownBackend() {
    await(backend.invalidate(a));
    await(backend.invalidate(b));
    await(backend.close());
    await(vertx.close());
  }

  protected static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("backend call failed", e);
    }
  }

  @Test
  void storesAndReturnsBytes() {
    Buffer value = Buffer.buffer("{\"answer\":\"é ✓\"}");
    await(backend.put(a, "k1", value, Duration.ofMinutes(5)));
    assertThat(await(backend.get(a, "k1"))).isEqualTo(value);
    assertThat(await(backend.get(a, "absent"))).isNull();
  }

  @Test
  void scopesAreSeparate() {
    await(backend.put(a, "k", Buffer.buffer("A"), Duration.ofMinutes(5)));
    assertThat(await(backend.get(b, "k"))).isNull();
    await(backend.put(b, "k", Buffer.buffer("B"), Duration.ofMinutes(5)));
    assertThat(await(backend.get(a, "k")).toString()).isEqualTo("A");
    assertThat(await(backend.get(b, "k")).toString()).isEqualTo("B");
  }

  @Test
  void replacesAValue() {
    await(backend.put(a, "k", Buffer.buffer("old"), Duration.ofMinutes(5)));
    await(backend.put(a, "k", Buffer.buffer("new"), Duration.ofMinutes(5)));
    assertThat(await(backend.get(a, "k")).toString()).isEqualTo("new");
  }

  @Test
  void invalidatingAScopeLeavesTheOthers() {
    await(backend.put(a, "k1", Buffer.buffer("1"), Duration.ofMinutes(5)));
    await(backend.put(a, "k2", Buffer.buffer("2"), Duration.ofMinutes(5)));
    await(backend.put(b, "k1", Buffer.buffer("3"), Duration.ofMinutes(5)));
    assertThat(await(backend.invalidate(a))).isEqualTo(2L);
    assertThat(await(backend.get(a, "k1"))).isNull();
    assertThat(await(backend.get(a, "k2"))).isNull();
    assertThat(await(backend.get(b, "k1")).toString()).isEqualTo("3");
  }

  @Test
  void entriesExpire() throws InterruptedException {
    await(backend.put(a, "short", Buffer.buffer("x"), Duration.ofMillis(200)));
    await(backend.put(a, "long", Buffer.buffer("y"), Duration.ofMinutes(5)));
    assertThat(await(backend.get(a, "short"))).isNotNull();
    Thread.sleep(450);
    assertThat(await(backend.get(a, "short"))).isNull();
    assertThat(await(backend.get(a, "long"))).isNotNull();
  }

  @Test
  void statsCountEntries() {
    long before = await(backend.stats()).entries();
    await(backend.put(a, "k1", Buffer.buffer("1"), Duration.ofMinutes(5)));
    await(backend.put(b, "k2", Buffer.buffer("2"), Duration.ofMinutes(5)));
    assertThat(await(backend.stats()).entries()).isGreaterThanOrEqualTo(before + 2);
  }
}
