package dev.sluice.gateway.pipeline;

import dev.sluice.gateway.cache.CacheLookup;

/**
 * What the {@link Pipeline} hands the ingress to reply with: the answer or the failure, the request's
 * {@link Outcome} (for the response headers and the observers), what settlement charged, and the cache's lookup
 * (whose hit carries the stored answer's encoding, ready to write).
 *
 * @param <T> a chat response, a chat stream or an embedding response
 */
public record Answer<T>(T value, Throwable failure, Outcome outcome, Bill bill, CacheLookup cache) {
  public boolean failed() {
    return failure != null;
  }
}
