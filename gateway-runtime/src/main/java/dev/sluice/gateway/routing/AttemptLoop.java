package dev.sluice.gateway.routing;

import dev.sluice.api.CallContext;
import dev.sluice.api.GatewayError;
import dev.sluice.api.routing.RouteRequest;
import dev.sluice.gateway.config.RoutingConfig;
import dev.sluice.gateway.time.Clock;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One request's way through its model groups: capability filter, strategy order, attempts through each
 * deployment's circuit breaker with a per-attempt timeout, retries with backoff and jitter (or the upstream's
 * {@code retry-after}), then fallbacks to other groups; bounded by {@code max_attempts} and the total timeout.
 * Confined to the request's event loop.
 */
final class AttemptLoop<T> {
  /** One upstream call: {@code deployment} with its own cancellation, completing when the attempt succeeded. */
  interface Call<T> {
    Future<T> run(Candidate candidate, CallContext attempt, long startNanos, AttemptLoop<T> loop);
  }

  private final Vertx vertx;
  private final Clock clock;
  private final RoutingTable table;
  private final Plan plan;
  private final CallContext client;
  private final RouteTrace trace;
  private final RoutingListener listener;
  private final Call<T> call;
  private final Promise<T> result = Promise.promise();
  private final ArrayDeque<String> queue = new ArrayDeque<>(2);
  private final Set<String> visited = new HashSet<>(4);
  private final long deadline;
  private int attempts;
  /** Deployments in a row whose breaker refused the attempt; a group where all refuse is unavailable. */
  private int refused;
  private CallContext current;
  private long totalTimer = -1;

  /** How a request is routed: its groups, strategy, retries and timeouts after rules, and its demand. */
  record Plan(String group, List<String> pooled, String strategy, RoutingConfig.Retries retries,
              RoutingConfig.Timeouts timeouts, Demand demand, boolean stream, List<String> alternates) {
    Plan(String group, List<String> pooled, String strategy, RoutingConfig.Retries retries,
         RoutingConfig.Timeouts timeouts, Demand demand, boolean stream) {
      this(group, pooled, strategy, retries, timeouts, demand, stream, List.of());
    }
  }

  AttemptLoop(Vertx vertx, Clock clock, RoutingTable table, Plan plan, CallContext client, RouteTrace trace,
              RoutingListener listener, Call<T> call) {
    this.vertx = vertx;
    this.clock = clock;
    this.table = table;
    this.plan = plan;
    this.client = client;
    this.trace = trace;
    this.listener = listener;
    this.call = call;
    this.deadline = clock.nanos() + plan.timeouts().total().toNanos();
  }

  long deadline() {
    return deadline;
  }

  Plan plan() {
    return plan;
  }

  Future<T> run() {
    client.onCancel(reason -> {
      CallContext c = current;
      if (c != null) c.cancel(reason);
      fail(reason);
    });
    totalTimer = vertx.setTimer(Math.max(1, plan.timeouts().total().toMillis()), id -> {
      totalTimer = -1;
      GatewayError e = GatewayError.timeout("No answer within routing.timeouts.total ("
          + plan.timeouts().total().toMillis() + " ms) after " + attempts + " attempt(s).");
      CallContext c = current;
      if (c != null) c.cancel(e);
      fail(e);
    });
    trace.upstreamStarted();
    group(plan.group());
    return result.future();
  }

  private void fail(GatewayError e) {
    if (result.tryFail(e)) finish();
  }

  private void succeed(T value) {
    if (result.tryComplete(value)) finish();
  }

  private void finish() {
    if (totalTimer >= 0) vertx.cancelTimer(totalTimer);
    trace.upstreamAnswered();
  }

  private void group(String name) {
    if (result.future().isComplete()) return;
    visited.add(name);
    List<Candidate> all = candidates(name);
    if (all.isEmpty()) {
      groupFailed(name, GatewayError.modelNotFound("The model '" + name + "' has no deployment."));
      return;
    }
    List<Candidate> capable = plan.demand().filter(all);
    if (capable.isEmpty()) {
      groupFailed(name, plan.demand().unservable(name, all));
      return;
    }
    RouteRequest request = new RouteRequest(name, plan.demand().promptTokens(), plan.demand().maxTokens(), plan.stream());
    List<Candidate> ordered = table.order(plan.strategy(), table.catalog.find(name), capable, request);
    tryIn(name, ordered, 0, 0);
  }

  private List<Candidate> candidates(String name) {
    if (name.equals(plan.group()) && !plan.pooled().isEmpty()) {
      List<Candidate> pooled = new java.util.ArrayList<>();
      for (String g : plan.pooled()) {
        ModelGroup group = table.catalog.find(g);
        if (group != null) pooled.addAll(group.candidates());
      }
      return pooled;
    }
    ModelGroup g = table.catalog.find(name);
    return g == null ? List.of() : g.candidates();
  }

  /** Try number {@code tries} (from 0) in group {@code name}, starting the search at {@code index}. */
  private void tryIn(String name, List<Candidate> ordered, int index, int tries) {
    if (result.future().isComplete()) return;
    long now = clock.nanos();
    Candidate pick = null;
    long soonest = Long.MAX_VALUE;
    int soonestAt = -1;
    for (int i = 0; i < ordered.size(); i++) {
      Candidate c = ordered.get((index + i) % ordered.size());
      long cool = c.health.cooldownLeft(now);
      if (cool == 0 && !c.health.open()) {
        pick = c;
        index = (index + i) % ordered.size();
        break;
      }
      if (cool > 0 && !c.health.open() && cool < soonest) {
        soonest = cool;
        soonestAt = (index + i) % ordered.size();
      }
    }
    if (pick == null && tries == 0 && soonestAt >= 0 && refused < ordered.size()) {
      // A cooldown steers traffic away while another deployment can serve; a fresh request with no other
      // choice still tries the one that cools down soonest rather than failing unasked.
      index = soonestAt;
      pick = ordered.get(soonestAt);
    }
    if (pick != null && refused >= ordered.size()) pick = null;
    if (pick == null) {
      // Every deployment is cooling down after a 429 or behind an open breaker: wait for the first cooldown
      // when that fits, else this group is unavailable.
      refused = 0;
      // A retry waits for the cooldown (the upstream's retry-after) when that fits; a fresh request does not.
      if (tries > 0 && soonest != Long.MAX_VALUE && soonest <= plan.retries().maxRetryAfter().toNanos()
          && now + soonest < deadline) {
        int from = index;
        vertx.setTimer(Math.max(1, soonest / 1_000_000), id -> tryIn(name, ordered, from, tries));
        return;
      }
      GatewayError e = GatewayError.rateLimited("Every deployment of '" + name + "' is cooling down after rate"
          + " limits or failing (circuit open). Retry later.", soonest == Long.MAX_VALUE ? null
          : java.time.Duration.ofNanos(soonest));
      groupFailed(name, soonest == Long.MAX_VALUE ? GatewayError.unavailable("Every deployment of '" + name
          + "' is failing (circuit breakers open). Retry later.", null) : e);
      return;
    }
    if (attempts >= table.config.maxAttempts()) {
      fail(GatewayError.unavailable("Gave up after " + attempts + " attempts (routing.max_attempts).", null));
      return;
    }
    attempt(name, ordered, index, tries, pick);
  }

  private void attempt(String name, List<Candidate> ordered, int index, int tries, Candidate pick) {
    CallContext attemptCall = CallContext.create(client.requestId());
    long start = clock.nanos();
    long firstTokenMs = Math.min(plan.timeouts().firstToken().toMillis(), Math.max(1, (deadline - start) / 1_000_000));
    int number = attempts + 1;
    Future<T> outcome = pick.health.execute(() -> {
      // Runs only when the breaker lets the attempt through.
      attempts = number;
      current = attemptCall;
      trace.attempt(pick.deployment, number);
      Promise<T> p = Promise.promise();
      long timer = vertx.setTimer(firstTokenMs, id -> {
        GatewayError e = GatewayError.timeout(pick.deployment.providerId() + " did not answer within "
            + "routing.timeouts.first_token (" + firstTokenMs + " ms).");
        p.tryFail(e); // first: the cancellation below fails the call with its own reason
        attemptCall.cancel(e);
      });
      call.run(pick, attemptCall, start, this).onComplete(ar -> {
        vertx.cancelTimer(timer);
        if (ar.succeeded()) {
          if (!p.tryComplete(ar.result())) discard(ar.result());
        } else {
          p.tryFail(ar.cause());
        }
      });
      return p.future();
    });
    outcome.onComplete(ar -> {
      if (!(ar.cause() instanceof OpenCircuitException)) refused = 0;
      if (ar.succeeded()) {
        pick.health.outcome(null, clock.nanos());
        listener.attempt(name, pick.deployment, number, null, (clock.nanos() - start) / 1e6);
        trace.attemptEnded(name, pick.deployment, number, null);
        if (result.future().isComplete()) {
          discard(ar.result());
        } else {
          succeed(ar.result());
        }
        return;
      }
      if (ar.cause() instanceof OpenCircuitException) {
        // The breaker opened (or let another request probe) meanwhile: not an attempt, try the next one.
        refused++;
        tryIn(name, ordered, index + 1, tries);
        return;
      }
      GatewayError e = GatewayError.from(ar.cause());
      pick.health.outcome(e, clock.nanos());
      listener.attempt(name, pick.deployment, number, e, (clock.nanos() - start) / 1e6);
      trace.attemptEnded(name, pick.deployment, number, e);
      if (client.isCancelled() || result.future().isComplete()) return;
      retryOrFallBack(name, ordered, index, tries, pick, e);
    });
  }

  private void retryOrFallBack(String name, List<Candidate> ordered, int index, int tries, Candidate pick,
                               GatewayError e) {
    RoutingConfig.Retries retries = plan.retries();
    long now = clock.nanos();
    if (e.kind() == GatewayError.Kind.RATE_LIMITED) {
      long cool = e.retryAfter() != null ? e.retryAfter().toNanos() : retries.backoff().toNanos();
      pick.health.coolDown(now + Math.min(cool, retries.maxRetryAfter().toNanos()));
    }
    boolean again = tries + 1 < retries.attempts() && RoutingTable.retryable(retries, e)
        && attempts < table.config.maxAttempts() && now < deadline;
    if (e.retryAfter() != null && e.retryAfter().compareTo(retries.maxRetryAfter()) > 0 && ordered.size() == 1) {
      again = false; // the upstream asks for a longer wait than we may make the client wait
    }
    if (!again) {
      groupFailed(name, e);
      return;
    }
    int next = (index + 1) % ordered.size();
    // Another deployment is tried at once; the same one after a backoff (a 429 cools it down instead).
    long waitMs = ordered.get(next) != pick || e.kind() == GatewayError.Kind.RATE_LIMITED ? 0 : backoffMs(tries);
    if (waitMs > 0 && now + waitMs * 1_000_000 >= deadline) {
      groupFailed(name, e);
      return;
    }
    if (waitMs <= 0) tryIn(name, ordered, next, tries + 1);
    else vertx.setTimer(waitMs, id -> tryIn(name, ordered, next, tries + 1));
  }

  /** Exponential backoff with jitter: base * 2^tries, capped, times a random 0.5 to 1. */
  private long backoffMs(int tries) {
    RoutingConfig.Retries r = plan.retries();
    double base = Math.min(r.maxBackoff().toMillis(), r.backoff().toMillis() * Math.pow(2, tries));
    return Math.max(1, (long) (base * ThreadLocalRandom.current().nextDouble(0.5, 1.0)));
  }

  private void groupFailed(String name, GatewayError e) {
    if (result.future().isComplete()) return;
    List<String> next0 = new java.util.ArrayList<>(table.fallbacks(name, e));
    // A cheapest-capable choice falls back to the rule's other capable candidates, after routing.fallbacks.
    if (RoutingTable.condition(e) != null) next0.addAll(plan.alternates());
    for (String to : next0) {
      if (!visited.contains(to) && !queue.contains(to) && table.catalog.find(to) != null) queue.add(to);
    }
    String next = queue.poll();
    if (next == null || clock.nanos() >= deadline || attempts >= table.config.maxAttempts()) {
      fail(e);
      return;
    }
    listener.fallback(name, next, RoutingTable.condition(e));
    group(next);
  }

  /** An answer that came too late (after a timeout or cancellation): release it. */
  private void discard(T value) {
    if (value instanceof dev.sluice.api.ChatStream s) s.cancel();
  }
}
