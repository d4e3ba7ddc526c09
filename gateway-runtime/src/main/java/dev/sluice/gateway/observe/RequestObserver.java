package dev.sluice.gateway.observe;

/**
 * Told of every request that reached the pipeline: once per upstream attempt as it ends, and once when the
 * request is finished (answered, refused, failed or abandoned). Metrics, the access log, traces and the request
 * log are observers of the same events. Called on the request's event loop: return quickly, never block (hand
 * slow work such as I/O to a worker or a queue). An observer that throws is logged and does not affect the
 * request or the other observers.
 */
public interface RequestObserver {

  /** One upstream attempt of request {@code requestId} ended (successfully or not). */
  default void attempted(String requestId, AttemptRecord attempt) {}

  /** The request is finished; called exactly once per request. */
  void finished(RequestRecord request);

  /**
   * Whether this observer needs the completion's text ({@link RequestRecord#completion()}); collecting it from a
   * stream costs a copy, so it is kept only when some observer asks.
   */
  default boolean wantsContent() {
    return false;
  }
}
