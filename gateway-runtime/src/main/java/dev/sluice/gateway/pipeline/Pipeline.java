package dev.sluice.gateway.pipeline;

import dev.sluice.api.ChatStream;
import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.EmbeddingRequest;
import dev.sluice.api.model.EmbeddingResponse;
import dev.sluice.gateway.cache.ChatCache;
import dev.sluice.gateway.observe.Observers;
import dev.sluice.gateway.routing.ModelCatalog;
import dev.sluice.gateway.routing.Router;
import io.vertx.core.Future;

/**
 * The path of one request after the ingress decoded and authenticated it, in one place:
 * <ol>
 *   <li>govern: the {@link Guard} admits it against limits and budgets and reserves its estimated cost;</li>
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

  public Pipeline(Router router, ChatCache cache, Guard guard) {
    this.router = router;
    this.cache = cache;
    this.guard = guard;
    this.observers = Observers.create(model -> {
      ModelCatalog c = router.catalog();
      return c.contains(model) ? c.resolve(model).name() : null;
    });
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
    noteGroup(request.model(), exchange);
    return guard.admit(demand(request), exchange).compose(t -> t.chat(cachedChat(request, exchange)));
  }

  /** Streams; the upstream is always asked for usage, whether or not the client wants to see it. */
  public Future<ChatStream> stream(ChatRequest request, Exchange exchange) {
    noteGroup(request.model(), exchange);
    return guard.admit(demand(request), exchange).compose(t -> t.stream(cachedStream(request, exchange)));
  }

  public Future<EmbeddingResponse> embed(EmbeddingRequest request, Exchange exchange) {
    noteGroup(request.model(), exchange);
    return guard.admit(Guard.Demand.of(request), exchange).compose(t -> t.embedding(
        router.embed(request, exchange.ruleSubject(), exchange.call(), exchange.trace())));
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

  private Future<ChatResponse> routedChat(ChatRequest request, Exchange exchange) {
    return router.chat(request, exchange.ruleSubject(), exchange.call(), exchange.trace());
  }

  private Future<ChatStream> routedStream(ChatRequest request, Exchange exchange) {
    return router.stream(request, exchange.ruleSubject(), exchange.call(), exchange.trace());
  }

  /** Notes the group for the request log; an unknown model is answered later by routing, not here. */
  private void noteGroup(String model, Exchange exchange) {
    try {
      exchange.group(router.catalog().resolve(model).name());
    } catch (RuntimeException e) {
      exchange.group(null);
    }
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
