package dev.sluice.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.cache.CacheBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every cache backend passes: extend it, return your backend from {@link #createBackend} and say
 * from {@link #expiry} how its entries age. Scopes are made unique per test, so a shared store (Redis) may hold
 * other data. No test waits for time to pass.
 */
public abstract class CacheBackendContractTest {
  protected Vertx vertx;
  private CacheBackend backend;
  private String a;
  private String b;

  /** A fresh backend on {@code vertx}. */
  protected abstract CacheBackend createBackend(Vertx vertx);

  /** How the kit sees this backend's entries expire, without waiting for them to: see {@link Expiry}. */
  protected abstract Expiry expiry();

  /**
   * How a backend's entries age. Either the backend reads a clock the test moves ({@link #byClock}: the kit
   * advances it past a time to live and expects the entry gone), or the entries live in a store that expires them
   * itself, on its own clock, such as Redis ({@link #byStore}: the kit reads the time to live the store holds for
   * an entry and expects the one it asked for). In the second case the backend's part of the contract is to hand
   * the store the right expiry; that the store drops an entry once it expires is the store's own guarantee, which
   * this kit cannot speed up honestly (rewriting expiries behind the backend's back would test the rewrite).
   */
  public sealed interface Expiry {
    /** @param advance moves the clock the backend reads forward by the given duration */
    static Expiry byClock(Consumer<Duration> advance) {
      return new Clocked(advance);
    }

    /**
     * @param remaining the time to live the store holds for the entry of (scope, key), or null when it holds no
     *                  entry or no expiry for it
     */
    static Expiry byStore(BiFunction<String, String, Future<Duration>> remaining) {
      return new Stored(remaining);
    }
  }

  record Clocked(Consumer<Duration> advance) implements Expiry {}

  record Stored(BiFunction<String, String, Future<Duration>> remaining) implements Expiry {}

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
  void entriesExpire() {
    Expiry expiry = expiry();
    if (expiry instanceof Clocked c) {
      await(backend.put(a, "short", Buffer.buffer("x"), Duration.ofMillis(200)));
      await(backend.put(a, "long", Buffer.buffer("y"), Duration.ofMinutes(5)));
      c.advance().accept(Duration.ofMillis(150));
      assertThat(await(backend.get(a, "short"))).as("150 ms into a 200 ms time to live").isNotNull();
      c.advance().accept(Duration.ofMillis(100));
      assertThat(await(backend.get(a, "short"))).as("250 ms into a 200 ms time to live").isNull();
    } else if (expiry instanceof Stored s) {
      // The store's clock is real time: times to live no test run outlasts, told apart by the expiry it holds.
      await(backend.put(a, "short", Buffer.buffer("x"), Duration.ofSeconds(90)));
      await(backend.put(a, "long", Buffer.buffer("y"), Duration.ofHours(1)));
      assertThat(await(s.remaining().apply(a, "short"))).as("the store's expiry of a 90 s entry")
          .isNotNull().isGreaterThan(Duration.ofSeconds(60)).isLessThanOrEqualTo(Duration.ofSeconds(90));
      assertThat(await(s.remaining().apply(a, "long"))).as("the store's expiry of a 1 h entry")
          .isNotNull().isGreaterThan(Duration.ofMinutes(59)).isLessThanOrEqualTo(Duration.ofHours(1));
      assertThat(await(s.remaining().apply(a, "absent"))).as("no entry, no expiry").isNull();
      assertThat(await(backend.get(a, "short"))).isNotNull();
    }
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
