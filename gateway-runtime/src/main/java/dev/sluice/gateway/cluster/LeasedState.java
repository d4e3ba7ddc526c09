package dev.sluice.gateway.cluster;

import dev.sluice.gateway.time.Clock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ClusterState} by leases: each member admits from its own {@link Lease} of every pool (a scope's
 * requests, tokens, concurrency slots, budget) and calls the pool's owner only when the lease runs short, to
 * report spend and to give back an idle lease (once a second). In steady state a request makes no cluster call:
 * admission, release and settlement complete synchronously on the caller's context.
 *
 * <p>Lease windows and reports read the runtime's {@link Clock}. A periodic Vert.x timer calls {@link #tick}
 * every {@link #TICK_MILLIS}; a test builds the state without it and calls {@link #tick} itself.
 */
final class LeasedState implements ClusterState {
  static final long TICK_MILLIS = 1000;
  /** A lease asks for this fraction of a limit at a time: the most other members may hold unused. */
  static final int SLICES = 16;
  /** Owner calls one request may wait for when its lease is short and other requests take each new slice. */
  static final int MAX_ATTEMPTS = 64;

  private final Vertx vertx;
  private final Pools pools;
  private final ConcurrentHashMap<String, Lease> leases = new ConcurrentHashMap<>();
  private final Clock clock;
  private final long timer;

  LeasedState(Vertx vertx, Pools pools, Clock clock) {
    this(vertx, pools, clock, true);
  }

  /** @param ticking whether a timer calls {@link #tick} every {@link #TICK_MILLIS} (a test drives it instead) */
  LeasedState(Vertx vertx, Pools pools, Clock clock, boolean ticking) {
    this.vertx = vertx;
    this.pools = pools;
    this.clock = clock;
    this.timer = ticking ? vertx.setPeriodic(TICK_MILLIS, id -> tick()) : -1;
  }

  private Lease lease(String pool, long windowMillis) {
    return leases.computeIfAbsent(pool, p -> new Lease(p, windowMillis));
  }

  private record Need(Lease lease, long limit, long amount, long period) {}

  @Override
  public Future<Permit> acquire(String scope, Limits limits, long tokens, long now) {
    List<Need> needs = new ArrayList<>(3);
    if (limits.rpm() > 0) needs.add(new Need(lease(scope + "#r", limits.windowMillis()), limits.rpm(), 1, -1));
    if (limits.tpm() > 0) needs.add(new Need(lease(scope + "#t", limits.windowMillis()), limits.tpm(), tokens, -1));
    if (limits.concurrency() > 0) needs.add(new Need(lease(scope + "#c", 0), limits.concurrency(), 1, -1));
    Need missing = takeAll(needs, now);
    if (missing == null) return Future.succeededFuture(permit(limits, needs, null, now));
    return retry(needs, missing, now, MAX_ATTEMPTS).map(refused -> permit(limits, needs, refused, now));
  }

  /**
   * Refills the lease that is short and tries again, while the owner still has capacity; answers the need that
   * stays short (refused) or null (all taken).
   */
  private Future<Need> retry(List<Need> needs, Need missing, long now, int attempts) {
    return refill(missing, now).compose(more -> {
      Need still = takeAll(needs, clock.millis());
      if (still == null || attempts <= 1 || !(more || still != missing)) return Future.succeededFuture(still);
      return retry(needs, still, now, attempts - 1);
    });
  }

  /** Takes every need or none; answers the first that is short. */
  private static Need takeAll(List<Need> needs, long now) {
    for (int i = 0; i < needs.size(); i++) {
      Need n = needs.get(i);
      if (!n.lease().take(n.amount(), n.period(), now)) {
        for (int j = 0; j < i; j++) needs.get(j).lease().give(needs.get(j).amount(), needs.get(j).lease().epoch(), now);
        return n;
      }
    }
    return null;
  }

  private Permit permit(Limits limits, List<Need> needs, Need refused, long now) {
    long[] epochs = {Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE};
    long reqLeft = -1;
    long tokLeft = -1;
    for (Need n : needs) {
      String p = n.lease().pool();
      int dim = p.endsWith("#r") ? 0 : p.endsWith("#t") ? 1 : 2;
      epochs[dim] = n.lease().epoch();
      if (dim == 0) reqLeft = n.lease().remaining();
      if (dim == 1) tokLeft = n.lease().remaining();
    }
    String exceeded = null;
    long retry = 0;
    if (refused != null) {
      String p = refused.lease().pool();
      exceeded = p.endsWith("#r") ? "requests" : p.endsWith("#t") ? "tokens" : "concurrency";
      retry = refused.lease().retryAfter(now);
    }
    return new Permit(refused == null, exceeded, limits.rpm(), reqLeft, limits.tpm(), tokLeft, retry, epochs);
  }

  /**
   * One call to the owner for a short lease; a request that finds a call already under way waits for it instead
   * (so a member holds at most one slice beyond what its requests took). Answers, on the caller's context,
   * whether the owner may have more (it granted some or has some free).
   */
  private Future<Boolean> refill(Need n, long now) {
    Lease lease = n.lease();
    Future<Boolean> shared;
    synchronized (lease) {
      shared = lease.refilling();
      if (shared == null) {
        long want = Math.max(Math.max(1, n.limit() / SLICES), n.amount());
        shared = call(lease, n.limit(), want, now, false).map(reply -> reply[1] > 0 || reply[2] > 0);
        lease.refilling(shared);
        Future<Boolean> mine = shared;
        shared.onComplete(ar -> lease.refilled(mine));
      }
    }
    Context ctx = vertx.getOrCreateContext();
    Promise<Boolean> back = Promise.promise();
    shared.onComplete(ar -> ctx.runOnContext(v -> back.handle(ar)));
    return back.future();
  }

  /** One atomic call to the pool's owner; the answer is applied on the Hazelcast thread that delivers it. */
  private Future<long[]> call(Lease lease, long limit, long want, long now, boolean giveBackAll) {
    Lease.Call c = lease.call(limit, want, now, giveBackAll);
    Promise<long[]> answer = Promise.promise();
    CompletionStage<long[]> stage = pools.take(lease.pool(), c.take());
    stage.whenComplete((reply, error) -> {
      if (error != null) {
        for (Promise<List<Integer>> p : c.reports()) p.tryComplete(List.of());
        answer.tryFail(error);
        return;
      }
      List<Integer> crossed = lease.granted(reply);
      for (int i = 0; i < c.reports().size(); i++) c.reports().get(i).tryComplete(i == 0 ? crossed : List.of());
      answer.tryComplete(reply);
    });
    return answer.future();
  }

  @Override
  public Future<Void> release(String scope, Permit permit, long tokenDelta, boolean undo) {
    long now = clock.millis();
    Lease slots = leases.get(scope + "#c");
    if (slots != null) slots.give(1, permit.epochs()[2], now);
    Lease tokens = leases.get(scope + "#t");
    if (tokens != null) tokens.give(-tokenDelta, permit.epochs()[1], now);
    Lease requests = leases.get(scope + "#r");
    if (undo && requests != null) requests.give(1, permit.epochs()[0], now);
    return Future.succeededFuture();
  }

  @Override
  public Future<Reservation> reserve(String scope, long periodStart, long limitNanos, long estimateNanos) {
    // No sentinel: a limit of 0 grants nothing, so it admits only requests estimated to cost nothing.
    Lease budget = lease(scope + "#b", 0);
    long now = clock.millis();
    List<Need> needs = List.of(new Need(budget, limitNanos, estimateNanos, periodStart));
    Need missing = takeAll(needs, now);
    if (missing == null) return Future.succeededFuture(reservation(true, budget, limitNanos));
    return retry(needs, missing, now, MAX_ATTEMPTS).map(refused -> reservation(refused == null, budget, limitNanos));
  }

  private static Reservation reservation(boolean admitted, Lease budget, long limit) {
    long left = budget.remaining();
    return new Reservation(admitted, Math.max(0, limit - left), limit);
  }

  @Override
  public Future<List<Integer>> settle(String scope, long periodStart, long limitNanos, long estimateNanos,
                                      long actualNanos, List<Double> thresholds) {
    double[] marks = thresholds.stream().mapToDouble(Double::doubleValue).toArray();
    Context ctx = vertx.getOrCreateContext();
    Promise<List<Integer>> back = Promise.promise();
    lease(scope + "#b", 0).settle(periodStart, estimateNanos, actualNanos, limitNanos, marks).future()
        .onComplete(ar -> ctx.runOnContext(v -> back.handle(ar)));
    return back.future();
  }

  @Override
  public Future<Void> seed(String scope, long periodStart, long spentNanos) {
    return Future.fromCompletionStage(pools.seed(scope + "#b", new Processors.Seed(periodStart, spentNanos)),
        vertx.getOrCreateContext()).mapEmpty();
  }

  /**
   * Reports spend and gives back idle leases: a lease in use keeps what it holds, one unused since the previous
   * tick goes back to the owner. Completes when the owner has every report.
   */
  Future<Void> tick() {
    long now = clock.millis();
    List<Future<long[]>> calls = new ArrayList<>();
    for (Lease l : leases.values()) {
      Lease.Due due = l.due(now);
      if (due != Lease.Due.NOTHING) calls.add(call(l, l.limit(), 0, now, due == Lease.Due.GIVE_BACK));
    }
    return Future.join(calls).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    if (timer >= 0) vertx.cancelTimer(timer);
    long now = clock.millis();
    List<Future<long[]>> calls = new ArrayList<>();
    for (Lease l : leases.values()) calls.add(call(l, l.limit(), 0, now, true));
    return Future.join(calls).otherwiseEmpty().transform(ar -> vertx.executeBlocking(() -> {
      pools.shutdown();
      return null;
    }, false));
  }
}
