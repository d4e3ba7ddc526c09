package dev.sluice.gateway.routing;

/** How the router tells the request's exchange what it is doing. Called on the request's event loop. */
public interface RouteTrace {

  /** Attempt number {@code number} (from 1) goes to {@code deployment}. */
  void attempt(Deployment deployment, int number);

  /** The first attempt starts: upstream time begins. */
  void upstreamStarted();

  /** The final answer (or failure) is in: upstream time ends. */
  void upstreamAnswered();

  /** A cheapest-capable rule chose the request's model group; called once, before the first attempt. */
  default void decided(RouteDecision decision) {}
}
