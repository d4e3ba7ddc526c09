package dev.sluice.api.routing;

/**
 * What a {@link RoutingStrategy} knows of the request being routed.
 *
 * @param model the model group being routed (after aliases and rules)
 * @param promptTokens estimated input tokens
 * @param maxOutputTokens the request's {@code max_tokens}, or 0 when it sets none
 * @param stream whether the client streams
 */
public record RouteRequest(String model, int promptTokens, int maxOutputTokens, boolean stream) {
  public RouteRequest {
    if (promptTokens < 0 || maxOutputTokens < 0) throw new IllegalArgumentException("token counts cannot be negative");
  }

  /** Output tokens to expect when pricing a request: {@code max_tokens}, else as many as the prompt (at most 4096). */
  public int expectedOutputTokens() {
    return maxOutputTokens > 0 ? maxOutputTokens : Math.min(4096, Math.max(1, promptTokens));
  }
}
