package dev.sluice.gateway.observe;

import dev.sluice.api.GatewayError;
import dev.sluice.gateway.routing.Deployment;
import dev.sluice.gateway.routing.RoutingListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prometheus metrics (Micrometer) from request and routing events. Labels are bounded: the configured model group,
 * provider id, deployment and team (teams beyond {@link #MAX_TEAMS} share the label {@code other}); never a key,
 * a user, a request id or a prompt. Meters are cached per label tuple, so a request costs a map lookup and a few
 * increments. See docs/observability.md, "Metrics".
 */
public final class Metrics implements RequestObserver, RoutingListener {
  static final int MAX_TEAMS = 500;
  static final String NONE = "none";
  private static final Duration[] LATENCY_BUCKETS = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
      30, 60, 120, 300);
  private static final Duration[] OVERHEAD_BUCKETS = seconds(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
      0.025, 0.05, 0.1, 0.25, 1);
  /** The {@code cache} label's values: none (caching off), then each {@code x-sluice-cache} value. */
  private static final String[] CACHE = java.util.stream.Stream.concat(java.util.stream.Stream.of(NONE),
      dev.sluice.gateway.cache.CacheListener.Outcome.NAMES.stream()).toArray(String[]::new);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ConcurrentHashMap<SeriesKey, Series> series = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<AttemptKey, Counter> attempts = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicInteger> breakers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicLong[]> budgets = new ConcurrentHashMap<>();
  private final Set<String> teams = ConcurrentHashMap.newKeySet();
  private volatile java.util.function.LongSupplier quarantined = () -> 0;

  private record SeriesKey(String model, String provider, String deployment, String team) {}

  private record AttemptKey(String model, String provider, String deployment, String outcome) {}

  /** The meters of one (model, provider, deployment, team). */
  private final class Series {
    final Tags tags;
    final Tags latencyTags;
    final Counter[] requests = new Counter[6 * CACHE.length];
    final Timer total;
    final Timer upstream;
    final Timer overhead;
    final Timer ttft;
    final Counter promptTokens;
    final Counter completionTokens;
    final Counter cachedTokens;
    final Counter cost;
    final Counter savings;
    final Counter retries;
    volatile Counter rateLimited;
    volatile Counter budgetRejected;

    Series(SeriesKey k) {
      tags = Tags.of("model", k.model, "provider", k.provider, "deployment", k.deployment, "team", k.team);
      latencyTags = Tags.of("model", k.model, "provider", k.provider, "deployment", k.deployment);
      total = timer("sluice.request.duration", "Time from a request's arrival to its last byte (streams: to the end)",
          LATENCY_BUCKETS);
      upstream = timer("sluice.upstream.duration", "Time spent waiting on upstream providers per request, retries"
          + " included (streams: to the end)", LATENCY_BUCKETS);
      overhead = timer("sluice.gateway.overhead", "Time a request spent in Sluice itself: total less upstream",
          OVERHEAD_BUCKETS);
      ttft = timer("sluice.time.to.first.token", "Time from a streamed request's arrival to its first content",
          LATENCY_BUCKETS);
      promptTokens = tokens("prompt");
      completionTokens = tokens("completion");
      cachedTokens = tokens("cached");
      cost = Counter.builder("sluice.cost.usd").description("What upstream calls cost, in USD (price catalog)")
          .tags(tags).register(registry);
      savings = Counter.builder("sluice.cache.savings.usd").description("What cache hits saved: the cost of the"
          + " calls they replaced, in USD").tags(tags).register(registry);
      retries = Counter.builder("sluice.retries").description("Upstream attempts after the first within the same"
          + " model group").tags(latencyTags).register(registry);
    }

    private Timer timer(String name, String help, Duration[] buckets) {
      return Timer.builder(name).description(help).tags(latencyTags).serviceLevelObjectives(buckets)
          .register(registry);
    }

    private Counter tokens(String type) {
      return Counter.builder("sluice.tokens").description("Tokens upstreams billed (cache hits excluded), by type")
          .tags(tags).tag("type", type).register(registry);
    }

    Counter requests(int status, String cacheStatus) {
      int cls = Math.min(5, Math.max(1, status / 100));
      int c = 0;
      for (int i = 1; i < CACHE.length; i++) {
        if (CACHE[i].equals(cacheStatus)) c = i;
      }
      int slot = cls * CACHE.length + c;
      Counter counter = requests[slot];
      if (counter == null) {
        counter = Counter.builder("sluice.requests").description("Requests finished, by outcome").tags(tags)
            .tag("status_class", cls + "xx").tag("cache", CACHE[c]).register(registry);
        requests[slot] = counter;
      }
      return counter;
    }
  }

  public Metrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Shows every deployment's breaker as closed before any event arrives. */
  public void deployments(List<Deployment> all) {
    for (Deployment d : all) breakerGauge(d.key());
  }

  /** The Prometheus text exposition of every meter (CPU work: call it off the event loop). */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void attempted(String requestId, AttemptRecord a) {
    AttemptKey k = new AttemptKey(label(a.group()), label(a.provider()), label(a.deployment()),
        a.succeeded() ? "ok" : a.errorType());
    attempts.computeIfAbsent(k, x -> Counter.builder("sluice.upstream.attempts").description("Upstream attempts"
        + " by outcome (ok, or the failure's code)").tags("model", x.model, "provider", x.provider, "deployment",
        x.deployment, "outcome", x.outcome).register(registry)).increment();
  }

  @Override
  public void finished(RequestRecord r) {
    Series s = series(r);
    s.requests(r.status(), r.cacheStatus()).increment();
    s.total.record((long) (r.totalMillis() * 1e6), TimeUnit.NANOSECONDS);
    s.overhead.record((long) (r.overheadMillis() * 1e6), TimeUnit.NANOSECONDS);
    if (r.attempts() > 0) s.upstream.record((long) (r.upstreamMillis() * 1e6), TimeUnit.NANOSECONDS);
    if (r.ttftMillis() != null) s.ttft.record((long) (r.ttftMillis() * 1e6), TimeUnit.NANOSECONDS);
    if (!r.cacheHit()) {
      if (r.promptTokens() > 0) s.promptTokens.increment(r.promptTokens());
      if (r.completionTokens() > 0) s.completionTokens.increment(r.completionTokens());
      if (r.cachedTokens() > 0) s.cachedTokens.increment(r.cachedTokens());
    }
    if (r.costUsd() != null && r.costUsd() > 0) s.cost.increment(r.costUsd());
    if (r.savingUsd() > 0) s.savings.increment(r.savingUsd());
    if (r.retries() > 0) s.retries.increment(r.retries());
    if (GatewayError.Kind.RATE_LIMITED.defaultCode().equals(r.errorType()) && r.attempts() == 0) {
      if (s.rateLimited == null) s.rateLimited = Counter.builder("sluice.rate.limit.rejections").description(
          "Requests refused by Sluice's rate limits (429 rate_limit_exceeded)").tags(s.tags).register(registry);
      s.rateLimited.increment();
    } else if (GatewayError.Kind.BUDGET_EXCEEDED.defaultCode().equals(r.errorType())) {
      if (s.budgetRejected == null) s.budgetRejected = Counter.builder("sluice.budget.rejections").description(
          "Requests refused because a budget is spent (429 budget_exceeded)").tags(s.tags).register(registry);
      s.budgetRejected.increment();
    }
    for (RequestRecord.Budget b : r.budgets()) budget(b);
  }

  private Series series(RequestRecord r) {
    SeriesKey k = new SeriesKey(r.model() == null ? "unknown" : r.model(), label(r.provider()), label(r.deployment()),
        team(r.team()));
    Series s = series.get(k);
    return s != null ? s : series.computeIfAbsent(k, Series::new);
  }

  /** Teams and organizations only: keys and users are too many to be labels. */
  private void budget(RequestRecord.Budget b) {
    int colon = b.scope().indexOf(':');
    String kind = colon < 0 ? "" : b.scope().substring(0, colon);
    if (!kind.equals("team") && !kind.equals("org")) return;
    AtomicLong[] v = budgets.get(b.scope());
    if (v == null) {
      if (kind.equals("team") && team(b.scope().substring(colon + 1)).equals("other")) return;
      v = budgets.computeIfAbsent(b.scope(), scope -> {
        AtomicLong[] cells = {new AtomicLong(), new AtomicLong()};
        Tags t = Tags.of("scope", kind, "name", scope.substring(colon + 1));
        Gauge.builder("sluice.budget.remaining.usd", cells[0], c -> c.get() / 1e9).description("What a team's or"
            + " organization's budget has left this period, as this node last saw it").tags(t).register(registry);
        Gauge.builder("sluice.budget.limit.usd", cells[1], c -> c.get() / 1e9).description("A team's or"
            + " organization's budget for the period").tags(t).register(registry);
        return cells;
      });
    }
    v[0].set(Math.round(b.remainingUsd() * 1e9));
    v[1].set(Math.round(b.limitUsd() * 1e9));
  }

  /**
   * {@code sluice_spend_quarantined_total}: spend records PostgreSQL refused for their content and the journal
   * flusher set aside (see docs/security.md, "Accounting"), as {@code quarantined} counts them.
   */
  public void spendQuarantine(java.util.function.LongSupplier quarantined) {
    this.quarantined = quarantined; // Micrometer holds the counted object weakly: this one lives as long as we do
    io.micrometer.core.instrument.FunctionCounter.builder("sluice.spend.quarantined", this,
        m -> m.quarantined.getAsLong()).description("Spend records PostgreSQL refused for their content, kept in"
        + " <data_dir>/quarantine/spend.jsonl instead").register(registry);
  }

  @Override
  public void fallback(String from, String to, String reason) {
    Counter.builder("sluice.fallbacks").description("Moves from one model group to another after a failure")
        .tags("from", from, "to", to, "reason", reason == null ? NONE : reason).register(registry).increment();
  }

  @Override
  public void breaker(String deploymentKey, String state) {
    breakerGauge(deploymentKey).set(switch (state) {
      case "OPEN" -> 2;
      case "HALF_OPEN" -> 1;
      default -> 0;
    });
  }

  private AtomicInteger breakerGauge(String key) {
    return breakers.computeIfAbsent(key, k -> {
      AtomicInteger v = new AtomicInteger();
      int slash = k.indexOf('/');
      Gauge.builder("sluice.circuit.breaker.state", v, AtomicInteger::get).description("A deployment's circuit"
              + " breaker: 0 closed, 1 half-open, 2 open").tags("provider", k.substring(0, slash), "deployment",
              k.substring(slash + 1)).register(registry);
      return v;
    });
  }

  private String team(String team) {
    if (team == null) return NONE;
    if (teams.contains(team)) return team;
    if (teams.size() >= MAX_TEAMS) return "other";
    teams.add(team);
    return team;
  }

  private static String label(String value) {
    return value == null ? NONE : value;
  }

  private static Duration[] seconds(double... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) out[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
    return out;
  }
}
