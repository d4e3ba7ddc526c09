package dev.sluice.api.routing;

import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * Orders the deployments of a model group for one request; the runtime tries them in the order returned,
 * retrying and falling back around them. A plugin declares one {@code @Extension} per strategy;
 * {@code config.yaml}'s {@code routing.strategy} (or a rule's {@code strategy}) names it by {@link #id()}.
 *
 * <p>Called on an event loop for every request, by several event loops at once on one instance: never block,
 * stay cheap (a few deployments, no I/O, microseconds), keep no per-request state in fields. The candidates
 * have already passed the capability filter and the circuit breakers; the runtime passes at least two (it
 * skips the call for one), but a strategy answers any list. {@code dev.sluice.tck.RoutingStrategyContractTest}
 * in the plugin-api test-jar checks all of this; every built-in strategy runs it.
 */
public interface RoutingStrategy extends ExtensionPoint {

  /** The name config uses, e.g. {@code least-latency}. Lower case, stable. */
  String id();

  /**
   * Returns the candidates in the order to try them.
   * <ul>
   *   <li>Only candidates from {@code candidates} (the same instances; two may be equal and still distinct),
   *       each at most once. Leaving some out is allowed: they are not tried. At least one is returned when
   *       {@code candidates} is not empty (an empty answer is treated as the given order); an empty list answers
   *       an empty list, one candidate answers itself.</li>
   *   <li>{@code candidates} may be immutable and must not be modified; the answer is a list of its own, not a
   *       view of the input.</li>
   *   <li>{@link RouteCandidate}'s statistics move while they are read and may be {@code NaN}: read each one
   *       once per call (a sort whose keys change under it may throw), and answer whatever they say.</li>
   *   <li>Never throws.</li>
   * </ul>
   */
  <T extends RouteCandidate> List<T> order(List<T> candidates, RouteRequest request);
}
