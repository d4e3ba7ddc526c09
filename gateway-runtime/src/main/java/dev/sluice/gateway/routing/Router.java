package dev.sluice.gateway.routing;

import dev.sluice.api.CallContext;
import dev.sluice.api.ChatStream;
import dev.sluice.api.Embedder;
import dev.sluice.api.GatewayError;
import dev.sluice.api.Provider;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.EmbeddingRequest;
import dev.sluice.api.model.EmbeddingResponse;
import dev.sluice.api.routing.DifficultyEstimator;
import dev.sluice.api.routing.EstimatorContext;
import dev.sluice.api.routing.RoutingStrategy;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.RoutingConfig;
import dev.sluice.gateway.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The routing engine: rules pick the model group, strategy and limits; {@link AttemptLoop} makes the attempts.
 * Holds the current {@link RoutingTable} in an atomic reference: {@link #swap} replaces it whole, and requests
 * in flight finish on the table they started with. Shared by every event loop.
 */
public final class Router {
  private final Vertx vertx;
  private final Clock clock;
  private final AtomicReference<RoutingTable> table = new AtomicReference<>();
  private final List<RoutingListener> listeners = new CopyOnWriteArrayList<>();
  private final RoutingListener fanOut = new FanOut();
  private final HealthRegistry health;
  private final AtomicLong fallbacks = new AtomicLong();
  private volatile Map<String, DifficultyEstimator> estimators = Map.of();
  private volatile EstimatorContext estimatorContext;

  private volatile java.util.function.Consumer<JsonObject> healthOut;

  private Router(Vertx vertx, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.health = new HealthRegistry(vertx, fanOut, new HealthRegistry.Peers() {
      @Override
      public void opened(String deployment) {
        share(new JsonObject().put("deployment", deployment).put("opened", true));
      }

      @Override
      public void cooledDown(String deployment, long millis) {
        share(new JsonObject().put("deployment", deployment).put("cooldown_ms", millis));
      }
    }, clock);
  }

  private void share(JsonObject signal) {
    java.util.function.Consumer<JsonObject> out = healthOut;
    if (out != null) out.accept(signal);
  }

  /**
   * Sends this node's own breaker openings and 429 cooldowns to {@code out} ({@code cluster.share_breakers}),
   * as {@code {deployment, opened: true}} or {@code {deployment, cooldown_ms}}.
   */
  public void shareHealth(java.util.function.Consumer<JsonObject> out) {
    this.healthOut = out;
  }

  /** Applies another node's breaker opening or cooldown (from {@link #shareHealth}) to the same deployment here. */
  public void healthFromPeer(JsonObject signal) {
    health.fromPeer(signal.getString("deployment", ""), signal.getBoolean("opened", false),
        signal.getLong("cooldown_ms", 0L));
  }

  /** A router serving {@code models} over {@code providers}, with {@code strategies} from the plugins. */
  public static Router create(Vertx vertx, List<GatewayConfig.Model> models, Map<String, Provider> providers,
                              RoutingConfig routing, Map<String, RoutingStrategy> strategies) {
    return create(vertx, models, providers, routing, strategies, Clock.SYSTEM);
  }

  /** The same, timing breakers, cooldowns, deadlines and latencies by {@code clock}. */
  public static Router create(Vertx vertx, List<GatewayConfig.Model> models, Map<String, Provider> providers,
                              RoutingConfig routing, Map<String, RoutingStrategy> strategies, Clock clock) {
    Router r = new Router(vertx, clock);
    r.swap(models, providers, routing, strategies);
    return r;
  }

  /** Replaces the routing table at once; breakers and statistics of the deployments kept carry over. */
  public void swap(List<GatewayConfig.Model> models, Map<String, Provider> providers, RoutingConfig routing,
                   Map<String, RoutingStrategy> strategies) {
    ModelCatalog catalog = ModelCatalog.build(models, providers, health, routing.breaker());
    table.set(new RoutingTable(catalog, routing, strategies));
    Set<String> keys = new HashSet<>();
    for (String name : catalog.names()) {
      for (Deployment d : catalog.resolve(name).deployments()) keys.add(d.key());
    }
    health.retain(keys);
  }

  /** The difficulty estimators cheapest-capable rules may name, and the context they run with. */
  public void estimators(Map<String, DifficultyEstimator> byId, EstimatorContext context) {
    this.estimators = Map.copyOf(byId);
    this.estimatorContext = context;
  }

  /**
   * The name a request for {@code model} is cached under: its group's, or the name itself when it is no group
   * but a rule may route it (e.g. {@code auto}); a 404 otherwise.
   */
  public String cacheGroup(String model) {
    RoutingTable t = table.get();
    ModelGroup g = t.catalog.find(model);
    if (g != null) return g.name();
    for (RoutingConfig.Rule r : t.config.rules()) {
      if (r.route() != null || !r.candidates().isEmpty()) return model;
    }
    return t.catalog.resolve(model).name();
  }

  /**
   * For a name that is no model group but that cheapest-capable rules may route (e.g. {@code auto}), the dearest
   * of their candidate groups: budgets reserve a request's worst case before it is routed. Null otherwise.
   */
  public String dearestCandidate(String model) {
    RoutingTable t = table.get();
    if (t.catalog.find(model) != null) return null;
    CheapestCapable.Option dearest = null;
    for (RoutingConfig.Rule r : t.config.rules()) {
      if (!r.cheapestCapable() || !t.rules.modelMayMatch(r, model)) continue;
      for (CheapestCapable.Option o : t.cheapest.options(r)) {
        if (dearest == null || priced(o) > priced(dearest)) dearest = o;
      }
    }
    return dearest == null ? null : dearest.group();
  }

  /** A priced option's reference price; -1 for an unpriced one (a priced candidate is the better estimate). */
  private static double priced(CheapestCapable.Option o) {
    return Double.isInfinite(o.reference()) ? -1 : o.reference();
  }

  public ModelCatalog catalog() {
    return table.get().catalog;
  }

  public RoutingConfig config() {
    return table.get().config;
  }

  public void addListener(RoutingListener listener) {
    listeners.add(listener);
  }

  public Future<ChatResponse> chat(ChatRequest request, RuleSubject subject, CallContext client, RouteTrace trace) {
    return loop(request, request.model(), Demand.of(request), false, subject, client, trace, (c, call, start, loop) -> {
      c.health.inFlight.incrementAndGet();
      ChatRequest upstream = request.withModel(c.deployment.upstreamModel()).withStream(false, false);
      return c.deployment.provider().chat(upstream, call).andThen(ar -> {
        c.health.inFlight.decrementAndGet();
        if (ar.succeeded()) c.health.latency((clock.nanos() - start) / 1e6);
      });
    });
  }

  /**
   * A call the gateway makes on its own behalf (a compaction summary): straight to the group {@code request}
   * names, with its deployments, strategy, retries, breakers and fallbacks, but no routing rule.
   */
  public Future<ChatResponse> chatInGroup(ChatRequest request, CallContext client, RouteTrace trace) {
    RoutingTable t = table.get();
    RoutingConfig c = t.config;
    AttemptLoop.Plan plan;
    try {
      plan = new AttemptLoop.Plan(t.catalog.resolve(request.model()).name(), List.of(), c.strategy(), c.retries(),
          c.timeouts(), Demand.of(request), false);
    } catch (GatewayError e) {
      return Future.failedFuture(e);
    }
    return new AttemptLoop<>(vertx, clock, t, plan, client, trace, fanOut, chatCall(request)).run();
  }

  private AttemptLoop.Call<ChatResponse> chatCall(ChatRequest request) {
    return (c, call, start, loop) -> {
      c.health.inFlight.incrementAndGet();
      ChatRequest upstream = request.withModel(c.deployment.upstreamModel()).withStream(false, false);
      return c.deployment.provider().chat(upstream, call).andThen(ar -> {
        c.health.inFlight.decrementAndGet();
        if (ar.succeeded()) c.health.latency((clock.nanos() - start) / 1e6);
      });
    };
  }

  /** Streams; the upstream is always asked for usage. Completes at the first content, or fails before it. */
  public Future<ChatStream> stream(ChatRequest request, RuleSubject subject, CallContext client, RouteTrace trace) {
    return loop(request, request.model(), Demand.of(request), true, subject, client, trace, (c, call, start, loop) -> {
      c.health.inFlight.incrementAndGet();
      ChatRequest upstream = request.withModel(c.deployment.upstreamModel()).withStream(true, true);
      boolean[] released = new boolean[1];
      Runnable release = () -> {
        if (!released[0]) {
          released[0] = true;
          c.health.inFlight.decrementAndGet();
        }
      };
      return c.deployment.provider().stream(upstream, call).compose(s -> {
        RoutingConfig.Timeouts t = loop.plan().timeouts();
        HeldStream held = new HeldStream(s, vertx, clock, t.idle().toNanos(), loop.deadline(), failure -> {
          release.run();
          if (failure == null) c.health.latency((clock.nanos() - start) / 1e6);
        });
        call.onCancel(held::cancel);
        return held.ready().andThen(ar -> {
          if (ar.succeeded()) c.health.ttft((clock.nanos() - start) / 1e6);
        });
      }).onFailure(e -> release.run());
    });
  }

  public Future<EmbeddingResponse> embed(EmbeddingRequest request, RuleSubject subject, CallContext client,
                                         RouteTrace trace) {
    return loop(null, request.model(), Demand.NONE, false, subject, client, trace, (c, call, start, loop) -> {
      if (!(c.deployment.provider() instanceof Embedder embedder)) {
        return Future.failedFuture(GatewayError.badParam("model", "The model '" + request.model()
            + "' is served by provider '" + c.deployment.providerId() + "', which has no embeddings endpoint."));
      }
      c.health.inFlight.incrementAndGet();
      return embedder.embed(request.withModel(c.deployment.upstreamModel()), call).andThen(ar -> {
        c.health.inFlight.decrementAndGet();
        if (ar.succeeded()) c.health.latency((clock.nanos() - start) / 1e6);
      });
    });
  }

  private <T> Future<T> loop(ChatRequest request, String model, Demand demand, boolean stream, RuleSubject subject,
                             CallContext client, RouteTrace trace, AttemptLoop.Call<T> call) {
    RoutingTable t = table.get();
    RoutingConfig.Rule rule = t.rules.isEmpty() ? null : t.rules.match(model, demand.promptTokens(), subject);
    if (rule != null && rule.cheapestCapable()) {
      return difficulty(rule, request).compose(d -> {
        AttemptLoop.Plan plan;
        try {
          plan = cheapestCapable(t, rule, model, demand, stream, d, trace);
        } catch (GatewayError e) {
          return Future.failedFuture(e);
        }
        return new AttemptLoop<>(vertx, clock, t, plan, client, trace, fanOut, call).run();
      });
    }
    AttemptLoop.Plan plan;
    try {
      plan = plan(t, rule, model, demand, stream);
    } catch (GatewayError e) {
      return Future.failedFuture(e);
    }
    return new AttemptLoop<>(vertx, clock, t, plan, client, trace, fanOut, call).run();
  }

  /** The estimator's difficulty and a note when it could not give one (then 1: the strongest capable group). */
  private Future<Estimate> difficulty(RoutingConfig.Rule rule, ChatRequest request) {
    if (request == null) return Future.succeededFuture(new Estimate(0, "no chat to estimate"));
    DifficultyEstimator estimator = estimators.get(rule.estimator());
    if (estimator == null) {
      return Future.succeededFuture(new Estimate(1, "estimator " + rule.estimator() + " is not loaded"));
    }
    Future<Double> f;
    try {
      f = estimator.difficulty(request, estimatorContext);
    } catch (RuntimeException | LinkageError e) {
      f = Future.failedFuture(e);
    }
    if (!f.isComplete()) {
      // An estimator that does not answer in time must not hold the request: it is routed as hard.
      io.vertx.core.Promise<Double> bounded = io.vertx.core.Promise.promise();
      long timer = vertx.setTimer(ESTIMATOR_TIMEOUT_MS, id -> bounded.tryFail(new IllegalStateException(
          "no answer within " + ESTIMATOR_TIMEOUT_MS + " ms")));
      f.onComplete(ar -> {
        vertx.cancelTimer(timer);
        if (ar.succeeded()) bounded.tryComplete(ar.result());
        else bounded.tryFail(ar.cause());
      });
      f = bounded.future();
    }
    return f.transform(ar -> {
      if (ar.failed()) {
        return Future.succeededFuture(new Estimate(1, "estimator failed: " + ar.cause().getMessage()));
      }
      Double d = ar.result();
      if (d == null || !(d >= 0 && d <= 1)) {
        return Future.succeededFuture(new Estimate(1, "estimator answered " + d + ", not 0..1"));
      }
      return Future.succeededFuture(new Estimate(d, null));
    });
  }

  private record Estimate(double difficulty, String note) {}

  /** How long a request waits for its difficulty estimate (the embeddings model loads on first use). */
  static final long ESTIMATOR_TIMEOUT_MS = 10_000;

  private static AttemptLoop.Plan cheapestCapable(RoutingTable t, RoutingConfig.Rule rule, String model,
                                                  Demand demand, boolean stream, Estimate e, RouteTrace trace) {
    RoutingConfig c = t.config;
    CheapestCapable.Choice choice = CheapestCapable.choose(t.cheapest.options(rule), t.catalog, demand,
        e.difficulty(), rule.quality());
    String note = e.note() == null ? null : e.note().replaceAll("[^\\x20-\\x7e]", " ");
    trace.decided(new RouteDecision(model, choice.group(), e.difficulty(), rule.quality(), rule.estimator(),
        CheapestCapable.reason(choice, e.difficulty(), rule.quality(), rule.estimator(), note)));
    return new AttemptLoop.Plan(choice.group(), List.of(), c.strategy(),
        rule.retries() != null ? rule.retries() : c.retries(), rule.timeouts() != null ? rule.timeouts() : c.timeouts(),
        demand, stream, choice.alternates());
  }

  private static AttemptLoop.Plan plan(RoutingTable t, RoutingConfig.Rule rule, String model, Demand demand,
                                       boolean stream) {
    RoutingConfig c = t.config;
    if (rule == null) {
      return new AttemptLoop.Plan(t.catalog.resolve(model).name(), List.of(), c.strategy(), c.retries(),
          c.timeouts(), demand, stream);
    }
    String group;
    List<String> pooled = rule.candidates();
    if (rule.route() != null) {
      group = t.catalog.resolve(rule.route()).name();
    } else if (!pooled.isEmpty()) {
      group = t.catalog.resolve(pooled.get(0)).name();
    } else {
      group = t.catalog.resolve(model).name();
    }
    return new AttemptLoop.Plan(group, pooled, rule.strategy() != null ? rule.strategy() : c.strategy(),
        rule.retries() != null ? rule.retries() : c.retries(), rule.timeouts() != null ? rule.timeouts() : c.timeouts(),
        demand, stream);
  }

  /**
   * The rule {@code request} matches now and the smallest context window of the deployments it may go to: what
   * the shape step works with. Routing matches the rules again on the request it is given.
   */
  public RuleMatch match(ChatRequest request, RuleSubject subject) {
    RoutingTable t = table.get();
    RoutingConfig.Rule rule = t.rules.isEmpty() ? null
        : t.rules.match(request.model(), Demand.of(request).promptTokens(), subject);
    if (rule == null) return RuleMatch.NONE;
    if (!rule.shaping().any()) return new RuleMatch(rule, 0);  // only shaping asks for the window
    List<String> groups = rule == null || (rule.route() == null && rule.candidates().isEmpty())
        ? List.of(request.model()) : rule.route() != null ? List.of(rule.route()) : rule.candidates();
    int window = Integer.MAX_VALUE;
    for (String name : groups) {
      ModelGroup g = t.catalog.find(name);
      if (g == null) continue;
      for (Deployment d : g.deployments()) window = Math.min(window, d.capabilities().contextWindow());
    }
    return new RuleMatch(rule, window == Integer.MAX_VALUE ? 0 : window);
  }

  /** {@code /admin/models}: each model group, its deployments' live state, and the routing counters. */
  public JsonObject describe() {
    RoutingTable t = table.get();
    long now = clock.nanos();
    JsonArray models = new JsonArray();
    for (String name : t.catalog.names()) {
      ModelGroup g = t.catalog.resolve(name);
      JsonArray deployments = new JsonArray();
      for (Candidate c : g.candidates()) {
        deployments.add(new JsonObject().put("provider", c.provider()).put("model", c.model())
            .put("weight", c.weight()).mergeIn(c.health.describe(now)));
      }
      models.add(new JsonObject().put("name", name).put("tier", g.tier()).put("deployments", deployments));
    }
    return new JsonObject().put("strategy", t.config.strategy()).put("fallbacks", fallbacks.get())
        .put("models", models);
  }

  /** Releases the breakers' timers. */
  public void close() {
    health.close();
  }

  /** Counts fallbacks, then tells every registered listener. */
  private final class FanOut implements RoutingListener {
    @Override
    public void attempt(String group, Deployment deployment, int number, GatewayError failure, double millis) {
      for (RoutingListener l : listeners) l.attempt(group, deployment, number, failure, millis);
    }

    @Override
    public void fallback(String from, String to, String reason) {
      fallbacks.incrementAndGet();
      for (RoutingListener l : listeners) l.fallback(from, to, reason);
    }

    @Override
    public void breaker(String deploymentKey, String state) {
      for (RoutingListener l : listeners) l.breaker(deploymentKey, state);
    }
  }
}
