package dev.sluice.gateway.cluster;

import com.hazelcast.map.EntryProcessor;
import java.io.Serial;
import java.util.Map;

/**
 * The atomic updates of a pool (one dimension of one scope: requests, tokens or concurrency slots of a window,
 * or the nano-USD of a budget), run by the owner of its partition. State is a {@code long[]}
 * {epoch, leased, spent, firedMask}, then {memberHi, memberLo, held} per member holding a lease: {@code leased} is what members hold as leases (used or not),
 * {@code spent} what they reported as spent (budgets only). {@code leased + spent <= limit} is the invariant
 * every grant keeps, so the sum of what members may admit never exceeds the limit.
 */
final class Processors {
  private Processors() {}

  /**
   * Gives back {@code release} of the caller's lease and reports {@code report} spent (both only if the
   * caller's {@code epoch} is still current), then grants up to {@code want}. Windows ({@code windowMillis > 0})
   * open a new epoch at {@code now} once the current one ended; budgets move to a later {@code epoch} (period
   * start) when the caller sees one. What each member holds is kept per member ({@code memberHi, memberLo}: its
   * Hazelcast UUID), so the lease of a member that dies can be reclaimed ({@link Reclaim}). Answers {epoch,
   * granted, free after the grant, crossed threshold mask}.
   */
  record Take(long epoch, long windowMillis, long now, long limit, long want, long release, long report,
              double[] thresholds, long memberHi, long memberLo) implements EntryProcessor<String, long[], long[]> {
    @Serial
    private static final long serialVersionUID = 2L;

    Take(long epoch, long windowMillis, long now, long limit, long want, long release, long report,
         double[] thresholds) {
      this(epoch, windowMillis, now, limit, want, release, report, thresholds, 0, 0);
    }

    /** This call, made by the member {@code hi, lo}. */
    Take by(long hi, long lo) {
      return new Take(epoch, windowMillis, now, limit, want, release, report, thresholds, hi, lo);
    }

    @Override
    public long[] process(Map.Entry<String, long[]> entry) {
      long[] s = entry.getValue();
      boolean expired = s == null || (windowMillis > 0 ? now >= s[0] + windowMillis : s[0] < epoch);
      if (expired) s = new long[] {windowMillis > 0 ? now : epoch, 0, 0, 0};
      long crossed = 0;
      long held = held(s, memberHi, memberLo);
      if (s[0] == epoch) {
        long back = Math.min(release, held);
        s[1] = Math.max(0, s[1] - back);
        held -= back;
        long before = s[2];
        s[2] += report;
        for (int i = 0; thresholds != null && i < thresholds.length && i < 62; i++) {
          long mark = (long) (thresholds[i] * limit);
          if ((s[3] & (1L << i)) == 0 && before < mark && s[2] >= mark) {
            s[3] |= 1L << i;
            crossed |= 1L << i;
          }
        }
      }
      long grant = Math.max(0, Math.min(want, limit - s[1] - s[2]));
      s[1] += grant;
      s = withHeld(s, memberHi, memberLo, held + grant);
      entry.setValue(s);
      return new long[] {s[0], grant, Math.max(0, limit - s[1] - s[2]), crossed};
    }
  }

  /** What member {@code hi, lo} holds of the pool {@code s} (its triples follow the 4 header longs). */
  static long held(long[] s, long hi, long lo) {
    for (int i = HEADER; i + 2 < s.length; i += 3) if (s[i] == hi && s[i + 1] == lo) return s[i + 2];
    return 0;
  }

  /** {@code s} with member {@code hi, lo} holding {@code amount} (its triple dropped at 0). */
  static long[] withHeld(long[] s, long hi, long lo, long amount) {
    for (int i = HEADER; i + 2 < s.length; i += 3) {
      if (s[i] == hi && s[i + 1] == lo) {
        if (amount > 0) {
          s[i + 2] = amount;
          return s;
        }
        long[] out = new long[s.length - 3];
        System.arraycopy(s, 0, out, 0, i);
        System.arraycopy(s, i + 3, out, i, s.length - i - 3);
        return out;
      }
    }
    if (amount <= 0) return s;
    long[] out = java.util.Arrays.copyOf(s, s.length + 3);
    out[s.length] = hi;
    out[s.length + 1] = lo;
    out[s.length + 2] = amount;
    return out;
  }

  static final int HEADER = 4;

  /**
   * Reclaims what a member that left the cluster without giving its leases back (it died) held. Concurrency
   * slots return to the pool: its requests died with it. A budget lease is charged as spent: part of it may
   * have been spent and not reported yet, so charging all of it never over-admits. A window lease stays counted
   * until its window ends (at most a minute): its requests may have been admitted. Idempotent.
   */
  record Reclaim(long memberHi, long memberLo) implements EntryProcessor<String, long[], Long> {
    @Serial
    private static final long serialVersionUID = 1L;

    @Override
    public Long process(Map.Entry<String, long[]> entry) {
      long[] s = entry.getValue();
      if (s == null) return 0L;
      long held = held(s, memberHi, memberLo);
      if (held == 0) return 0L;
      String pool = entry.getKey();
      if (pool.endsWith("#c")) {
        s[1] = Math.max(0, s[1] - held);
      } else if (pool.endsWith("#b")) {
        s[1] = Math.max(0, s[1] - held);
        s[2] += held;
      }
      entry.setValue(withHeld(s, memberHi, memberLo, 0));
      return held;
    }
  }

  /** Raises a budget's spent amount to at least {@code spent} for the period {@code epoch}. */
  record Seed(long epoch, long spent) implements EntryProcessor<String, long[], Boolean> {
    @Serial
    private static final long serialVersionUID = 1L;

    @Override
    public Boolean process(Map.Entry<String, long[]> entry) {
      long[] s = entry.getValue();
      if (s == null || s[0] < epoch) s = new long[] {epoch, 0, 0, 0};
      if (s[0] == epoch) s[2] = Math.max(s[2], spent);
      entry.setValue(s);
      return true;
    }
  }
}
