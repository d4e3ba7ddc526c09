package dev.sluice.gateway.routing;

/**
 * How the router tells a request's observers and its route result what it is doing. Called on the request's
 * event loop.
 */
public interface RouteTrace {

  /** Attempt number {@code number} (from 1) goes to {@code deployment}. */
  void attempt(Deployment deployment, int number);

  /** The first attempt starts: upstream time begins. */
  void upstreamStarted();

  /** The final answer (or failure) is in: upstream time ends. */
  void upstreamAnswered();

  /** Attempt {@code number} to {@code deployment} in model group {@code group} ended; {@code failure} null on success. */
  default void attemptEnded(String group, Deployment deployment, int number, dev.sluice.api.GatewayError failure) {}

  /** A cheapest-capable rule chose the request's model group; called once, before the first attempt. */
  default void decided(RouteDecision decision) {}
}
