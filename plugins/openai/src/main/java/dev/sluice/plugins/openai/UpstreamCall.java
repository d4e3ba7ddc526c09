package dev.sluice.plugins.openai;

import dev.sluice.api.CallContext;
import dev.sluice.api.GatewayError;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;

/**
 * One request to the upstream, tied to its call's cancellation. Until the answer is handed over, cancelling
 * fails {@link #response()} with the cancellation reason at once and resets the request (which closes an
 * HTTP/1.1 connection, so the upstream stops working on it). After {@link #handOver}, cancelling runs the new
 * owner's stop action instead; after {@link #finished()}, it does nothing.
 */
final class UpstreamCall {
  private final CallContext call;
  private final Promise<HttpClientResponse> response = Promise.promise();
  private volatile HttpClientRequest request;
  private volatile Runnable owner;
  private volatile boolean finished;

  private UpstreamCall(CallContext call) {
    this.call = call;
  }

  static UpstreamCall send(HttpClient client, RequestOptions options, MultiMap headers, Buffer body,
                           CallContext call, String upstream, Endpoint endpoint) {
    UpstreamCall exchange = new UpstreamCall(call);
    call.onCancel(exchange::cancel);
    if (call.isCancelled()) return exchange;
    client.request(options).onComplete(ar -> {
      if (ar.failed()) {
        exchange.response.tryFail(unreachable(upstream, endpoint.describe(options), ar.cause()));
        return;
      }
      HttpClientRequest req = ar.result();
      req.headers().addAll(headers);
      exchange.request = req;
      if (call.isCancelled()) {
        req.reset(0, call.cancellation());
        return;
      }
      req.send(body).onComplete(sent -> {
        if (sent.succeeded()) {
          exchange.response.tryComplete(sent.result());
        } else {
          exchange.response.tryFail(call.isCancelled() ? call.cancellation()
              : unreachable(upstream, endpoint.describe(options), sent.cause()));
        }
      });
    });
    return exchange;
  }

  /** The upstream's status and headers; fails with a {@link GatewayError}. */
  Future<HttpClientResponse> response() {
    return response.future();
  }

  /** The answer was read whole: a later cancellation has nothing to stop. */
  void finished() {
    finished = true;
  }

  /** From now on, cancelling runs {@code stop} (which aborts the request itself). */
  void handOver(Runnable stop) {
    owner = stop;
    if (call.isCancelled()) stop.run();
  }

  private void cancel(GatewayError reason) {
    if (finished) return;
    Runnable stop = owner;
    if (stop != null) {
      stop.run();
      return;
    }
    response.tryFail(reason);
    HttpClientRequest req = request;
    if (req != null) req.reset(0, reason);
  }

  static GatewayError unreachable(String upstream, String url, Throwable cause) {
    String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return GatewayError.unavailable(upstream + " could not be reached at " + url + ": " + why, cause);
  }
}
