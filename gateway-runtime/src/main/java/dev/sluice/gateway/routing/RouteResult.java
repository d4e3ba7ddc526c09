package dev.sluice.gateway.routing;

/**
 * How the route step went for one request: the deployment that answered (or was tried last), the attempts, the
 * group that served it after fallbacks, a cheapest-capable rule's decision, and the time spent waiting on
 * upstreams. Immutable; built when routing is done.
 *
 * @param deployment the deployment of the last attempt, or null when none was made
 * @param attempts upstream attempts made ({@code x-sluice-attempts})
 * @param servedGroup the model group of {@code deployment}, or null
 * @param decision what a cheapest-capable rule decided, or null
 * @param upstreamNanos time spent waiting on upstreams (all attempts; for a stream, until its first content)
 * @param answeredNanos when the answer (for a stream: its first content) came ({@link System#nanoTime()}), or 0
 */
public record RouteResult(Deployment deployment, int attempts, String servedGroup, RouteDecision decision,
                          long upstreamNanos, long answeredNanos) {
  /** Not routed: a cache hit, a refusal, a request that failed before routing. */
  public static final RouteResult NONE = new RouteResult(null, 0, null, null, 0, 0);

  /** Milliseconds spent waiting on upstreams, or null when no upstream was called. */
  public Double upstreamMillis() {
    return upstreamNanos == 0 ? null : upstreamNanos / 1_000_000.0;
  }
}
