package dev.sluice.gateway.pipeline;

import dev.sluice.api.CallContext;
import dev.sluice.gateway.observe.Observers;
import dev.sluice.gateway.observe.RequestTrail;
import dev.sluice.gateway.routing.Deployment;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.function.Supplier;

/**
 * The state of one request on its way through the pipeline: its id, the cancellation signal, the deployment
 * that serves it and the clock. Confined to the request's event loop.
 */
public final class Exchange {
  private final String requestId;
  private final CallContext call;
  private final long startNanos;
  private long upstreamStartNanos;
  private long upstreamNanos;
  private Deployment deployment;
  private Principal principal = Principal.MASTER;
  private MultiMap headers;
  private int attempts;
  private RoutingView routing;
  private CacheDirectives cacheDirectives = CacheDirectives.NONE;
  private String cacheStatus;
  private Object cachedResponse;
  private Supplier<Buffer> cachedOpenAiBody;
  private java.util.Map<String, String> responseHeaders;
  private long upstreamAnsweredNanos;
  private final Observers observers;
  private final RequestTrail trail;
  private long firstTokenNanos;
  private String group;
  private Buffer requestBody;
  private dev.sluice.gateway.cache.KnownRequest knownRequest;
  private dev.sluice.gateway.shaping.ShapingReport shaping = dev.sluice.gateway.shaping.ShapingReport.NONE;
  private String servedGroup;
  private java.util.List<Baseline> baselines = java.util.List.of();

  /**
   * What the client asked for, priced as the savings report's baseline: a model {@code group} and the
   * {@code upstreamModel} of its first deployment (for the built-in price list). A request for a name that is no
   * model (such as {@code auto}) has one per candidate of its rule; the dearest is the baseline.
   */
  public record Baseline(String group, String upstreamModel) {}

  private dev.sluice.gateway.routing.RouteDecision routeDecision;

  private Exchange(String requestId, long startNanos, Observers observers) {
    this.requestId = requestId;
    this.call = CallContext.create(requestId);
    this.startNanos = startNanos;
    this.observers = observers;
    this.trail = observers == null ? RequestTrail.unobserved(requestId) : observers.trail(requestId);
  }

  public static Exchange start(String requestId, long startNanos) {
    return new Exchange(requestId, startNanos, null);
  }

  /** A request whose attempts and end {@code observers} are told of (metrics, access log, traces). */
  public static Exchange start(String requestId, long startNanos, Observers observers) {
    return new Exchange(requestId, startNanos, observers);
  }

  /** What the request did so far, for the observers. */
  public RequestTrail trail() {
    return trail;
  }

  /**
   * The request is finished: answered ({@code failure} null), refused or failed. Tells the observers once; later
   * calls do nothing.
   */
  public void finished(Throwable failure) {
    if (observers != null) observers.finish(this, failure);
  }

  public String requestId() {
    return requestId;
  }

  public CallContext call() {
    return call;
  }

  public Principal principal() {
    return principal;
  }

  public void authenticatedAs(Principal p) {
    this.principal = p;
  }

  public CacheDirectives cacheDirectives() {
    return cacheDirectives;
  }

  public void cacheDirectives(CacheDirectives d) {
    this.cacheDirectives = d;
  }

  /** {@code HIT}, {@code SEMANTIC_HIT}, {@code MISS} or {@code BYPASS}; null when caching is off. */
  public String cacheStatus() {
    return cacheStatus;
  }

  public void cacheStatus(String status) {
    this.cacheStatus = status;
  }

  /** Adds a response header a pipeline step decided on (cost, rate-limit state); written with the answer. */
  public void responseHeader(String name, String value) {
    if (responseHeaders == null) responseHeaders = new java.util.LinkedHashMap<>();
    responseHeaders.put(name, value);
  }

  /** The response headers pipeline steps added, in order; empty when none. */
  public java.util.Map<String, String> responseHeaders() {
    return responseHeaders == null ? java.util.Map.of() : responseHeaders;
  }

  /** What the shape step did (compaction, compression, cache breakpoints); {@code NONE} when nothing. */
  public dev.sluice.gateway.shaping.ShapingReport shaping() {
    return shaping;
  }

  void shaped(dev.sluice.gateway.shaping.ShapingReport report) {
    this.shaping = report;
  }

  /** The model group whose deployment answered (after rules and fallbacks), or null. */
  public String servedGroup() {
    return servedGroup;
  }

  void servedBy(String group) {
    this.servedGroup = group;
  }

  /** The model as requested, before any gateway lever (several when it named none); empty when unknown. */
  public java.util.List<Baseline> baselines() {
    return baselines;
  }

  /** @param b an unmodifiable list */
  void baselines(java.util.List<Baseline> b) {
    this.baselines = b;
  }

  /** What a cheapest-capable rule decided for this request; null when none routed it. */
  public dev.sluice.gateway.routing.RouteDecision routeDecision() {
    return routeDecision;
  }

  /** Records the decision and answers with it in {@code x-sluice-route-reason}. */
  void routeDecision(dev.sluice.gateway.routing.RouteDecision decision) {
    this.routeDecision = decision;
    responseHeader(dev.sluice.gateway.routing.RouteDecision.HEADER, decision.reason());
  }

  /** When the request arrived ({@link System#nanoTime()}). */
  public long startNanos() {
    return startNanos;
  }

  public Deployment deployment() {
    return deployment;
  }

  /** The request's headers, for routing rules ({@code headers}, {@code x-sluice-metadata}). */
  public MultiMap headers() {
    return headers;
  }

  public void headers(MultiMap h) {
    this.headers = h;
  }

  /** Upstream attempts made so far ({@code x-sluice-attempts}). */
  public int attempts() {
    return attempts;
  }

  void attempted(Deployment d, int number) {
    this.deployment = d;
    this.attempts = number;
  }

  RoutingView routingView() {
    if (routing == null) routing = new RoutingView(this);
    return routing;
  }

  dev.sluice.gateway.routing.RuleSubject ruleSubject() {
    return routingView();
  }

  dev.sluice.gateway.routing.RouteTrace trace() {
    return routingView();
  }

  void upstreamStarted() {
    upstreamStartNanos = System.nanoTime();
  }

  /** The upstream answered (a complete response, or a stream's headers). */
  void upstreamAnswered() {
    if (upstreamStartNanos != 0) {
      upstreamAnsweredNanos = System.nanoTime();
      upstreamNanos += upstreamAnsweredNanos - upstreamStartNanos;
      upstreamStartNanos = 0;
    }
  }

  /** Time spent waiting on upstreams until {@code now}, the wait still open included. */
  public long upstreamNanos(long now) {
    return upstreamNanos + (upstreamStartNanos != 0 ? now - upstreamStartNanos : 0);
  }

  /** When the upstream's answer (for a stream: its first content) came; 0 when none came. */
  public long upstreamAnsweredNanos() {
    return upstreamAnsweredNanos;
  }

  /** The cache answered with {@code response}, whose OpenAI encoding {@code openAiBody} supplies. */
  public void cachedAnswer(Object response, Supplier<Buffer> openAiBody) {
    this.cachedResponse = response;
    this.cachedOpenAiBody = openAiBody;
  }

  /** The stored OpenAI encoding of {@code response} when it is the cached answer itself, else null. */
  public Buffer cachedOpenAiBody(Object response) {
    return response != null && response == cachedResponse ? cachedOpenAiBody.get() : null;
  }

  /** The model group the requested name resolved to (for the request log), or null when it resolved to none. */
  public String group() {
    return group;
  }

  void group(String name) {
    this.group = name;
  }

  /** What the cache worked out before for this very request body (the ingress remembers it), or null. */
  public dev.sluice.gateway.cache.KnownRequest knownRequest() {
    return knownRequest;
  }

  public void knownRequest(dev.sluice.gateway.cache.KnownRequest known) {
    this.knownRequest = known;
  }

  /** The raw request body, kept by reference for the request log (encoded only when bodies are logged). */
  public Buffer requestBody() {
    return requestBody;
  }

  public void requestBody(Buffer body) {
    this.requestBody = body;
  }

  /** Marks the first token sent to the client (streams); later calls keep the first. */
  public void firstToken() {
    if (firstTokenNanos == 0) firstTokenNanos = System.nanoTime();
  }

  /** Milliseconds from arrival to the first token, or null when no token was marked. */
  public Double timeToFirstTokenMillis() {
    return firstTokenNanos == 0 ? null : (firstTokenNanos - startNanos) / 1_000_000.0;
  }

  /** Milliseconds spent waiting on upstreams (all attempts), or null when no upstream was called. */
  public Double upstreamMillis() {
    long pending = upstreamStartNanos == 0 ? 0 : System.nanoTime() - upstreamStartNanos;
    long total = upstreamNanos + pending;
    return total == 0 ? null : total / 1_000_000.0;
  }

  /** Wall time since the request arrived, upstream included. */
  public double elapsedMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000.0;
  }

  /** Time spent in Sluice itself so far: wall time since arrival less time waiting on the upstream. */
  public double overheadMillis() {
    long total = System.nanoTime() - startNanos;
    return Math.max(0, total - upstreamNanos) / 1_000_000.0;
  }
}
