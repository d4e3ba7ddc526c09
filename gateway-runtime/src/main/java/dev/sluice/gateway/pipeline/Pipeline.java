package dev.sluice.gateway.pipeline;

import dev.sluice.gateway.cache.CacheDirectives;
import dev.sluice.api.ChatStream;
import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Choice;
import dev.sluice.api.model.EmbeddingRequest;
import dev.sluice.api.model.EmbeddingResponse;
import dev.sluice.gateway.cache.CacheLookup;
import dev.sluice.gateway.cache.ChatCache;
import dev.sluice.gateway.cache.KnownRequest;
import dev.sluice.gateway.observe.Observers;
import dev.sluice.gateway.routing.Demand;
import dev.sluice.gateway.routing.ModelCatalog;
import dev.sluice.gateway.routing.RouteDecision;
import dev.sluice.gateway.routing.Reach;
import dev.sluice.gateway.routing.RoutePlan;
import dev.sluice.gateway.routing.Router;
import dev.sluice.gateway.shaping.ShapingReport;
import dev.sluice.gateway.shaping.Shaper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Locale;

/**
 * The path of one request, top to bottom, in one place. The ingress has authenticated the caller (the
 * {@link Exchange}'s principal, before it read the body) and decoded the request; then:
 * <ol>
 *   <li>bound: {@link ClientFields} refuses out-of-bounds client strings (model, user, metadata) with a 400,
 *       before anything is admitted, journaled or embedded;</li>
 *   <li>plan: the {@link dev.sluice.gateway.routing.RoutePlanner} matches the routing rules once;</li>
 *   <li>admit: the {@link Guard} admits the request against limits and budgets and reserves its cost;</li>
 *   <li>shape: the {@link Shaper} compresses, compacts and places prompt-cache breakpoints, when the rule asks;</li>
 *   <li>reach: {@link Reach} refuses, cheaply, what no deployment the plan may reach could take, before any
 *       embedding;</li>
 *   <li>cache: the {@link ChatCache} looks the request up; a hit answers without an upstream call;</li>
 *   <li>route: the {@link Router} tries deployments with retries and fallbacks;</li>
 *   <li>usage: what the call used, reported or counted ({@link Metered});</li>
 *   <li>settle: the admission {@link Guard.Ticket} frees limits, charges budgets, journals the spend record;</li>
 *   <li>store: the cache keeps a complete answer;</li>
 *   <li>reply: the {@link Answer}, its headers in the exchange's sink, for the ingress to encode.</li>
 * </ol>
 * Each step returns its result on a {@link Trip}; {@link Outcome} is built from them once, at settlement. A
 * stream is answered as soon as it starts: its usage, settle and store steps run when it ends, before the end
 * reaches the client. Provider-neutral.
 */
public final class Pipeline {
  private final Vertx vertx;
  private final Router router;
  private final ChatCache cache;
  private final Guard guard;
  private final Observers observers;
  private final Shaper shaper;

  public Pipeline(Vertx vertx, Router router, ChatCache cache, Guard guard, Shaper shaper) {
    this.vertx = vertx;
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

  /**
   * A chat answered as one JSON response.
   *
   * @param known what the ingress remembers of this very request body (for the cache), or null
   */
  public Future<Answer<ChatResponse>> chat(ChatRequest request, CacheDirectives directives, KnownRequest known,
                                           Exchange x) {
    GatewayError out = bound(() -> ClientFields.check(request, x.headers()));
    if (out != null) return done(unplanned(out));
    return admit(this.<ChatResponse>plan(request, x), x)
        .compose(t -> shape(t, x))
        .map(this::reach)
        .compose(t -> lookUp(t, directives, known, x))
        .compose(t -> route(t, x))
        .compose(this::meter)
        .compose(t -> settle(t, 0, x))
        .map(a -> store(a, a.value(), x))
        .map(a -> reply(a, true, x));
  }

  /**
   * A chat answered as a stream, once its first content is in; the upstream is always asked for usage, whether
   * or not the client wants to see it. Its usage, settle and store steps run when it ends.
   */
  public Future<Answer<ChatStream>> stream(ChatRequest request, CacheDirectives directives, KnownRequest known,
                                           Exchange x) {
    GatewayError out = bound(() -> ClientFields.check(request, x.headers()));
    if (out != null) return done(unplanned(out));
    return admit(this.<ChatStream>plan(request, x), x)
        .compose(t -> shape(t, x))
        .map(this::reach)
        .compose(t -> lookUp(t, directives, known, x))
        .compose(t -> routeStream(t, x))
        .compose(t -> t.failed() ? settle(t, 0, x).map(a -> reply(a, false, x)) : done(relay(t, x)));
  }

  /** The stream goes out now; when it ends: usage, settle, store; only then does its end reach the client. */
  private Answer<ChatStream> relay(Trip<ChatStream> t, Exchange x) {
    MeteredStream s = new MeteredStream(t.value(), t.ticket().accounts() || t.ticket().keepsText(),
        t.cache().stores());
    s.holdEndUntil(s.ended().compose(end -> meter(end.failure() == null ? t : t.failed(end.failure()),
            end.usage(), end.text())
        .compose(ended -> settle(ended, end.firstTokenNanos(), x))
        .map(a -> store(a, end.response(), x))));
    return reply(new Answer<>(s, null, t.outcome(0), Bill.NONE, t.cache()), false, x);
  }

  public Future<Answer<EmbeddingResponse>> embed(EmbeddingRequest request, Exchange x) {
    GatewayError out = bound(() -> ClientFields.check(request, x.headers()));
    if (out != null) return done(unplanned(out));
    return admit(Trip.<EmbeddingResponse>planned(plan(Demand.of(request), x), null), x)
        .compose(t -> t.failed() ? done(t) : router.embed(request, t.plan(), x.call(), x.trail()).map(t::routed))
        .compose(this::meterEmbedding)
        .compose(t -> settle(t, 0, x))
        .map(a -> reply(a, true, x));
  }

  /** Bound: the client's strings that reach storage, logs or labels; the 400 for the first out of bounds, or null. */
  private static GatewayError bound(Runnable check) {
    try {
      check.run();
      return null;
    } catch (GatewayError e) {
      return e;
    }
  }

  /** A request refused before it was planned: nothing admitted, nothing to settle. */
  private static <T> Answer<T> unplanned(GatewayError e) {
    return new Answer<>(null, e, Outcome.unplanned(e), Bill.NONE, CacheLookup.OFF);
  }

  /** Plan: the routing rules are matched here, once; every later step reads the plan. */
  private RoutePlan plan(Demand demand, Exchange x) {
    return router.planner().plan(demand, x.caller());
  }

  private <T> Trip<T> plan(ChatRequest request, Exchange x) {
    return Trip.planned(plan(Demand.of(request), x), request);
  }

  /** Admit: limits and budgets; a refusal is a failed trip that no later step runs on. */
  private <T> Future<Trip<T>> admit(Trip<T> planned, Exchange x) {
    return guard.admit(planned.plan(), x).transform(ar -> done(ar.succeeded() ? planned.admitted(ar.result())
        : planned.failed(ar.cause())));
  }

  /** Shape: a malformed routing input the plan kept is answered first. */
  private <T> Future<Trip<T>> shape(Trip<T> t, Exchange x) {
    if (t.failed()) return done(t);
    if (t.plan().invalid() != null) return done(t.failed(t.plan().invalid()));
    return shaper.shape(t.request(), t.plan(), x.call()).transform(ar -> done(ar.succeeded()
        ? t.shaped(ar.result()) : t.failed(ar.cause())));
  }

  /**
   * Reach: the cheap check before the dear steps (the semantic cache's embedding, routing's estimates): a request
   * no deployment it may reach can take is refused now, for microseconds.
   */
  private <T> Trip<T> reach(Trip<T> t) {
    if (t.failed()) return t;
    GatewayError e = Reach.unservable(t.plan(), t.request());
    return e == null ? t : t.failed(e);
  }

  /** Cache: keyed by the plan's cache group; a name nothing serves fails here when caching is on. */
  private <T> Future<Trip<T>> lookUp(Trip<T> t, CacheDirectives directives, KnownRequest known, Exchange x) {
    if (t.failed() || !cache.enabled()) return done(t);
    if (t.plan().cacheGroup() == null) return done(t.failed(t.plan().unroutable()));
    return cache.lookUp(t.request(), t.plan().cacheGroup(), x.principal(), directives, known).map(t::looked);
  }

  /** Route: a hit has its answer already; else the router runs the plan's attempts. */
  private Future<Trip<ChatResponse>> route(Trip<ChatResponse> t, Exchange x) {
    if (t.failed()) return done(t);
    if (t.cache().hit()) return done(t.answered(t.cache().response()));
    return router.chat(t.request(), t.plan(), x.call(), x.trail()).map(t::routed);
  }

  private Future<Trip<ChatStream>> routeStream(Trip<ChatStream> t, Exchange x) {
    if (t.failed()) return done(t);
    if (t.cache().hit()) return done(t.answered(cache.replay(t.cache())));
    return router.stream(t.request(), t.plan(), x.call(), x.trail()).map(t::routed);
  }

  /** Usage of a JSON answer: reported, or counted from its text when governance accounts for it. */
  private Future<Trip<ChatResponse>> meter(Trip<ChatResponse> t) {
    if (t.failed() || t.ticket() == null) return done(t);
    ChatResponse r = t.value();
    boolean count = r.usage() == null && t.ticket().accounts();
    return meter(t, r.usage(), count || t.ticket().keepsText() ? text(r) : null);
  }

  private <T> Future<Trip<T>> meter(Trip<T> t, dev.sluice.api.model.Usage reported, String text) {
    if (t.ticket() == null) return done(t);
    return Metered.of(vertx, t.plan().demand(), reported, text, t.ticket().accounts()).map(t::metered);
  }

  /** Usage of an embedding: reported, or its input counted (it has no answer text). */
  private Future<Trip<EmbeddingResponse>> meterEmbedding(Trip<EmbeddingResponse> t) {
    if (t.failed() || t.ticket() == null) return done(t);
    return Metered.of(vertx, t.plan().demand(), t.value().usage(), "", t.ticket().accounts())
        .map(m -> t.metered(new Metered(m.usage(), m.counted(), null)));
  }

  private static String text(ChatResponse r) {
    StringBuilder text = new StringBuilder();
    for (Choice c : r.choices()) {
      if (c.message() != null && c.message().text() != null) text.append(c.message().text());
    }
    return text.toString();
  }

  /** Settle: the outcome is built here, once, and the ticket accounts for it; a refusal has nothing to settle. */
  private <T> Future<Answer<T>> settle(Trip<T> t, long firstTokenNanos, Exchange x) {
    if (t.ticket() == null) {
      return done(new Answer<>(null, t.failure(), Outcome.refused(t.plan(), t.failure()), Bill.NONE, t.cache()));
    }
    Outcome o = t.outcome(firstTokenNanos);
    return t.ticket().settle(o, x).map(bill -> {
      if (t.ticket().accounts()) x.trail().settled(o.usage(), bill.costUsd(), bill.savingUsd());
      return new Answer<>(t.value(), t.failure(), o, bill, t.cache());
    });
  }

  /** Store: a complete, successful answer the lookup said to keep. */
  private <T> Answer<T> store(Answer<T> a, ChatResponse response, Exchange x) {
    if (!a.failed()) cache.store(a.cache(), x.principal(), response);
    return a;
  }

  /** Reply: the headers the steps decided on go to the exchange's sink; the ingress writes them with the answer. */
  private static <T> Answer<T> reply(Answer<T> a, boolean showCost, Exchange x) {
    Outcome o = a.outcome();
    if (o.shaping() != ShapingReport.NONE) {
      x.responseHeader("x-sluice-tokens-saved", Integer.toString(o.shaping().tokensSaved()));
    }
    RouteDecision decision = o.route().decision();
    if (decision != null) x.responseHeader(RouteDecision.HEADER, decision.reason());
    if (showCost && a.bill().costUsd() != null) {
      x.responseHeader("x-sluice-cost-usd", String.format(Locale.ROOT, "%.8f", a.bill().costUsd()));
    }
    return a;
  }

  private static <T> Future<T> done(T value) {
    return Future.succeededFuture(value);
  }
}
