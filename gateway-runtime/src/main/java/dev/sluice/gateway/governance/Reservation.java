package dev.sluice.gateway.governance;

import dev.sluice.api.GatewayError;
import dev.sluice.gateway.cluster.ClusterState;
import dev.sluice.gateway.pipeline.Exchange;
import dev.sluice.gateway.time.Clock;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The admit step's hold on one request: the rate-limit slots it took (with the tokens it was estimated at) and
 * the budget it reserved, in every scope or in none. {@link Settlement} gives them back with what the request
 * really used. Confined to the request's event loop.
 */
final class Reservation {
  private record Held(String scope, long estimate, ClusterState.Permit permit) {}

  private final ClusterState state;
  private final Exchange exchange;
  /** Rate-limit windows and budget periods are read on it. */
  private final Clock clock;
  private final List<Held> slots = new ArrayList<>(2);
  private final List<Governor.Wallet> wallets = new ArrayList<>(2);
  private long estNanos;

  Reservation(ClusterState state, Exchange exchange, Clock clock) {
    this.state = state;
    this.exchange = exchange;
    this.clock = clock;
  }

  /** Takes a slot in every scope, or none: a refusal gives back the slots already taken. */
  Future<Void> acquire(List<Governor.Scope> scopes, long tokens) {
    if (scopes.isEmpty()) return Future.succeededFuture();
    long now = clock.millis();
    List<Future<ClusterState.Permit>> permits = new ArrayList<>(scopes.size());
    for (Governor.Scope s : scopes) {
      Limits l = s.limits();
      permits.add(state.acquire(s.name(), new ClusterState.Limits(l.rpm(), l.tpm(), l.concurrency(),
          Governor.WINDOW_MILLIS), tokens, now));
    }
    return Future.join(permits).transform(ar -> {
      GatewayError refusal = null;
      for (int i = 0; i < scopes.size(); i++) {
        Future<ClusterState.Permit> f = permits.get(i);
        if (f.failed()) {
          refusal = GatewayError.unavailable("Sluice cannot reach its rate-limit state: " + f.cause(), f.cause());
          continue;
        }
        ClusterState.Permit p = f.result();
        if (i == 0) rateHeaders(p);
        if (p.admitted()) slots.add(new Held(scopes.get(i).name(), tokens, p));
        else if (refusal == null) {
          rateHeaders(p);
          refusal = Governor.rateLimited(scopes.get(i).name().substring(0, scopes.get(i).name().indexOf(':')), p);
        }
      }
      if (refusal == null) return Future.succeededFuture();
      GatewayError e = refusal;
      return giveBack().transform(x -> Future.failedFuture(e));
    });
  }

  private void rateHeaders(ClusterState.Permit p) {
    if (p.requestLimit() > 0) {
      exchange.responseHeader("x-ratelimit-limit-requests", Long.toString(p.requestLimit()));
      exchange.responseHeader("x-ratelimit-remaining-requests", Long.toString(p.requestsRemaining()));
    }
    if (p.tokenLimit() > 0) {
      exchange.responseHeader("x-ratelimit-limit-tokens", Long.toString(p.tokenLimit()));
      exchange.responseHeader("x-ratelimit-remaining-tokens", Long.toString(p.tokensRemaining()));
    }
  }

  /** Reserves {@code nanos} (nano-USD) in every budget, or in none. */
  Future<Void> reserve(List<Governor.Wallet> all, long nanos) {
    if (all.isEmpty()) return Future.succeededFuture();
    estNanos = nanos;
    long now = clock.millis();
    List<Future<ClusterState.Reservation>> rs = new ArrayList<>(all.size());
    for (Governor.Wallet w : all) {
      rs.add(state.reserve(w.name(), w.budget().periodStart(now), w.budget().limitNanos(), nanos));
    }
    return Future.join(rs).transform(ar -> {
      GatewayError refusal = null;
      for (int i = 0; i < all.size(); i++) {
        Future<ClusterState.Reservation> f = rs.get(i);
        Governor.Wallet w = all.get(i);
        if (f.succeeded()) {
          ClusterState.Reservation r = f.result();
          exchange.trail().budget(w.name(), r.limitNanos() - r.committedNanos(), r.limitNanos());
        }
        if (f.succeeded() && f.result().admitted()) {
          wallets.add(w);
        } else if (refusal == null) {
          refusal = f.failed()
              ? GatewayError.unavailable("Sluice cannot reach its budget state: " + f.cause(), f.cause())
              : Governor.budgetExceeded(w, f.result().committedNanos(), nanos);
        }
      }
      if (refusal == null) return Future.succeededFuture();
      GatewayError e = refusal;
      return giveBack().transform(x -> Future.failedFuture(e));
    });
  }

  /** Frees the slots and cancels the reservations taken so far (the request is not going ahead). */
  private Future<Void> giveBack() {
    List<Future<?>> all = new ArrayList<>();
    for (Held h : slots) all.add(state.release(h.scope(), h.permit(), -h.estimate(), true));
    long now = clock.millis();
    for (Governor.Wallet w : wallets) {
      state.settle(w.name(), w.budget().periodStart(now), w.budget().limitNanos(), estNanos, 0, List.of());
    }
    slots.clear();
    wallets.clear();
    return Future.join(all).mapEmpty();
  }

  /**
   * Frees the slots with the {@code tokensUsed} the request really used, and settles every budget at
   * {@code nanos} (nano-USD); the thresholds a budget crossed go to {@code webhooks} when its owner knows them (later).
   * Returns the releases in flight.
   */
  List<Future<?>> release(long tokensUsed, long nanos, Webhooks webhooks) {
    List<Future<?>> all = new ArrayList<>(slots.size() + 1);
    for (Held h : slots) all.add(state.release(h.scope(), h.permit(), tokensUsed - h.estimate(), false));
    long now = clock.millis();
    // Settling is local; the thresholds it crossed are known when the spend reaches the budget's owner, later.
    for (Governor.Wallet w : wallets) {
      Budget b = w.budget();
      state.settle(w.name(), b.periodStart(now), b.limitNanos(), estNanos, nanos, b.soft()).onSuccess(crossed -> {
        for (int i : crossed) webhooks.budgetThreshold(w.name(), b, b.soft().get(i));
      });
    }
    return all;
  }
}
