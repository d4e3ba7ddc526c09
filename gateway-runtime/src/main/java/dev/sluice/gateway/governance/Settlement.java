package dev.sluice.gateway.governance;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.Usage;
import dev.sluice.gateway.cache.CacheListener;
import dev.sluice.gateway.pipeline.Bill;
import dev.sluice.gateway.pipeline.Exchange;
import dev.sluice.gateway.pipeline.Guard;
import dev.sluice.gateway.pipeline.Outcome;
import dev.sluice.gateway.identity.Principal;
import dev.sluice.gateway.pricing.Counterfactual;
import dev.sluice.gateway.pricing.Price;
import dev.sluice.gateway.pricing.PriceCatalog;
import dev.sluice.gateway.routing.Deployment;
import dev.sluice.gateway.routing.RouteDecision;
import dev.sluice.gateway.routing.RoutePlan;
import dev.sluice.gateway.shaping.ShapingReport;
import dev.sluice.gateway.storage.SpendJournal;
import dev.sluice.gateway.storage.SpendRecord;
import dev.sluice.gateway.time.Clock;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settle step for one admitted request (its {@link Guard.Ticket}): prices the {@link Outcome} (cost, and what
 * each gateway lever saved), gives back the {@link Reservation} with what was really used, and journals the
 * spend record. Settles once; the answer goes out after the record is journaled.
 */
final class Settlement implements Guard.Ticket {
  private static final Logger LOG = LoggerFactory.getLogger(Settlement.class);

  private final Reservation held;
  private final SpendJournal journal;
  private final Webhooks webhooks;
  private final PriceCatalog prices;
  private final Principal principal;
  private final int bodyLimit;
  /** The spend record's time is read on it. */
  private final Clock clock;
  private boolean settled;

  Settlement(Reservation held, SpendJournal journal, Webhooks webhooks, PriceCatalog prices, Principal principal,
             int bodyLimit, Clock clock) {
    this.clock = clock;
    this.held = held;
    this.journal = journal;
    this.webhooks = webhooks;
    this.prices = prices;
    this.principal = principal;
    this.bodyLimit = bodyLimit;
  }

  @Override
  public boolean accounts() {
    return true;
  }

  @Override
  public boolean keepsText() {
    return bodyLimit > 0;
  }

  @Override
  public Future<Bill> settle(Outcome o, Exchange exchange) {
    if (settled) return Future.succeededFuture(Bill.NONE);
    settled = true;
    Deployment d = o.route().deployment();
    RouteDecision route = o.route().decision();
    RoutePlan plan = o.plan();
    Usage u = o.usage();
    // Priced as the group that answered (after rules, a cheapest-capable choice and fallbacks).
    String served = o.route().servedGroup() != null ? o.route().servedGroup()
        : route != null ? route.group() : plan.demand().model();
    Price price = prices.find(served, d == null ? null : d.upstreamModel());
    // A cache hit calls no provider: it costs nothing, spends no upstream tokens, and saves what it replaced.
    boolean hit = o.hit();
    Price asked = asked(plan.baselines(), o.route().servedGroup(), price);
    ShapingReport shaping = o.shaping();
    long sideNanos = 0;
    for (ShapingReport.SideCall call : shaping.sideCalls()) {
      Price p = prices.find(call.group(), call.deployment() == null ? null : call.deployment().upstreamModel());
      if (p != null) sideNanos += Counterfactual.nanos(p.cost(call.usage()));
    }
    Counterfactual.Outcome c = Counterfactual.of(u, price, asked, o.cache() == CacheListener.Outcome.HIT,
        o.cache() == CacheListener.Outcome.SEMANTIC_HIT, providerTokens(shaping, u), shaping.breakpoints() > 0,
        sideNanos);
    Double cost = c.costNanos() == null ? null : Counterfactual.usd(c.costNanos());
    double saving = hit ? Counterfactual.usd(c.exactCache() + c.semanticCache()) : 0;
    SpendRecord.Savings savings = new SpendRecord.Savings(c.baselineNanos() == null ? null
        : Counterfactual.usd(c.baselineNanos()), Counterfactual.usd(c.exactCache()),
        Counterfactual.usd(c.semanticCache()), Counterfactual.usd(c.routing()),
        Counterfactual.usd(c.shaping()), Counterfactual.usd(c.providerCache()), shaping.tokensSaved());
    long nanos = c.costNanos() == null ? 0 : c.costNanos();
    List<Future<?>> all = held.release(hit ? 0 : u.totalTokens(), nanos, webhooks);
    SpendRecord record = record(o, exchange, cost, saving, savings);
    all.add(journal.append(record).onFailure(e -> LOG.error("spend record {} not journaled: {}",
        record.requestId(), e.toString())));
    Bill bill = new Bill(cost, saving);
    return Future.join(all).transform(ar -> Future.succeededFuture(bill));
  }

  private SpendRecord record(Outcome o, Exchange exchange, Double cost, double saving, SpendRecord.Savings savings) {
    Deployment d = o.route().deployment();
    RouteDecision route = o.route().decision();
    GatewayError error = o.failure();
    Usage u = o.usage();
    double elapsed = (System.nanoTime() - exchange.startNanos()) / 1e6;
    Double ttfb = o.firstTokenNanos() == 0 ? null : (o.firstTokenNanos() - exchange.startNanos()) / 1e6;
    return new SpendRecord(exchange.requestId(), clock.millis(), who(principal),
        new SpendRecord.Usage(u.promptTokens(), u.completionTokens(), u.cachedTokens(), cost, saving, cost == null,
            o.counted()),
        new SpendRecord.Route(o.plan().demand().model(), route == null ? o.plan().namedGroup() : route.group(),
            d == null ? null : d.providerId(), d == null ? null : d.upstreamModel(), o.cacheStatus(),
            o.route().attempts(), o.status(), error == null ? null : error.code(),
            route == null ? null : route.group(), route == null ? null : route.reason(),
            route == null ? null : route.difficulty()),
        new SpendRecord.Timing(elapsed, o.route().upstreamMillis(),
            ttfb != null ? ttfb : error == null ? Double.valueOf(elapsed) : null),
        savings, bodyLimit == 0 ? null : Bodies.request(exchange.requestBody(), bodyLimit),
        bodyLimit == 0 ? null : Bodies.text(o.responseText(), bodyLimit), false);
  }

  static SpendRecord.Who who(Principal p) {
    return new SpendRecord.Who(p.keyId(), p.keyPrefix(), p.team(), p.user(), p.org());
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
  private Price asked(List<RoutePlan.Baseline> baselines, String servedGroup, Price served) {
    Price dearest = null;
    for (RoutePlan.Baseline b : baselines) {
      if (baselines.size() == 1 && b.group().equals(servedGroup)) return served;
      Price p = prices.find(b.group(), b.upstreamModel());
      if (p != null && (dearest == null || p.input() + p.output() > dearest.input() + dearest.output())) dearest = p;
    }
    return dearest;
  }
}
