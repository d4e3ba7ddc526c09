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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The route step: runs a request's {@link RoutePlan} as attempts ({@link AttemptLoop}) across deployments, with
 * retries and fallbacks; a cheapest-capable plan first gets its group from the estimator. Holds the current
 * {@link RoutingTable} in an atomic reference: {@link #swap} replaces it whole, and requests in flight finish on
 * the table they were planned on. Planning is the {@link RoutePlanner}'s job, health reporting the
 * {@link HealthView}'s. Shared by every event loop.
 */
public final class Router {
  private final Vertx vertx;
  /** Breakers, cooldowns, deadlines and latencies are timed by it. */
  private final Clock clock;
  private final AtomicReference<RoutingTable> table = new AtomicReference<>();
  private final Listeners listeners = new Listeners();
  private final HealthView health;
  private final RoutePlanner planner;
  private final Difficulty difficulty;

  private Router(Vertx vertx, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.health = new HealthView(vertx, listeners, table::get, clock);
    this.planner = new RoutePlanner(table::get);
    this.difficulty = new Difficulty(vertx);
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
    ModelCatalog catalog = ModelCatalog.build(models, providers, health.registry(), routing.breaker());
    table.set(new RoutingTable(catalog, routing, strategies));
    Set<String> keys = new HashSet<>();
    for (String name : catalog.names()) {
      for (Deployment d : catalog.resolve(name).deployments()) keys.add(d.key());
    }
    health.registry().retain(keys);
  }

  /** The difficulty estimators cheapest-capable rules may name, and the context they run with. */
  public void estimators(Map<String, DifficultyEstimator> byId, EstimatorContext context) {
    difficulty.estimators(byId, context);
  }

  /** The plan step, on this router's current table. */
  public RoutePlanner planner() {
    return planner;
  }

  /** Deployment health for {@code /admin/models} and the cluster's health gossip. */
  public HealthView health() {
    return health;
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

  /** Rule matches on the current table since it was loaded (tests prove a request is matched once). */
  long ruleMatches() {
    return table.get().rules.matches();
  }

  /** Routes {@code request} (as shaped) by {@code plan}; never fails: a failure is in the result. */
  public Future<Routed<ChatResponse>> chat(ChatRequest request, RoutePlan plan, CallContext client, RouteTrace trace) {
    return route(plan, request, false, client, trace, Calls.chat(request, clock));
  }

  /** Streams; the upstream is always asked for usage. Completes at the first content, or with the failure before it. */
  public Future<Routed<ChatStream>> stream(ChatRequest request, RoutePlan plan, CallContext client, RouteTrace trace) {
    return route(plan, request, true, client, trace, Calls.stream(vertx, clock, request));
  }

  public Future<Routed<EmbeddingResponse>> embed(EmbeddingRequest request, RoutePlan plan, CallContext client,
                                                 RouteTrace trace) {
    return route(plan, null, false, client, trace, (c, call, start, loop) -> {
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
    return new AttemptLoop<>(vertx, clock, t, plan, client, trace, listeners, Calls.chat(request, clock)).run();
  }

  private <T> Future<Routed<T>> route(RoutePlan plan, ChatRequest request, boolean stream, CallContext client,
                                      RouteTrace observer, AttemptLoop.Call<T> call) {
    RouteRecorder recorder = new RouteRecorder(observer);
    return attempts(plan, request, stream, client, recorder, call).transform(ar -> Future.succeededFuture(
        new Routed<>(ar.result(), ar.cause(), recorder.result(plan.table.catalog))));
  }

  private <T> Future<T> attempts(RoutePlan plan, ChatRequest request, boolean stream, CallContext client,
                                 RouteTrace trace, AttemptLoop.Call<T> call) {
    if (plan.unroutable() != null) return Future.failedFuture(plan.unroutable());
    RoutingTable t = plan.table;
    // The capability filter reads the request as it goes upstream (shaping may have made it smaller).
    Demand demand = request == null || request == plan.demand().chat() ? plan.demand() : Demand.of(request);
    if (plan.cheapestCapable()) {
      return difficulty.of(plan.rule(), request).compose(e -> {
        AttemptLoop.Plan p;
        try {
          p = cheapestCapable(plan, demand, stream, e, trace);
        } catch (GatewayError err) {
          return Future.failedFuture(err);
        }
        return new AttemptLoop<>(vertx, clock, t, p, client, trace, listeners, call).run();
      });
    }
    AttemptLoop.Plan p = new AttemptLoop.Plan(plan.group(), plan.pooled(), plan.strategy(), plan.retries(),
        plan.timeouts(), demand, stream);
    return new AttemptLoop<>(vertx, clock, t, p, client, trace, listeners, call).run();
  }

  private static AttemptLoop.Plan cheapestCapable(RoutePlan plan, Demand demand, boolean stream,
                                                  Difficulty.Estimate e, RouteTrace trace) {
    RoutingTable t = plan.table;
    RoutingConfig.Rule rule = plan.rule();
    CheapestCapable.Choice choice = CheapestCapable.choose(t.cheapest.options(rule), t.catalog, demand,
        e.difficulty(), rule.quality());
    String note = e.note() == null ? null : e.note().replaceAll("[^\\x20-\\x7e]", " ");
    trace.decided(new RouteDecision(demand.model(), choice.group(), e.difficulty(), rule.quality(), rule.estimator(),
        CheapestCapable.reason(choice, e.difficulty(), rule.quality(), rule.estimator(), note)));
    return new AttemptLoop.Plan(choice.group(), List.of(), plan.strategy(), plan.retries(), plan.timeouts(), demand,
        stream, choice.alternates());
  }

  /** Releases the breakers' timers. */
  public void close() {
    health.close();
  }
}
