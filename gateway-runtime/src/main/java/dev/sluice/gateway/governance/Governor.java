package dev.sluice.gateway.governance;

import dev.sluice.gateway.redact.Redactor;
import dev.sluice.api.GatewayError;
import dev.sluice.gateway.cluster.ClusterState;
import dev.sluice.gateway.pipeline.Exchange;
import dev.sluice.gateway.pipeline.Guard;
import dev.sluice.gateway.identity.Principal;
import dev.sluice.gateway.pricing.Counterfactual;
import dev.sluice.gateway.pricing.Price;
import dev.sluice.gateway.pricing.PriceCatalog;
import dev.sluice.gateway.routing.Demand;
import dev.sluice.gateway.routing.RoutePlan;
import dev.sluice.gateway.storage.SpendJournal;
import dev.sluice.gateway.storage.SpendRecord;
import dev.sluice.gateway.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The governance {@link Guard}: virtual keys from the {@link KeyStore} snapshot, allowed models, rate limits
 * (key, team, user, model) and budgets (key, team, user, org) on {@link ClusterState}.
 */
final class Governor implements Guard {
  static final long WINDOW_MILLIS = 60_000;

  record Scope(String name, Limits limits) {}

  record Wallet(String name, Budget budget) {}

  private final Vertx vertx;
  private final KeyStore keys;
  private final ClusterState state;
  private final PriceCatalog prices;
  private final SpendJournal journal;
  private final Webhooks webhooks;
  private final Map<String, Limits> modelLimits;
  private final int defaultOutputTokens;

  /** Bytes of each body the request log keeps; 0 when bodies are not logged. */
  private final int bodyLimit;
  /** Whether refused requests (403, 429) go to the request log. */
  private final boolean logRefusals;
  private final Clock clock;

  Governor(Vertx vertx, KeyStore keys, ClusterState state, PriceCatalog prices, SpendJournal journal,
           Webhooks webhooks, Map<String, Limits> modelLimits, int defaultOutputTokens, int bodyLimit,
           boolean logRefusals, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.keys = keys;
    this.state = state;
    this.prices = prices;
    this.journal = journal;
    this.webhooks = webhooks;
    this.modelLimits = Map.copyOf(modelLimits);
    this.defaultOutputTokens = defaultOutputTokens;
    this.bodyLimit = bodyLimit;
    this.logRefusals = logRefusals;
  }

  @Override
  public Principal authenticate(String presented) {
    String hash = Secrets.hash(presented);
    KeyStore.Snapshot s = keys.snapshot();
    VirtualKey k = s.byHash().get(hash);
    String shown = Redactor.hint(presented) + "...";
    if (k == null) {
      String rotated = s.retired().get(hash);
      if (rotated != null) {
        throw GatewayError.of(GatewayError.Kind.AUTH, "The API key " + shown + " was rotated and no longer works. "
            + "Use the new secret of key " + rotated + ".");
      }
      throw GatewayError.auth("Incorrect API key provided: " + shown + ". Check the key you were given.");
    }
    if (k.blocked()) {
      throw GatewayError.auth("The API key " + shown + " (" + k.id() + ") is blocked. Ask your administrator to "
          + "unblock it.");
    }
    if (k.expiresAt() != null && !Instant.ofEpochMilli(clock.millis()).isBefore(k.expiresAt())) {
      throw GatewayError.auth("The API key " + shown + " (" + k.id() + ") expired at " + k.expiresAt()
          + ". Ask your administrator for a new key.");
    }
    return k.principal();
  }

  VirtualKey key(Principal p) {
    return keys.snapshot().byId().get(p.keyId());
  }

  @Override
  public boolean allows(Principal principal, String model) {
    VirtualKey k = key(principal);
    return k == null || k.allows(model);
  }

  @Override
  public Future<Ticket> admit(RoutePlan plan, Exchange exchange) {
    Future<Ticket> admitted = tryAdmit(plan, exchange);
    if (!logRefusals) return admitted;
    return admitted.onFailure(e -> logRefusal(plan, exchange, e));
  }

  /**
   * Journals a refusal for the request log only (no spend, no budget): the answer does not wait for it, so a
   * flood of refusals never slows the answers; losing one to a crash loses a log line, not money.
   */
  private void logRefusal(RoutePlan plan, Exchange exchange, Throwable e) {
    GatewayError error = GatewayError.from(e);
    journal.append(new SpendRecord(exchange.requestId(), clock.millis(),
        Settlement.who(exchange.principal()), SpendRecord.Usage.NONE,
        new SpendRecord.Route(plan.demand().model(), plan.namedGroup(), null, null, null, 0, error.status(),
            error.code(), null, null, null),
        new SpendRecord.Timing(exchange.elapsedMillis(), null, null), SpendRecord.Savings.NONE,
        bodyLimit == 0 ? null : Bodies.request(exchange.requestBody(), bodyLimit), null, true));
  }

  private Future<Ticket> tryAdmit(RoutePlan plan, Exchange exchange) {
    Demand demand = plan.demand();
    Principal p = exchange.principal();
    VirtualKey k = key(p);
    if (k != null && !k.allows(demand.model())) {
      return Future.failedFuture(GatewayError.permission("The key " + k.prefix() + "... (" + k.id()
          + ") may not use the model '" + demand.model() + "'. Models it may use: "
          + String.join(", ", new TreeSet<>(k.models())) + "."));
    }
    KeyStore.Snapshot snap = keys.snapshot();
    List<Scope> scopes = new ArrayList<>(4);
    List<Wallet> wallets = new ArrayList<>(4);
    if (k != null) {
      add(scopes, wallets, "key:" + k.id(), k.limits(), k.budget());
      Account team = k.team() == null ? null : snap.teams().get(k.team());
      if (team != null) add(scopes, wallets, "team:" + team.id(), team.limits(), team.budget());
      Account user = k.user() == null ? null : snap.users().get(k.user());
      if (user != null) add(scopes, wallets, "user:" + user.id(), user.limits(), user.budget());
      Account org = k.org() == null ? null : snap.orgs().get(k.org());
      if (org != null) add(scopes, wallets, "org:" + org.id(), Limits.NONE, org.budget());
    }
    Limits ml = modelLimits.get(demand.model());
    if (ml != null) scopes.add(new Scope("model:" + demand.model(), ml));
    Price price = prices.find(plan.priceModel(), null);
    Reservation held = new Reservation(state, exchange, clock);
    Settlement ticket = new Settlement(held, journal, webhooks, prices, p, bodyLimit, clock);
    if (scopes.isEmpty() && wallets.isEmpty()) return Future.succeededFuture(ticket);
    int estTokens = demand.textTokens();
    int maxOut = demand.maxOutputTokens() != null ? demand.maxOutputTokens() : defaultOutputTokens;
    // In whole nano-dollars, a priced request's estimate never below 1: a budget of 0 refuses it.
    long estNanos = price == null ? 0 : Counterfactual.nanos(price.estimate(estTokens, maxOut));
    return held.acquire(scopes, estTokens).compose(v -> held.reserve(wallets, estNanos)).map(ticket);
  }

  private static void add(List<Scope> scopes, List<Wallet> wallets, String name, Limits limits, Budget budget) {
    if (limits.any()) scopes.add(new Scope(name, limits));
    if (budget != null) wallets.add(new Wallet(name, budget));
  }

  /** The 429 for a budget that cannot cover a request's estimate; amounts exact, in USD. */
  static GatewayError budgetExceeded(Wallet w, long committedNanos, long estimateNanos) {
    Budget b = w.budget();
    return GatewayError.of(GatewayError.Kind.BUDGET_EXCEEDED, "Budget exceeded for " + w.name() + ": $"
        + Budget.text(Math.min(committedNanos, b.limitNanos())) + " of $" + Budget.text(b.limitNanos())
        + " is spent or reserved this " + b.period() + " period (this request may cost up to $"
        + Budget.text(estimateNanos) + "). Wait for the next period or ask for a higher budget.");
  }

  static GatewayError rateLimited(String scope, ClusterState.Permit permit) {
    String what = switch (permit.exceeded()) {
      case "requests" -> "requests per minute (" + permit.requestLimit() + ")";
      case "tokens" -> "tokens per minute (" + permit.tokenLimit() + ")";
      default -> "concurrent requests";
    };
    return GatewayError.rateLimited("Rate limit reached for " + scope + ": " + what + ". Retry after the "
        + "retry-after header's seconds.", Duration.ofMillis(permit.retryAfterMillis()));
  }
}
