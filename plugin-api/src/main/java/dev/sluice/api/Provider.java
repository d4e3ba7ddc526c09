package dev.sluice.api;

import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import io.vertx.core.Future;

/**
 * One configured upstream. Translates the canonical request to its wire format and back. The request's
 * {@code model} is already the deployment's upstream model name. Failures are {@link GatewayError}s with the
 * kind that fits, so the runtime can retry and fall back without knowing the provider.
 *
 * <p>Optional capabilities are separate interfaces a provider may also implement: {@link Embedder}.
 */
public interface Provider {

  Future<ChatResponse> chat(ChatRequest request, CallContext call);

  /**
   * Starts a streamed completion. The future completes once the upstream accepted the request (status and
   * headers); chunks then flow through the stream with back-pressure. When the request asks for usage, the
   * stream ends with a usage chunk.
   */
  Future<ChatStream> stream(ChatRequest request, CallContext call);

  /** Releases connections. Called once, when the provider is replaced or the gateway stops. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
