package dev.sluice.api.routing;

import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * Orders the deployments of a model group for one request; the runtime tries them in the order returned,
 * retrying and falling back around them. A plugin declares one {@code @Extension} per strategy;
 * {@code config.yaml}'s {@code routing.strategy} (or a rule's {@code strategy}) names it by {@link #id()}.
 *
 * <p>Called on an event loop for every request: never block, stay cheap (a few deployments, no I/O). The
 * candidates have already passed the capability filter and the circuit breakers; they are never empty.
 */
public interface RoutingStrategy extends ExtensionPoint {

  /** The name config uses, e.g. {@code least-latency}. Lower case, stable. */
  String id();

  /**
   * Returns the candidates in the order to try them: every candidate at most once (leaving some out is
   * allowed: they are not tried). Must not modify {@code candidates}.
   */
  <T extends RouteCandidate> List<T> order(List<T> candidates, RouteRequest request);
}
