package dev.sluice.gateway.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * This member's share of one pool: what the pool's owner granted it ({@code granted}), of which
 * {@code available} is not yet taken by a request and {@code unreported} is spent but not yet reported.
 * Admission takes from {@code available} under this object's lock, with no cluster call; only a shortfall,
 * the once-a-second report and the return of an idle lease call the owner. The owner never grants beyond its
 * limit, so the members together never admit more than the limit. A window lease dies with its window.
 */
final class Lease {
  private final String pool;
  private final long windowMillis;
  private long epoch = -1;
  private long end = Long.MIN_VALUE;
  private long granted;
  private long available;
  private long unreported;
  private long free;
  private long limit;
  private double[] thresholds;
  private boolean active;
  private List<Promise<List<Integer>>> waiting = new ArrayList<>();
  private Future<Boolean> refilling;

  Lease(String pool, long windowMillis) {
    this.pool = pool;
    this.windowMillis = windowMillis;
    if (windowMillis == 0) end = Long.MAX_VALUE;
  }

  String pool() {
    return pool;
  }

  /** The epoch (window or period start) this lease is for; -1 before the first grant. */
  synchronized long epoch() {
    return epoch;
  }

  /** Takes {@code amount} for a request of epoch {@code period} (budgets; windows pass -1) at {@code now}. */
  synchronized boolean take(long amount, long period, long now) {
    roll(period);
    if (now >= end || available < amount) return false;
    available -= amount;
    active = true;
    return true;
  }

  /** Gives back {@code amount} taken in {@code takenEpoch}; nothing once that window or period is over. */
  synchronized void give(long amount, long takenEpoch, long now) {
    if (takenEpoch == epoch && now < end) available += amount;
  }

  /** Settles a budget reservation of {@code estimate} taken in {@code period} with what was really spent. */
  synchronized Promise<List<Integer>> settle(long period, long estimate, long actual, long limit, double[] marks) {
    boolean same = period == epoch;
    roll(period);
    available += (same ? estimate : 0) - actual;
    unreported += actual;
    this.limit = limit;
    if (marks.length > 0) this.thresholds = marks;
    Promise<List<Integer>> p = Promise.promise();
    waiting.add(p);
    return p;
  }

  /** What this member and the owner can still admit, as last known. */
  synchronized long remaining() {
    return free + Math.max(0, available);
  }

  synchronized long retryAfter(long now) {
    return windowMillis == 0 ? 1000 : Math.max(1, end == Long.MIN_VALUE ? 1 : end - now);
  }

  /**
   * Prepares one call to the owner: reports the unreported spend, gives back what is not needed (all that is
   * available when {@code giveBackAll}), and asks for {@code want} more. The local side is updated now, so
   * concurrent calls never count anything twice.
   */
  synchronized Call call(long limit, long want, long now, boolean giveBackAll) {
    this.limit = limit;
    if (windowMillis > 0 && now >= end) {
      available = 0;
      granted = 0;
    }
    long reserved = granted - available - unreported;
    long keep = (giveBackAll ? 0 : Math.max(0, available)) + reserved;
    Processors.Take take = new Processors.Take(epoch, windowMillis, now, limit, want, granted - keep, unreported,
        thresholds);
    granted = keep;
    available = giveBackAll ? 0 : Math.max(0, available);
    unreported = 0;
    List<Promise<List<Integer>>> reports = waiting;
    waiting = new ArrayList<>();
    return new Call(take, reports);
  }

  record Call(Processors.Take take, List<Promise<List<Integer>>> reports) {}

  /** Applies the owner's answer {epoch, granted, free, crossedMask}; answers the crossed threshold indices. */
  synchronized List<Integer> granted(long[] reply) {
    if (reply[0] != epoch) {
      epoch = reply[0];
      end = windowMillis > 0 ? epoch + windowMillis : Long.MAX_VALUE;
      granted = 0;
      available = 0;
    }
    granted += reply[1];
    available += reply[1];
    free = reply[2];
    List<Integer> crossed = new ArrayList<>();
    for (int i = 0; i < 62; i++) if ((reply[3] & (1L << i)) != 0) crossed.add(i);
    return crossed;
  }

  /** The owner call under way to refill this lease, or null. */
  synchronized Future<Boolean> refilling() {
    return refilling;
  }

  synchronized void refilling(Future<Boolean> call) {
    refilling = call;
  }

  synchronized void refilled(Future<Boolean> call) {
    if (refilling == call) refilling = null;
  }

  /** What the report tick should do. */
  enum Due { NOTHING, REPORT, GIVE_BACK }

  /** Spend to report: REPORT (the lease is kept); idle since the last tick with something left: GIVE_BACK. */
  synchronized Due due(long now) {
    if (windowMillis > 0 && now >= end) {
      available = 0;
      granted = 0;
    }
    Due due = !active && available > 0 ? Due.GIVE_BACK : unreported > 0 ? Due.REPORT : Due.NOTHING;
    active = false;
    return due;
  }

  synchronized long limit() {
    return limit;
  }

  /** A later budget period voids the lease of the earlier one (the owner starts the period from zero). */
  private void roll(long period) {
    if (period > epoch && windowMillis == 0 && period > 0) {
      epoch = period;
      granted = 0;
      available = 0;
      unreported = 0;
    }
  }
}
