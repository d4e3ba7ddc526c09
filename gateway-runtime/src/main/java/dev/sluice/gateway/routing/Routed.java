package dev.sluice.gateway.routing;

/**
 * The route step's result: the answer, or why every attempt failed, and how routing went.
 *
 * @param <T> a chat response, a chat stream or an embedding response
 * @param value the answer, or null when routing failed
 * @param failure why routing failed, or null
 */
public record Routed<T>(T value, Throwable failure, RouteResult result) {
  public boolean failed() {
    return failure != null;
  }
}
