package dev.sluice.gateway.time;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when the test says so: both readings advance together. Starts at the real wall time
 * (dates stay plausible for PostgreSQL queries) and at a monotonic origin far from zero.
 */
public final class ManualClock implements Clock {
  private final AtomicLong millis = new AtomicLong(System.currentTimeMillis());
  private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public long nanos() {
    return nanos.get();
  }

  /** Moves both readings forward by {@code d}; answers this clock. */
  public ManualClock advance(Duration d) {
    if (d.isNegative()) throw new IllegalArgumentException("a clock does not go back: " + d);
    nanos.addAndGet(d.toNanos());
    millis.addAndGet(d.toMillis());
    return this;
  }

  @Override
  public String toString() {
    return "ManualClock{millis=" + millis.get() + ", nanos=" + nanos.get() + "}";
  }
}
