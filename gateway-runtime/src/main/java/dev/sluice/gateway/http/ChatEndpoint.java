package dev.sluice.gateway.http;

import dev.sluice.api.ChatStream;
import dev.sluice.api.GatewayError;
import dev.sluice.api.IngressFormat;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.gateway.pipeline.CacheDirectives;
import dev.sluice.gateway.pipeline.Exchange;
import dev.sluice.gateway.pipeline.Pipeline;
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
    RequestMemo.Decoded decoded = memo.decode(format, body, req.headers(), pipeline.cache().exactEnabled(),
        Routes::parse);
    ChatRequest request = decoded.request();
    exchange.knownRequest(decoded.known());
    exchange.trail().requested("chat", request.model(), request.stream(), request);
    if (pipeline.cache().enabled()) {
      exchange.cacheDirectives(CacheDirectives.parse(req.getHeader(HttpHeaders.CACHE_CONTROL),
          req.getHeader(CacheDirectives.THRESHOLD_HEADER)));
    }
    HttpServerResponse response = req.response();
    // Until a stream's relay takes over, a client that goes away cancels the attempts (and the retries).
    response.closeHandler(v -> exchange.call().cancel(GatewayError.cancelled("The client closed the connection.")));
    if (request.stream()) {
      pipeline.stream(request, exchange).onComplete(ar -> startStream(ar, response, request, format, exchange));
    } else {
      pipeline.chat(request, exchange).onComplete(ar -> complete(ar, response, request, format, exchange));
    }
  }

  private static void complete(AsyncResult<ChatResponse> ar, HttpServerResponse response, ChatRequest request,
                               IngressFormat format, Exchange exchange) {
    if (ar.failed()) {
      fail(response, format, exchange, ar.cause());
      return;
    }
    Buffer cached = format == OpenAiFormat.INSTANCE ? exchange.cachedOpenAiBody(ar.result()) : null;
    // The kept bytes are shared by every hit on the entry, on every event loop, and written as they are: a
    // response writes a slice of a buffer (its own indexes) that the socket's release cannot free.
    Buffer body = cached != null ? cached : format.encodeResponse(ar.result(), request);
    routeHeaders(response, exchange);
    Replies.json(response, 200, body);
    observed(exchange, ar.result());
    exchange.finished(null);
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

  private static void startStream(AsyncResult<ChatStream> ar, HttpServerResponse response, ChatRequest request,
                                  IngressFormat format, Exchange exchange) {
    if (ar.failed()) {
      fail(response, format, exchange, ar.cause());
      return;
    }
    ChatStream stream = ar.result();
    if (response.closed()) {
      stream.cancel();
      exchange.finished(GatewayError.cancelled("The client closed the connection."));
      return;
    }
    routeHeaders(response, exchange);
    response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, EVENT_STREAM)
        .putHeader(HttpHeaders.CACHE_CONTROL, NO_CACHE).putHeader("x-accel-buffering", "no");
    StreamRelay.start(response, stream, format.streamEncoder(request), request.includeUsage(), exchange);
  }

  /** A refusal or failure: the attempts made and the pipeline's headers (rate-limit state), then the error. */
  static void fail(HttpServerResponse response, IngressFormat format, Exchange exchange, Throwable cause) {
    attemptsHeader(response, exchange);
    pipelineHeaders(response, exchange);
    Routes.fail(response, format, cause);
    exchange.finished(cause);
  }

  static void attemptsHeader(HttpServerResponse response, Exchange exchange) {
    if (exchange.attempts() > 0) response.putHeader("x-sluice-attempts", Integer.toString(exchange.attempts()));
  }

  static void routeHeaders(HttpServerResponse response, Exchange exchange) {
    if (exchange.deployment() != null) {
      response.putHeader(PROVIDER, exchange.deployment().providerId());
      response.putHeader(MODEL, exchange.deployment().upstreamModel());
    }
    attemptsHeader(response, exchange);
    if (exchange.cacheStatus() != null) response.putHeader(CACHE, exchange.cacheStatus());
    response.putHeader(OVERHEAD, decimal(Math.round(exchange.overheadMillis() * 100), 2));
    response.putHeader(SERVER_TIMING, serverTiming(exchange.elapsedMillis()));
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
