package dev.sluice.gateway.routing;

import dev.sluice.gateway.time.Clock;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A circuit breaker whose {@code open_for} is measured on the runtime's {@link Clock}: CLOSED lets every call
 * through (it opens only when told, by {@link #open}); OPEN refuses calls with {@link OpenCircuitException}
 * until {@code open_for} has passed on the clock, then it is HALF_OPEN and lets one probe through. A probe that
 * fails by {@code failure} opens it again; any other outcome closes it.
 *
 * <p>The state is worked out from the clock whenever it is read, so a test that advances its clock sees the
 * breaker half-open at once. A Vert.x timer set at {@code open_for} only wakes the breaker up, so that listeners
 * hear of HALF_OPEN without waiting for traffic; it decides nothing on its own.
 */
final class Breaker {
  private final Vertx vertx;
  private final Clock clock;
  private final Predicate<Throwable> failure;
  private final Consumer<CircuitBreakerState> onChange;
  private volatile long openForNanos;
  private CircuitBreakerState state = CircuitBreakerState.CLOSED;
  private long openedAtNanos;
  private boolean probing;
  private long wakeUp = -1;

  /** @param onChange told of every change of state, after it happened (outside the breaker's lock) */
  Breaker(Vertx vertx, Clock clock, long openForNanos, Predicate<Throwable> failure,
          Consumer<CircuitBreakerState> onChange) {
    this.vertx = vertx;
    this.clock = clock;
    this.openForNanos = openForNanos;
    this.failure = failure;
    this.onChange = onChange;
  }

  void openFor(long nanos) {
    openForNanos = nanos;
  }

  CircuitBreakerState state() {
    CircuitBreakerState s;
    boolean halfOpened;
    synchronized (this) {
      halfOpened = due();
      s = state;
    }
    if (halfOpened) onChange.accept(CircuitBreakerState.HALF_OPEN);
    return s;
  }

  /** OPEN turns HALF_OPEN once {@code open_for} has passed on the clock; answers whether it just did. */
  private boolean due() {
    if (state != CircuitBreakerState.OPEN || clock.nanos() - openedAtNanos < openForNanos) return false;
    state = CircuitBreakerState.HALF_OPEN;
    probing = false;
    return true;
  }

  /** Opens (a no-op when already open): refuses calls for {@code open_for}. */
  void open() {
    synchronized (this) {
      if (state == CircuitBreakerState.OPEN) return;
      state = CircuitBreakerState.OPEN;
      openedAtNanos = clock.nanos();
      probing = false;
      if (vertx != null) {
        if (wakeUp >= 0) vertx.cancelTimer(wakeUp);
        wakeUp = vertx.setTimer(Math.max(1, openForNanos / 1_000_000), id -> {
          synchronized (this) {
            if (wakeUp == id) wakeUp = -1;
          }
          state();
        });
      }
    }
    onChange.accept(CircuitBreakerState.OPEN);
  }

  private void close() {
    synchronized (this) {
      if (state == CircuitBreakerState.CLOSED) return;
      state = CircuitBreakerState.CLOSED;
      probing = false;
    }
    onChange.accept(CircuitBreakerState.CLOSED);
  }

  /** Runs {@code attempt} when the breaker lets it through; else fails with {@link OpenCircuitException}. */
  <T> Future<T> execute(Supplier<Future<T>> attempt) {
    boolean halfOpened;
    boolean probe;
    boolean refused;
    synchronized (this) {
      halfOpened = due();
      probe = state == CircuitBreakerState.HALF_OPEN;
      refused = state == CircuitBreakerState.OPEN || probe && probing;
      if (probe && !refused) probing = true;
    }
    if (halfOpened) onChange.accept(CircuitBreakerState.HALF_OPEN);
    if (refused) return Future.failedFuture(OpenCircuitException.INSTANCE);
    Future<T> f;
    try {
      f = attempt.get();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    if (!probe) return f;
    return f.andThen(ar -> {
      if (ar.failed() && failure.test(ar.cause())) open();
      else close();
    });
  }

  void stop() {
    synchronized (this) {
      if (wakeUp >= 0 && vertx != null) vertx.cancelTimer(wakeUp);
      wakeUp = -1;
    }
  }
}
