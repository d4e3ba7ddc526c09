package dev.sluice.tck;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * What {@link ProviderContractTest} needs from a provider's fake upstream: faults for the next request, and what
 * the fake observed. Each fault applies to the next request only, in the upstream's own wire format.
 */
public interface UpstreamFaults {

  /** The next request answers {@code status} with the upstream's usual error body for it. */
  void failNext(int status);

  /** The next request answers the upstream's rate-limit error, asking to retry after {@code retryAfter}. */
  void rateLimitNext(Duration retryAfter);

  /** The next request answers the upstream's "prompt exceeds the context window" error. */
  void contextWindowNext();

  /** The next request is never answered; the fake holds it open until the client goes away. */
  void hangNext();

  /** The next answer is not valid in the wire format: a body that does not parse, or such a stream event. */
  void malformedNext();

  /** The next stream closes the connection abruptly after {@code events} events. */
  void cutStreamAfter(int events);

  /** The next stream sends the upstream's in-stream server error event after {@code events} events. */
  void errorEventAfter(int events);

  /** The next stream ends cleanly at the transport level but before the upstream's end-of-stream marker. */
  void truncateStreamNext();

  /** From now on, report these cached prompt tokens and reasoning tokens in usage (0 restores none). */
  void reportUsageDetails(int cachedTokens, int reasoningTokens);

  /** How many images the newest request carried. */
  int imagesInLastRequest();

  /** Completes once the fake has received {@code n} requests in all. */
  Future<Void> awaitRequests(int n);

  /** Completes once {@code n} clients in all went away before the fake had finished answering them. */
  Future<Void> awaitDisconnects(int n);
}
