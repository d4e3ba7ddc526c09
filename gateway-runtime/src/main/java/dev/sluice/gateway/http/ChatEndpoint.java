package dev.sluice.gateway.http;

import dev.sluice.api.ChatStream;
import dev.sluice.api.GatewayError;
import dev.sluice.api.IngressFormat;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.gateway.pipeline.Answer;
import dev.sluice.gateway.cache.CacheDirectives;
import dev.sluice.gateway.pipeline.Exchange;
import dev.sluice.gateway.pipeline.Outcome;
import dev.sluice.gateway.pipeline.Pipeline;
import dev.sluice.gateway.routing.Deployment;
import io.vertx.core.AsyncResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Set;

/** A chat request in any client format: decode, run the pipeline, answer as JSON or as a stream. */
final class ChatEndpoint {
  private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream; charset=utf-8");
  private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");
  private static final CharSequence SERVER_TIMING = HttpHeaders.createOptimized("server-timing");
  private static final CharSequence PROVIDER = HttpHeaders.createOptimized("x-sluice-provider");
  private static final CharSequence MODEL = HttpHeaders.createOptimized("x-sluice-model");
  private static final CharSequence CACHE = HttpHeaders.createOptimized("x-sluice-cache");
  private static final CharSequence OVERHEAD = HttpHeaders.createOptimized("x-sluice-overhead-ms");
  /** Bytes of decoded requests kept for repeated bodies (see {@link RequestMemo}). */
  private static final long MEMO_BYTES = 16L * 1024 * 1024;
  private final Pipeline pipeline;
  /** The built-in OpenAI format decodes the body alone; a plugin's format may read headers: decoded every time. */
  private final RequestMemo memo = new RequestMemo(MEMO_BYTES, Set.of(OpenAiFormat.INSTANCE));

  ChatEndpoint(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  void handle(HttpServerRequest req, Buffer body, IngressFormat format, Exchange exchange) {
    // A repeated body is decoded once while the exact cache is on: its hits then skip decoding.
    boolean remember = pipeline.cache().exactEnabled();
    Decoding.decode(body, () -> memo.decode(format, body, req.headers(), remember, Routes::parse)).onComplete(ar -> {
      if (ar.failed()) {
        fail(req.response(), format, exchange, null, ar.cause());
        return;
      }
      try {
        serve(req, ar.result(), format, exchange);
      } catch (RuntimeException e) {
        fail(req.response(), format, exchange, null, e);
      }
    });
  }

  private void serve(HttpServerRequest req, RequestMemo.Decoded decoded, IngressFormat format, Exchange exchange) {
    ChatRequest request = decoded.request();
    exchange.trail().requested("chat", request.model(), request.stream(), request);
    CacheDirectives directives = pipeline.cache().enabled() ? CacheDirectives.parse(
        req.getHeader(HttpHeaders.CACHE_CONTROL), req.getHeader(CacheDirectives.THRESHOLD_HEADER))
        : CacheDirectives.NONE;
    HttpServerResponse response = req.response();
    // Until a stream's relay takes over, a client that goes away cancels the attempts (and the retries).
    response.closeHandler(v -> exchange.call().cancel(GatewayError.cancelled("The client closed the connection.")));
    if (request.stream()) {
      pipeline.stream(request, directives, decoded.known(), exchange)
          .onComplete(ar -> startStream(ar, response, request, format, exchange));
    } else {
      pipeline.chat(request, directives, decoded.known(), exchange)
          .onComplete(ar -> complete(ar, response, request, format, exchange));
    }
  }

  private static void complete(AsyncResult<Answer<ChatResponse>> ar, HttpServerResponse response,
                               ChatRequest request, IngressFormat format, Exchange exchange) {
    if (ar.failed() || ar.result().failed()) {
      failed(ar, response, format, exchange);
      return;
    }
    Answer<ChatResponse> a = ar.result();
    // A hit carries its entry's OpenAI encoding: the kept bytes are shared by every hit on the entry, on every event
    // loop, and written as they are (a response writes a slice of a buffer that the socket's release cannot free).
    Buffer cached = format == OpenAiFormat.INSTANCE ? a.cache().openAiBody() : null;
    Buffer body = cached != null ? cached : format.encodeResponse(a.value(), request);
    routeHeaders(response, exchange, a.outcome());
    Replies.json(response, 200, body);
    observed(exchange, a.value());
    exchange.finished(a.outcome(), null);
  }

  /** A pipeline that failed (a bug: it answers failures in its result) or an answer that is a failure. */
  static void failed(AsyncResult<? extends Answer<?>> ar, HttpServerResponse response, IngressFormat format,
                     Exchange exchange) {
    if (ar.failed()) fail(response, format, exchange, null, ar.cause());
    else fail(response, format, exchange, ar.result().outcome(), ar.result().failure());
  }

  /** Notes what the upstream answered for the observers. */
  private static void observed(Exchange exchange, ChatResponse r) {
    var trail = exchange.trail();
    trail.reported(r.usage());
    trail.answered(r.model(), r.choices().isEmpty() ? null : r.choices().get(0).finishReason());
    if (trail.keepsText() && !r.choices().isEmpty() && r.choices().get(0).message() != null) {
      trail.completion(r.choices().get(0).message().text());
    }
  }

  private static void startStream(AsyncResult<Answer<ChatStream>> ar, HttpServerResponse response,
                                  ChatRequest request, IngressFormat format, Exchange exchange) {
    if (ar.failed() || ar.result().failed()) {
      failed(ar, response, format, exchange);
      return;
    }
    Answer<ChatStream> a = ar.result();
    ChatStream stream = a.value();
    if (response.closed()) {
      stream.cancel();
      exchange.finished(a.outcome(), GatewayError.cancelled("The client closed the connection."));
      return;
    }
    routeHeaders(response, exchange, a.outcome());
    response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, EVENT_STREAM)
        .putHeader(HttpHeaders.CACHE_CONTROL, NO_CACHE).putHeader("x-accel-buffering", "no");
    StreamRelay.start(response, stream, format.streamEncoder(request), request.includeUsage(), exchange,
        a.outcome());
  }

  /**
   * A refusal or failure: the attempts made and the pipeline's headers (rate-limit state), then the error.
   *
   * @param outcome how the request went, or null when it failed before the pipeline had one
   */
  static void fail(HttpServerResponse response, IngressFormat format, Exchange exchange, Outcome outcome,
                   Throwable cause) {
    if (outcome != null) attemptsHeader(response, outcome);
    pipelineHeaders(response, exchange);
    Routes.fail(response, format, cause);
    exchange.finished(outcome, cause);
  }

  static void attemptsHeader(HttpServerResponse response, Outcome outcome) {
    int attempts = outcome.route().attempts();
    if (attempts > 0) response.putHeader("x-sluice-attempts", Integer.toString(attempts));
  }

  /** The answer's headers: who answered, the attempts, the cache, Sluice's own time; then the steps' headers. */
  static void routeHeaders(HttpServerResponse response, Exchange exchange, Outcome outcome) {
    Deployment d = outcome.route().deployment();
    if (d != null) {
      response.putHeader(PROVIDER, d.providerId());
      response.putHeader(MODEL, d.upstreamModel());
    }
    attemptsHeader(response, outcome);
    String cache = outcome.cacheStatus();
    if (cache != null) response.putHeader(CACHE, cache);
    long elapsed = System.nanoTime() - exchange.startNanos();
    double overhead = Math.max(0, elapsed - outcome.route().upstreamNanos()) / 1_000_000.0;
    response.putHeader(OVERHEAD, decimal(Math.round(overhead * 100), 2));
    response.putHeader(SERVER_TIMING, serverTiming(elapsed / 1_000_000.0));
    pipelineHeaders(response, exchange);
  }

  /**
   * {@code Server-Timing: sluice;dur=<ms>}: the time from the request's arrival to its answer's headers (the
   * upstream included, the body's bytes on the wire not), in 0.1 µs resolution (a cache hit takes a few µs).
   */
  static String serverTiming(double millis) {
    return "sluice;dur=" + decimal(Math.round(millis * 10_000), 4);
  }

  /**
   * {@code units / 10^scale} as a plain decimal with at least one fraction digit and no trailing zeros ({@code
   * 0.0}, {@code 1.5}, {@code 0.0004}): what {@link Double#toString} writes from 0.001 to 10^7, without its
   * exponents and without going through a double.
   */
  static String decimal(long units, int scale) {
    long unit = 1;
    for (int i = 0; i < scale; i++) unit *= 10;
    StringBuilder out = new StringBuilder(24);
    if (units < 0) {
      out.append('-');
      units = -units;
    }
    out.append(units / unit).append('.');
    long fraction = units % unit;
    if (fraction == 0) return out.append('0').toString();
    for (long digit = unit / 10; digit > 0 && fraction > 0; digit /= 10) {
      out.append((char) ('0' + fraction / digit));
      fraction %= digit;
    }
    return out.toString();
  }

  /** Headers pipeline steps added (cost, rate-limit state), on answers and refusals alike. */
  static void pipelineHeaders(HttpServerResponse response, Exchange exchange) {
    if (response.headWritten()) return;
    exchange.responseHeaders().forEach(response::putHeader);
  }
}
