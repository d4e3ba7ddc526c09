package dev.sluice.gateway.cluster;

import com.hazelcast.map.EntryProcessor;
import java.io.Serial;
import java.util.Map;

/**
 * The atomic updates of a pool (one dimension of one scope: requests, tokens or concurrency slots of a window,
 * or the micro-USD of a budget), run by the owner of its partition. State is a {@code long[]}
 * {epoch, leased, spent, firedMask}: {@code leased} is what members hold as leases (used or not),
 * {@code spent} what they reported as spent (budgets only). {@code leased + spent <= limit} is the invariant
 * every grant keeps, so the sum of what members may admit never exceeds the limit.
 */
final class Processors {
  private Processors() {}

  /**
   * Gives back {@code release} of the caller's lease and reports {@code report} spent (both only if the
   * caller's {@code epoch} is still current), then grants up to {@code want}. Windows ({@code windowMillis > 0})
   * open a new epoch at {@code now} once the current one ended; budgets move to a later {@code epoch} (period
   * start) when the caller sees one. Answers {epoch, granted, free after the grant, crossed threshold mask}.
   */
  record Take(long epoch, long windowMillis, long now, long limit, long want, long release, long report,
              double[] thresholds) implements EntryProcessor<String, long[], long[]> {
    @Serial
    private static final long serialVersionUID = 1L;

    @Override
    public long[] process(Map.Entry<String, long[]> entry) {
      long[] s = entry.getValue();
      boolean expired = s == null || (windowMillis > 0 ? now >= s[0] + windowMillis : s[0] < epoch);
      if (expired) s = new long[] {windowMillis > 0 ? now : epoch, 0, 0, 0};
      long crossed = 0;
      if (s[0] == epoch) {
        s[1] = Math.max(0, s[1] - release);
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
      entry.setValue(s);
      return new long[] {s[0], grant, Math.max(0, limit - s[1] - s[2]), crossed};
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
