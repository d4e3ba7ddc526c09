package dev.sluice.gateway.routing;

import dev.sluice.api.GatewayError;

/**
 * Notes what one request's attempts did, for its {@link RouteResult}, and passes every event on to the request's
 * observer. Confined to the request's event loop.
 */
final class RouteRecorder implements RouteTrace {
  private final RouteTrace observer;
  private Deployment deployment;
  private int attempts;
  private RouteDecision decision;
  private long startedNanos;
  private long upstreamNanos;
  private long answeredNanos;

  RouteRecorder(RouteTrace observer) {
    this.observer = observer;
  }

  @Override
  public void attempt(Deployment d, int number) {
    deployment = d;
    attempts = number;
    observer.attempt(d, number);
  }

  @Override
  public void upstreamStarted() {
    startedNanos = System.nanoTime();
    observer.upstreamStarted();
  }

  @Override
  public void upstreamAnswered() {
    answered();
    observer.upstreamAnswered();
  }

  /** Upstream time ends now, unless it ended already. */
  private void answered() {
    if (startedNanos != 0) {
      answeredNanos = System.nanoTime();
      upstreamNanos += answeredNanos - startedNanos;
      startedNanos = 0;
    }
  }

  @Override
  public void attemptEnded(String group, Deployment d, int number, GatewayError failure) {
    observer.attemptEnded(group, d, number, failure);
  }

  @Override
  public void decided(RouteDecision d) {
    decision = d;
    observer.decided(d);
  }

  /**
   * What routing did, once it is done. Its result completes before the attempts say the upstream answered: the
   * upstream time ends here.
   */
  RouteResult result(ModelCatalog catalog) {
    answered();
    return new RouteResult(deployment, attempts, deployment == null ? null : catalog.groupOf(deployment), decision,
        upstreamNanos, answeredNanos);
  }
}
