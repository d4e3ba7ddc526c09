package dev.sluice.gateway.routing;

import dev.sluice.api.GatewayError;

/**
 * Hooks the router calls as it works, for metrics. Called on event loops: return quickly, never block.
 * Every method does nothing by default.
 */
public interface RoutingListener {

  /**
   * One upstream attempt ended.
   *
   * @param failure null when the attempt succeeded
   * @param millis how long the attempt took (to the first content for streams)
   */
  default void attempt(String group, Deployment deployment, int number, GatewayError failure, double millis) {}

  /** A request left model group {@code from} for {@code to} after a failure of kind {@code reason}. */
  default void fallback(String from, String to, String reason) {}

  /** A deployment's circuit breaker changed state: {@code OPEN}, {@code HALF_OPEN} or {@code CLOSED}. */
  default void breaker(String deploymentKey, String state) {}
}
