package dev.sluice.gateway.pipeline;

import dev.sluice.api.ChatStream;
import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.EmbeddingRequest;
import dev.sluice.api.model.EmbeddingResponse;
import dev.sluice.gateway.cache.ChatCache;
import dev.sluice.gateway.config.RoutingConfig;
import dev.sluice.gateway.observe.Observers;
import dev.sluice.gateway.routing.Deployment;
import dev.sluice.gateway.routing.ModelCatalog;
import dev.sluice.gateway.routing.ModelGroup;
import dev.sluice.gateway.routing.Reach;
import dev.sluice.gateway.routing.Router;
import dev.sluice.gateway.shaping.Shaper;
import dev.sluice.gateway.shaping.ShapingReport;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The path of one request after the ingress decoded and authenticated it, in one place:
 * <ol>
 *   <li>bound: {@link ClientFields} refuses out-of-bounds client strings (model, user, metadata) with a 400,
 *       before anything is admitted, journaled or embedded;</li>
 *   <li>govern: the {@link Guard} admits it against limits and budgets and reserves its estimated cost;</li>
 *   <li>shape: the {@link Shaper} compresses and compacts it and places prompt-cache breakpoints, when its rule
 *       asks for that;</li>
 *   <li>reach: {@link Reach} refuses, cheaply, what no deployment could take, before any embedding;</li>
 *   <li>cache: an exact or semantic hit answers without an upstream call;</li>
 *   <li>route: the {@link Router} applies rules and a strategy, retries and falls back across deployments;</li>
 *   <li>account: the guard's ticket settles the real cost and records the spend; the cache stores the answer.</li>
 * </ol>
 * Provider-neutral.
 */
public final class Pipeline {
  private final Router router;
  private final ChatCache cache;
  private final Guard guard;
  private final Observers observers;
  private final Shaper shaper;

  public Pipeline(Router router, ChatCache cache, Guard guard, Shaper shaper) {
    this.router = router;
    this.cache = cache;
    this.guard = guard;
    this.shaper = shaper;
    this.observers = Observers.create();
  }

  /** Who is told of each request's attempts and end (metrics, access log, traces, request log). */
  public Observers observers() {
    return observers;
  }

  /** The models served now (a reload may change them). */
  public ModelCatalog catalog() {
    return router.catalog();
  }

  public Router router() {
    return router;
  }

  public ChatCache cache() {
    return cache;
  }

  public Guard guard() {
    return guard;
  }

  public Future<ChatResponse> chat(ChatRequest request, Exchange exchange) {
    try {
      ClientFields.check(request, exchange.headers());
    } catch (GatewayError e) {
      return Future.failedFuture(e);
    }
    noteGroup(request.model(), exchange);
    return guard.admit(demand(request), exchange)
        .compose(t -> t.chat(shaped(request, exchange).compose(this::servable).compose(r -> cachedChat(r, exchange))));
  }

  /** Streams; the upstream is always asked for usage, whether or not the client wants to see it. */
  public Future<ChatStream> stream(ChatRequest request, Exchange exchange) {
    try {
      ClientFields.check(request, exchange.headers());
    } catch (GatewayError e) {
      return Future.failedFuture(e);
    }
    noteGroup(request.model(), exchange);
    return guard.admit(demand(request), exchange)
        .compose(t -> t.stream(shaped(request, exchange).compose(this::servable)
            .compose(r -> cachedStream(r, exchange))));
  }

  public Future<EmbeddingResponse> embed(EmbeddingRequest request, Exchange exchange) {
    try {
      ClientFields.check(request, exchange.headers());
    } catch (GatewayError e) {
      return Future.failedFuture(e);
    }
    noteGroup(request.model(), exchange);
    return guard.admit(Guard.Demand.of(request), exchange).compose(t -> t.embedding(
        router.embed(request, exchange.ruleSubject(), exchange.call(), exchange.trace())));
  }

  /**
   * The cheap check before the cache's embedding and routing's estimates: a request no deployment it may reach can
   * take (its context window) is refused now, for microseconds, not after seconds of embedding.
   */
  private Future<ChatRequest> servable(ChatRequest request) {
    GatewayError e = Reach.unservable(router.catalog(), router.config(), request);
    return e == null ? Future.succeededFuture(request) : Future.failedFuture(e);
  }

  /** A name a cheapest-capable rule routes (e.g. {@code auto}) reserves budget at its dearest candidate's price. */
  private Guard.Demand demand(ChatRequest request) {
    String dearest = router.dearestCandidate(request.model());
    return dearest == null ? Guard.Demand.of(request) : Guard.Demand.of(request).pricedAs(dearest);
  }

  private Future<ChatResponse> cachedChat(ChatRequest request, Exchange exchange) {
    if (!cache.enabled()) return routedChat(request, exchange);
    return group(request.model()).compose(g -> cache.chat(request, g, exchange, () -> routedChat(request, exchange)));
  }

  private Future<ChatStream> cachedStream(ChatRequest request, Exchange exchange) {
    if (!cache.enabled()) return routedStream(request, exchange);
    return group(request.model()).compose(g -> cache.stream(request, g, exchange, () -> routedStream(request, exchange)));
  }

  /** The shape step; it also notes the request's baseline (the model as asked for) for the savings report. */
  private Future<ChatRequest> shaped(ChatRequest request, Exchange exchange) {
    exchange.baselines(baselines(request, exchange));
    return shaper.shape(request, exchange.ruleSubject(), exchange.call()).map(s -> {
      if (s.report() != ShapingReport.NONE) {
        exchange.shaped(s.report());
        exchange.responseHeader("x-sluice-tokens-saved", Integer.toString(s.report().tokensSaved()));
      }
      return s.request();
    });
  }

  /** The requested model, or for a name that is none (as {@code auto}) the groups its rule may choose from. */
  private List<Exchange.Baseline> baselines(ChatRequest request, Exchange exchange) {
    ModelCatalog catalog = router.catalog();
    if (catalog.contains(request.model())) {
      ModelGroup g = catalog.resolve(request.model());
      return List.of(new Exchange.Baseline(g.name(), g.deployments().get(0).upstreamModel()));
    }
    RoutingConfig.Rule rule;
    try {
      rule = router.match(request, exchange.ruleSubject()).rule();
    } catch (GatewayError e) {
      return List.of(); // a malformed x-sluice-metadata header: the shape step answers it
    }
    if (rule == null) return List.of();
    List<String> names = rule.route() != null ? List.of(rule.route()) : rule.candidates();
    List<Exchange.Baseline> out = new ArrayList<>(names.size());
    for (String name : names) {
      if (!catalog.contains(name)) continue;
      ModelGroup g = catalog.resolve(name);
      out.add(new Exchange.Baseline(g.name(), g.deployments().get(0).upstreamModel()));
    }
    return List.copyOf(out);
  }

  private Future<ChatResponse> routedChat(ChatRequest request, Exchange exchange) {
    return router.chat(request, exchange.ruleSubject(), exchange.call(), exchange.trace())
        .andThen(ar -> servedBy(exchange));
  }

  private Future<ChatStream> routedStream(ChatRequest request, Exchange exchange) {
    return router.stream(request, exchange.ruleSubject(), exchange.call(), exchange.trace())
        .andThen(ar -> servedBy(exchange));
  }

  private void servedBy(Exchange exchange) {
    Deployment d = exchange.deployment();
    if (d != null) exchange.servedBy(router.catalog().groupOf(d));
  }

  /**
   * Notes the group the requested name resolves to, for the request log and the observers; null for a name that
   * is no model (such as {@code auto}: its rule picks the group), which routing answers later, not here.
   */
  private void noteGroup(String model, Exchange exchange) {
    ModelCatalog c = router.catalog();
    exchange.group(model != null && c.contains(model) ? c.resolve(model).name() : null);
  }

  /** The model group a request resolves to: what the cache keys on, whichever deployment answers. */
  private Future<String> group(String model) {
    try {
      return Future.succeededFuture(router.cacheGroup(model));
    } catch (GatewayError e) {
      return Future.failedFuture(e);
    }
  }
}
