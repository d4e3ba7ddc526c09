package dev.sluice.gateway.pipeline;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.Usage;
import dev.sluice.gateway.cache.CacheListener;
import dev.sluice.gateway.routing.RoutePlan;
import dev.sluice.gateway.routing.RouteResult;
import dev.sluice.gateway.shaping.ShapingReport;

/**
 * How one request went, built once at the end of the {@link Pipeline} from the steps' results; settlement, the
 * spend record, the observers and the response headers all read it. Immutable.
 *
 * @param plan the routing plan; null when the request never got one (it failed before the pipeline)
 * @param shaping what the shape step did; {@link ShapingReport#NONE} when nothing
 * @param cache the cache's outcome ({@code x-sluice-cache}); null when caching is off or not reached
 * @param route how routing went; {@link RouteResult#NONE} when it did not run (a hit, a refusal)
 * @param usage what the call used (counted when the upstream reported none); {@link Usage#ZERO} when unknown
 * @param counted whether Sluice counted {@code usage} itself
 * @param responseText the answer's text when it was kept (request log bodies), else null
 * @param firstTokenNanos when the first streamed content reached the pipeline ({@link System#nanoTime()}), or 0
 * @param failure why the request failed, or null when it was answered
 */
public record Outcome(RoutePlan plan, ShapingReport shaping, CacheListener.Outcome cache, RouteResult route,
                      Usage usage, boolean counted, String responseText, long firstTokenNanos,
                      GatewayError failure) {

  /** A request that failed before it was planned. */
  public static Outcome unplanned(Throwable failure) {
    return new Outcome(null, ShapingReport.NONE, null, RouteResult.NONE, Usage.ZERO, false, null, 0,
        failure == null ? null : GatewayError.from(failure));
  }

  /** A request governance refused: planned, never admitted. */
  static Outcome refused(RoutePlan plan, Throwable failure) {
    return new Outcome(plan, ShapingReport.NONE, null, RouteResult.NONE, Usage.ZERO, false, null, 0,
        GatewayError.from(failure));
  }

  /** The cache's outcome as {@code x-sluice-cache} says it, or null when caching is off. */
  public String cacheStatus() {
    return cache == null ? null : cache.name();
  }

  /** Whether the cache answered. */
  public boolean hit() {
    return cache != null && cache.hit();
  }

  /** The group the request went to: the one that served it, else a rule's choice, else the name's own group. */
  public String group() {
    if (route.servedGroup() != null) return route.servedGroup();
    if (route.decision() != null) return route.decision().group();
    return plan == null ? null : plan.namedGroup();
  }

  /** The HTTP status the client got for this outcome. */
  public int status() {
    return failure == null ? 200 : failure.status();
  }
}
