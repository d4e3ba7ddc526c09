package dev.sluice.gateway.governance;

import dev.sluice.api.ChatStream;
import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Choice;
import dev.sluice.api.model.EmbeddingResponse;
import dev.sluice.api.model.Usage;
import dev.sluice.gateway.cluster.ClusterState;
import dev.sluice.gateway.pipeline.Exchange;
import dev.sluice.gateway.pipeline.Guard;
import dev.sluice.gateway.pipeline.Principal;
import dev.sluice.gateway.shaping.ShapingReport;
import dev.sluice.gateway.pricing.Counterfactual;
import dev.sluice.gateway.pricing.Price;
import dev.sluice.gateway.pricing.PriceCatalog;
import dev.sluice.gateway.pricing.TokenCounter;
import dev.sluice.gateway.storage.SpendJournal;
import dev.sluice.gateway.storage.SpendRecord;
import dev.sluice.gateway.time.Clock;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One admitted request: the rate-limit slots it holds and the budget it reserved, settled once with what the
 * call really used. Settling writes the spend record to the journal; the answer goes out after that.
 */
final class Admission implements Guard.Ticket {
  private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

  private record Held(String scope, long estimate, ClusterState.Permit permit) {}

  private final Vertx vertx;
  private final ClusterState state;
  private final SpendJournal journal;
  private final Webhooks webhooks;
  private final PriceCatalog prices;
  private final Guard.Demand demand;
  private final Exchange exchange;
  private final Principal principal;
  private final VirtualKey key;
  private final List<Held> slots = new ArrayList<>(2);
  private final List<Governor.Wallet> wallets = new ArrayList<>(2);
  private final int bodyLimit;
  private final Clock clock;
  private String responseText;
  private long estTokens;
  private long estNanos;
  private boolean settled;

  Admission(Vertx vertx, ClusterState state, SpendJournal journal, Webhooks webhooks, PriceCatalog prices,
            Guard.Demand demand, Exchange exchange, Principal principal, VirtualKey key, int bodyLimit, Clock clock) {
    this.bodyLimit = bodyLimit;
    this.clock = clock;
    this.vertx = vertx;
    this.state = state;
    this.journal = journal;
    this.webhooks = webhooks;
    this.prices = prices;
    this.demand = demand;
    this.exchange = exchange;
    this.principal = principal;
    this.key = key;
  }

  /** Takes a slot in every scope, or none: a refusal gives back the slots already taken. */
  Future<Void> acquire(List<Governor.Scope> scopes, long tokens) {
    if (scopes.isEmpty()) return Future.succeededFuture();
    estTokens = tokens;
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
      return giveBack(true).transform(x -> Future.failedFuture(e));
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
      return giveBack(true).transform(x -> Future.failedFuture(e));
    });
  }

  /** Frees the slots and cancels the reservations taken so far (the request is not going ahead). */
  private Future<Void> giveBack(boolean undo) {
    List<Future<?>> all = new ArrayList<>();
    for (Held h : slots) all.add(state.release(h.scope(), h.permit(), -h.estimate(), undo));
    long now = clock.millis();
    for (Governor.Wallet w : wallets) {
      state.settle(w.name(), w.budget().periodStart(now), w.budget().limitNanos(), estNanos, 0, List.of());
    }
    slots.clear();
    wallets.clear();
    return Future.join(all).mapEmpty();
  }

  @Override
  public Future<ChatResponse> chat(Future<ChatResponse> call) {
    return call.transform(ar -> {
      if (ar.failed()) return settle(null, null, ar.cause(), true).transform(x -> passOn(ar));
      ChatResponse r = ar.result();
      if (r.usage() != null && bodyLimit == 0) return settle(r.usage(), null, null, true).transform(x -> passOn(ar));
      StringBuilder text = new StringBuilder();
      for (Choice c : r.choices()) {
        if (c.message() != null && c.message().text() != null) text.append(c.message().text());
      }
      if (bodyLimit > 0) responseText = text.toString();
      if (r.usage() != null) return settle(r.usage(), null, null, true).transform(x -> passOn(ar));
      return settle(null, text.toString(), null, true).transform(x -> passOn(ar));
    });
  }

  @Override
  public Future<ChatStream> stream(Future<ChatStream> call) {
    if (call.failed()) return settle(null, null, call.cause(), false).transform(x -> call);
    return call.transform(ar -> ar.failed() ? settle(null, null, ar.cause(), false).transform(x -> passOn(ar))
        : Future.succeededFuture(new MeteredStream(ar.result(), this, exchange)));
  }

  @Override
  public Future<EmbeddingResponse> embedding(Future<EmbeddingResponse> call) {
    return call.transform(ar -> settle(ar.succeeded() ? ar.result().usage() : null, ar.succeeded() ? "" : null,
        ar.failed() ? ar.cause() : null, true).transform(x -> passOn(ar)));
  }

  /**
   * Settles once: usage (or tokens counted from {@code completionText} when the upstream sent none), cost,
   * counters and budgets, then the spend record. Completes when the record is journaled; never fails.
   */
  Future<Void> settle(Usage reported, String completionText, Throwable failure, boolean costHeader) {
    if (settled) return Future.succeededFuture();
    return settle(reported, completionText, null, failure, costHeader);
  }

  /** As {@link #settle(Usage, String, Throwable, boolean)}, with the streamed text for the request log. */
  Future<Void> settle(Usage reported, String completionText, String streamedText, Throwable failure,
                      boolean costHeader) {
    if (settled) return Future.succeededFuture();
    if (bodyLimit > 0 && streamedText != null) responseText = streamedText;
    settled = true;
    Future<Usage> usage;
    boolean counted = reported == null && completionText != null;
    if (reported != null) usage = Future.succeededFuture(reported);
    else if (completionText != null) usage = vertx.executeBlocking(() -> Usage.of(
        TokenCounter.count(demand.promptText()), TokenCounter.count(completionText)), false);
    else usage = Future.succeededFuture(Usage.ZERO);
    return usage.otherwise(Usage.ZERO).compose(u -> record(u, counted, failure, costHeader));
  }

  private Future<Void> record(Usage u, boolean counted, Throwable failure, boolean costHeader) {
    var d = exchange.deployment();
    var route = exchange.routeDecision();
    // Priced as the group that answered (after rules, a cheapest-capable choice and fallbacks).
    String served = exchange.servedGroup() != null ? exchange.servedGroup()
        : route != null ? route.group() : demand.model();
    Price price = prices.find(served, d == null ? null : d.upstreamModel());
    // A cache hit calls no provider: it costs nothing, spends no upstream tokens, and saves what it replaced.
    String cacheStatus = exchange.cacheStatus();
    boolean hit = "HIT".equals(cacheStatus) || "SEMANTIC_HIT".equals(cacheStatus);
    Price asked = asked(exchange.baselines(), exchange.servedGroup(), price);
    ShapingReport shaping = exchange.shaping();
    long sideNanos = 0;
    for (ShapingReport.SideCall call : shaping.sideCalls()) {
      Price p = prices.find(call.group(), call.deployment() == null ? null : call.deployment().upstreamModel());
      if (p != null) sideNanos += Counterfactual.nanos(p.cost(call.usage()));
    }
    Counterfactual.Outcome outcome = Counterfactual.of(u, price, asked, cacheStatus, providerTokens(shaping, u),
        shaping.breakpoints() > 0, sideNanos);
    Double cost = outcome.costNanos() == null ? null : Counterfactual.usd(outcome.costNanos());
    double saving = hit ? Counterfactual.usd(outcome.exactCache() + outcome.semanticCache()) : 0;
    SpendRecord.Savings savings = new SpendRecord.Savings(outcome.baselineNanos() == null ? null
        : Counterfactual.usd(outcome.baselineNanos()), Counterfactual.usd(outcome.exactCache()),
        Counterfactual.usd(outcome.semanticCache()), Counterfactual.usd(outcome.routing()),
        Counterfactual.usd(outcome.shaping()), Counterfactual.usd(outcome.providerCache()), shaping.tokensSaved());
    long nanos = outcome.costNanos() == null ? 0 : outcome.costNanos();
    long tokensUsed = hit ? 0 : u.totalTokens();
    exchange.trail().settled(u, cost, saving);
    if (costHeader && cost != null) exchange.responseHeader("x-sluice-cost-usd", String.format(Locale.ROOT, "%.8f", cost));
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
    GatewayError error = failure == null ? null : GatewayError.from(failure);
    int status = error == null ? 200 : error.status();
    double elapsed = (System.nanoTime() - exchange.startNanos()) / 1e6;
    Double ttfb = exchange.timeToFirstTokenMillis();
    SpendRecord record = new SpendRecord(exchange.requestId(), clock.millis(), principal.keyId(),
        principal.team(), principal.user(), principal.org(), demand.model(), d == null ? null : d.providerId(),
        d == null ? null : d.upstreamModel(), u.promptTokens(), u.completionTokens(), u.cachedTokens(), cost, saving,
        cost == null, counted, cacheStatus, status, elapsed, principal.keyPrefix(),
        route == null ? exchange.group() : route.group(),
        error == null ? null : error.code(), exchange.attempts(), exchange.upstreamMillis(),
        ttfb != null ? ttfb : error == null ? Double.valueOf(elapsed) : null,
        bodyLimit == 0 ? null : Bodies.request(exchange.requestBody(), bodyLimit),
        bodyLimit == 0 ? null : Bodies.text(responseText, bodyLimit), false,
        route == null ? null : route.group(), route == null ? null : route.reason(),
        route == null ? null : route.difficulty(), savings);
    all.add(journal.append(record).onFailure(e -> LOG.error("spend record {} not journaled: {}",
        record.requestId(), e.toString())));
    return Future.join(all).<Void>mapEmpty().otherwiseEmpty();
  }

  /**
   * The prompt tokens shaping saved in the provider's own units: Sluice counts with one tokenizer (o200k), the
   * provider bills with its own, so the count is scaled by the provider's count of the prompt as sent over
   * Sluice's.
   */
  static int providerTokens(ShapingReport shaping, Usage u) {
    int saved = shaping.tokensSaved();
    if (saved == 0 || shaping.tokensAfter() <= 0 || u.promptTokens() <= 0) return saved;
    return (int) Math.round((double) saved * u.promptTokens() / shaping.tokensAfter());
  }

  /**
   * The price of the model as requested: the served one when that is what was asked for, else the dearest of
   * the models asked for (by input plus output price); null when none is priced.
   */
  private Price asked(List<Exchange.Baseline> baselines, String servedGroup, Price served) {
    Price dearest = null;
    for (Exchange.Baseline b : baselines) {
      if (baselines.size() == 1 && b.group().equals(servedGroup)) return served;
      Price p = prices.find(b.group(), b.upstreamModel());
      if (p != null && (dearest == null || p.input() + p.output() > dearest.input() + dearest.output())) dearest = p;
    }
    return dearest;
  }

  static <T> Future<T> passOn(AsyncResult<T> ar) {
    return ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(ar.cause());
  }
}
