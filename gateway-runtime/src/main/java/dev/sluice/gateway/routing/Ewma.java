package dev.sluice.gateway.routing;

/**
 * An exponentially weighted moving average that fades while no sample arrives (half-life of one second), so a
 * deployment that looked slow once (a cold connection, a hiccup) is tried again instead of being starved
 * forever. Safe to update from several event loops.
 */
final class Ewma {
  private final dev.sluice.gateway.time.Clock clock;
  private static final double ALPHA = 0.2;
  private static final double HALF_LIFE_NANOS = 1e9;
  private double value = Double.NaN;
  private long lastNanos;

  Ewma(dev.sluice.gateway.time.Clock clock) {
    this.clock = clock;
  }

  synchronized void add(double sample) {
    long now = clock.nanos();
    double current = faded(now);
    value = Double.isNaN(current) ? sample : current + ALPHA * (sample - current);
    lastNanos = now;
  }

  synchronized double get() {
    return faded(clock.nanos());
  }

  private double faded(long now) {
    if (Double.isNaN(value)) return value;
    return value * Math.pow(2, -(now - lastNanos) / HALF_LIFE_NANOS);
  }
}
