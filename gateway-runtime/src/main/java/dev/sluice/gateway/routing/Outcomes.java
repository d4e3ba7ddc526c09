package dev.sluice.gateway.routing;

/**
 * Successes and failures over a sliding time window of ten buckets; the breaker's failure ratio and the error
 * rate strategies see. Safe to use from several event loops.
 */
final class Outcomes {
  private static final int BUCKETS = 10;
  private final long[] ok = new long[BUCKETS];
  private final long[] failed = new long[BUCKETS];
  private final long[] slot = new long[BUCKETS];
  private final long origin;
  private volatile long bucketNanos;

  /** @param originNanos now, on the clock the outcomes are recorded with */
  Outcomes(long windowNanos, long originNanos) {
    this.origin = originNanos;
    window(windowNanos);
    clear();
  }

  void window(long windowNanos) {
    bucketNanos = Math.max(1_000_000, windowNanos / BUCKETS);
  }

  synchronized void record(boolean success, long nowNanos) {
    long s = (nowNanos - origin) / bucketNanos;
    int i = (int) Math.floorMod(s, (long) BUCKETS);
    if (slot[i] != s) {
      slot[i] = s;
      ok[i] = 0;
      failed[i] = 0;
    }
    if (success) ok[i]++;
    else failed[i]++;
  }

  /** {@code {successes, failures}} in the window ending now. */
  synchronized long[] counts(long nowNanos) {
    long s = (nowNanos - origin) / bucketNanos;
    long good = 0;
    long bad = 0;
    for (int i = 0; i < BUCKETS; i++) {
      if (s - slot[i] < BUCKETS) {
        good += ok[i];
        bad += failed[i];
      }
    }
    return new long[] {good, bad};
  }

  double errorRate(long nowNanos) {
    long[] c = counts(nowNanos);
    long all = c[0] + c[1];
    return all == 0 ? 0 : (double) c[1] / all;
  }

  synchronized void clear() {
    java.util.Arrays.fill(slot, -2L * BUCKETS);
  }
}
