package dev.sluice.gateway.pipeline;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.gateway.cache.CacheLookup;
import dev.sluice.gateway.routing.RoutePlan;
import dev.sluice.gateway.routing.RouteResult;
import dev.sluice.gateway.routing.Routed;
import dev.sluice.gateway.shaping.ShapingReport;
import dev.sluice.gateway.shaping.Shaper;

/**
 * One request's results so far on its way down the {@link Pipeline}: each step returns a new trip with its own
 * result added. A failed step sets {@code failure}; the steps after it pass the trip on untouched until
 * settlement, which accounts for the failure. Immutable.
 *
 * @param request the request as it goes on (after shaping, the shaped one)
 * @param value the answer (from the cache or a provider), or null
 */
record Trip<T>(RoutePlan plan, Guard.Ticket ticket, ChatRequest request, ShapingReport shaping, CacheLookup cache,
               T value, RouteResult route, Metered usage, Throwable failure) {

  static <T> Trip<T> planned(RoutePlan plan, ChatRequest request) {
    return new Trip<>(plan, null, request, ShapingReport.NONE, CacheLookup.OFF, null, RouteResult.NONE,
        Metered.NONE, null);
  }

  boolean failed() {
    return failure != null;
  }

  Trip<T> admitted(Guard.Ticket t) {
    return new Trip<>(plan, t, request, shaping, cache, value, route, usage, failure);
  }

  Trip<T> shaped(Shaper.Shaped s) {
    return new Trip<>(plan, ticket, s.request(), s.report(), cache, value, route, usage, failure);
  }

  Trip<T> looked(CacheLookup c) {
    return new Trip<>(plan, ticket, request, shaping, c, value, route, usage, failure);
  }

  /** The answer from the cache: no routing. */
  Trip<T> answered(T v) {
    return new Trip<>(plan, ticket, request, shaping, cache, v, route, usage, failure);
  }

  Trip<T> routed(Routed<T> r) {
    return new Trip<>(plan, ticket, request, shaping, cache, r.value(), r.result(), usage, r.failure());
  }

  Trip<T> metered(Metered m) {
    return new Trip<>(plan, ticket, request, shaping, cache, value, route, m, failure);
  }

  Trip<T> failed(Throwable t) {
    return new Trip<>(plan, ticket, request, shaping, cache, value, route, usage, t);
  }

  /** The outcome record the settle step and everything after it read. */
  Outcome outcome(long firstTokenNanos) {
    return new Outcome(plan, shaping, cache.outcome(), route, usage.usage(), usage.counted(), usage.text(),
        firstTokenNanos, failure == null ? null : GatewayError.from(failure));
  }
}
