package dev.sluice.api.routing;

/**
 * A read-only view of one deployment's configuration and live statistics, as a {@link RoutingStrategy} sees it.
 * Statistics are local to this gateway node and move while a strategy reads them.
 */
public interface RouteCandidate {

  /** The provider id from {@code providers[].id}. */
  String provider();

  /** The model name the upstream knows. */
  String model();

  /** {@code models[].deployments[].weight}, at least 1. */
  int weight();

  /** Requests this node has in flight on the deployment now. */
  int inFlight();

  /** Moving average of a complete answer's latency in milliseconds; {@code NaN} before the first answer. */
  double latencyMs();

  /** Moving average of the time to the first streamed content in milliseconds; {@code NaN} before the first. */
  double timeToFirstTokenMs();

  /** Failed attempts / all attempts over the recent window, 0 to 1 (0 with no traffic). */
  double errorRate();

  /** USD per million input tokens, or {@code NaN} when config gives no price. */
  double inputPricePerMillion();

  /** USD per million output tokens, or {@code NaN} when config gives no price. */
  double outputPricePerMillion();
}
