package dev.sluice.gateway.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * The counters governance shares across the cluster: rate-limit windows with concurrency, and budget
 * reservations. Each member admits from leases (slices of a limit) that the owner of the scope's partition
 * grants atomically and never beyond the limit, so a limit of N across any number of nodes admits at most N,
 * and exactly N on one node (see docs/keys-and-budgets.md, "Exactness"). Operations complete at once, on the caller's context,
 * unless a lease runs short. Implemented on Hazelcast; a gateway that is not clustered runs a single embedded
 * member. The one interface the cluster issue extends.
 */
public interface ClusterState {

  /** Starts a (single, loopback-only) embedded member. Blocking work runs on a worker. */
  static Future<ClusterState> start(Vertx vertx, String clusterName) {
    return HazelcastState.start(vertx, clusterName).map(pools -> new LeasedState(vertx, pools));
  }

  /**
   * Limits of one scope, 0 meaning "no limit". The request and token windows open at the first request and
   * last {@code windowMillis}.
   */
  record Limits(long rpm, long tpm, long concurrency, long windowMillis) {}

  /**
   * The outcome of {@link #acquire}: admitted or not, with what is left of each window, and the epochs (window
   * starts) of the requests, tokens and concurrency leases it took from, for {@link #release}.
   */
  record Permit(boolean admitted, String exceeded, long requestLimit, long requestsRemaining, long tokenLimit,
                long tokensRemaining, long retryAfterMillis, long[] epochs) {}

  /** Counts one request and {@code estimatedTokens} against {@code scope}, if every limit allows it. */
  Future<Permit> acquire(String scope, Limits limits, long estimatedTokens, long nowMillis);

  /**
   * Ends a request admitted by {@link #acquire}: frees its concurrency slot and corrects the token window by
   * {@code tokenDelta} (actual minus estimate). {@code undo} also takes the request back (another scope refused).
   */
  Future<Void> release(String scope, Permit permit, long tokenDelta, boolean undo);

  /**
   * The outcome of {@link #reserve}; amounts in micro-USD. {@code committedMicros} is what is spent, reserved or
   * leased to members, as this member last knew it: the part of the limit it cannot have.
   */
  record Reservation(boolean admitted, long committedMicros, long limitMicros) {}

  /**
   * Reserves {@code estimateMicros} against a budget of {@code limitMicros} for the period that started at
   * {@code periodStart}; refused when spent + reserved + estimate would exceed the limit. A new period starts
   * from zero.
   */
  Future<Reservation> reserve(String scope, long periodStart, long limitMicros, long estimateMicros);

  /**
   * Settles a reservation with the real cost; answers, once the spend reached the budget's owner (at most a
   * report tick later), the indices of the {@code thresholds} (fractions of {@code limitMicros}) that it
   * crossed for the first time in the period (cluster-wide once). Callers need not wait for it.
   */
  Future<List<Integer>> settle(String scope, long periodStart, long limitMicros, long estimateMicros,
                               long actualMicros, List<Double> thresholds);

  /** Raises a budget's spent amount to at least {@code spentMicros} (seeding it from PostgreSQL at start). */
  Future<Void> seed(String scope, long periodStart, long spentMicros);

  Future<Void> close();
}
