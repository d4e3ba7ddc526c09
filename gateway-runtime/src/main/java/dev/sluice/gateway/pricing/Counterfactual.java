package dev.sluice.gateway.pricing;

import dev.sluice.api.model.Usage;

/**
 * What one request cost and what it would have cost without each gateway lever, in whole nano-dollars so the
 * parts add up exactly: {@code actual + exactCache + semanticCache + routing + shaping + providerCache = baseline}.
 * The levers are taken away one at a time, innermost first:
 * <ol>
 *   <li>provider caching (only when the gateway placed the cache breakpoints): the same usage with every cached
 *       and cache-written token billed as plain input;</li>
 *   <li>compaction and compression: the prompt tokens they saved added back (less what the summary calls cost);</li>
 *   <li>routing: that usage at the price of the model as requested rather than the one that answered;</li>
 *   <li>a cache hit replaces the whole call: its saving is the baseline itself.</li>
 * </ol>
 * A lever can save a negative amount (a cache write that is never read, a fallback to a dearer model).
 */
public final class Counterfactual {
  private Counterfactual() {}

  /**
   * One request's outcome.
   *
   * @param costNanos what it cost (the call and its side calls), null when the model answering has no price
   * @param baselineNanos what it would have cost as requested with no lever, null when that cannot be priced
   */
  public record Outcome(Long costNanos, Long baselineNanos, long exactCache, long semanticCache, long routing,
                        long shaping, long providerCache) {}

  /**
   * @param usage what the call used (for a cache hit, what the replaced call used)
   * @param served the price of the deployment that answered (for a cache hit: of the model asked for)
   * @param asked the price of the model as requested, null when unknown
   * @param exactHit the exact cache answered
   * @param semanticHit the semantic cache answered
   * @param tokensSaved prompt tokens compaction and compression took out
   * @param breakpoints whether the gateway placed provider cache breakpoints
   * @param sideNanos what calls made on the request's behalf cost (compaction summaries)
   */
  public static Outcome of(Usage usage, Price served, Price asked, boolean exactHit, boolean semanticHit,
                           int tokensSaved, boolean breakpoints, long sideNanos) {
    boolean exact = exactHit;
    boolean semantic = semanticHit;
    if (exact || semantic) {
      Price p = asked != null ? asked : served;
      if (p == null) return new Outcome(sideNanos, null, 0, 0, 0, 0, 0);
      long baseline = nanos(p.cost(plain(usage, tokensSaved)));
      return new Outcome(sideNanos, baseline, exact ? baseline : 0, semantic ? baseline : 0, 0, -sideNanos, 0);
    }
    if (served == null) return new Outcome(null, null, 0, 0, 0, 0, 0);
    long actual = nanos(served.cost(usage));
    long noProviderCache = breakpoints ? nanos(served.cost(plain(usage, 0))) : actual;
    Usage unshaped = breakpoints ? plain(usage, tokensSaved) : withMorePrompt(usage, tokensSaved);
    long noShaping = nanos(served.cost(unshaped));
    long baseline = asked != null ? nanos(asked.cost(unshaped)) : noShaping;
    return new Outcome(actual + sideNanos, baseline, 0, 0, baseline - noShaping, noShaping - noProviderCache - sideNanos,
        noProviderCache - actual);
  }

  /**
   * {@code usd} in whole nano-dollars, rounded to the nearest, except that a positive amount is at least 1: no
   * cost, however small, rounds to nothing (a budget of 0 refuses it; a budget of a few nano-dollars runs out).
   */
  public static long nanos(double usd) {
    long n = Math.round(usd * 1e9);
    return n == 0 && usd > 0 ? 1 : n;
  }

  public static double usd(long nanos) {
    return nanos / 1e9;
  }

  /** {@code u} with {@code more} prompt tokens and nothing read from or written to a provider's cache. */
  static Usage plain(Usage u, int more) {
    return new Usage(u.promptTokens() + more, u.completionTokens(), u.totalTokens() + more, 0, 0, u.reasoningTokens());
  }

  private static Usage withMorePrompt(Usage u, int more) {
    if (more == 0) return u;
    return new Usage(u.promptTokens() + more, u.completionTokens(), u.totalTokens() + more, u.cachedTokens(),
        u.cacheWriteTokens(), u.reasoningTokens());
  }
}
