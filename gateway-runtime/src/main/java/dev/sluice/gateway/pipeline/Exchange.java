package dev.sluice.gateway.pipeline;

import dev.sluice.gateway.identity.Principal;
import dev.sluice.api.CallContext;
import dev.sluice.gateway.observe.Observers;
import dev.sluice.gateway.observe.RequestEnd;
import dev.sluice.gateway.observe.RequestTrail;
import dev.sluice.gateway.routing.RuleSubject;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who and what one request is, for the steps of the {@link Pipeline}: its id, the principal that authenticated it,
 * when it arrived, the request as it came (headers, body), its cancellation signal, the sink for response headers
 * steps decide on, and the trail its observers read. Steps pass their results along the pipeline's chain, not
 * through here. Confined to the request's event loop.
 */
public final class Exchange {
  private final String requestId;
  private final CallContext call;
  private final long startNanos;
  private final Observers observers;
  private final RequestTrail trail;
  private Principal principal = Principal.MASTER;
  private MultiMap headers;
  private Buffer requestBody;
  private Map<String, String> responseHeaders;
  private RuleSubject caller;

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

  public String requestId() {
    return requestId;
  }

  /** The request's cancellation signal: a client that goes away cancels its upstream calls. */
  public CallContext call() {
    return call;
  }

  public Principal principal() {
    return principal;
  }

  public void authenticatedAs(Principal p) {
    this.principal = p;
    this.caller = null;
  }

  /** When the request arrived ({@link System#nanoTime()}). */
  public long startNanos() {
    return startNanos;
  }

  /** Wall time since the request arrived, upstream included. */
  public double elapsedMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000.0;
  }

  /** The request's headers, for routing rules ({@code headers}, {@code x-sluice-metadata}). */
  public MultiMap headers() {
    return headers;
  }

  public void headers(MultiMap h) {
    this.headers = h;
    this.caller = null;
  }

  /** The raw request body, kept by reference for the request log (encoded only when bodies are logged). */
  public Buffer requestBody() {
    return requestBody;
  }

  public void requestBody(Buffer body) {
    this.requestBody = body;
  }

  /** The caller as routing rules test it (principal and headers). */
  public RuleSubject caller() {
    if (caller == null) caller = new Caller(principal, headers);
    return caller;
  }

  /** Adds a response header a step decided on (rate-limit state, cost, route reason); written with the answer. */
  public void responseHeader(String name, String value) {
    if (responseHeaders == null) responseHeaders = new LinkedHashMap<>();
    responseHeaders.put(name, value);
  }

  /** The response headers steps added, in order; empty when none. */
  public Map<String, String> responseHeaders() {
    return responseHeaders == null ? Map.of() : responseHeaders;
  }

  /** What the request did so far, for the observers. */
  public RequestTrail trail() {
    return trail;
  }

  /**
   * The request is finished: answered ({@code failure} null), refused or failed, as {@code outcome} says (null
   * when it never reached the pipeline). Tells the observers once; later calls do nothing.
   */
  public void finished(Outcome outcome, Throwable failure) {
    if (observers == null || observers.isEmpty()) return;
    Outcome o = outcome == null ? Outcome.unplanned(failure) : outcome;
    observers.finish(trail, new RequestEnd(requestId, startNanos, principal,
        headers == null ? null : headers.get("traceparent"), o.route().upstreamNanos(), o.route().answeredNanos(),
        o.route().deployment(), o.route().attempts(), o.plan() == null ? null : o.plan().namedGroup(),
        o.cacheStatus()), failure);
  }
}
