package dev.sluice.gateway.observe;

import dev.sluice.gateway.identity.Principal;
import dev.sluice.gateway.routing.Deployment;

/**
 * What the pipeline knows of a request when it ends, as the observers need it: who called, and how routing and
 * the cache went. The pipeline builds it from its exchange and outcome, so this package knows neither.
 *
 * @param startNanos when the request arrived ({@link System#nanoTime()})
 * @param traceparent the W3C {@code traceparent} header the client sent, or null
 * @param upstreamNanos time spent waiting on upstreams until the answer's head
 * @param answeredNanos when the upstream's answer came (for a stream: its first content), or 0
 * @param deployment the deployment that answered last, or null when none was called
 * @param attempts upstream attempts made
 * @param namedGroup the group the requested name resolved to, or null
 * @param cacheStatus {@code x-sluice-cache}, or null when caching is off
 */
public record RequestEnd(String requestId, long startNanos, Principal principal, String traceparent,
                         long upstreamNanos, long answeredNanos, Deployment deployment, int attempts,
                         String namedGroup, String cacheStatus) {}
