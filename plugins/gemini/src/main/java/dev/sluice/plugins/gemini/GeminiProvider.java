package dev.sluice.plugins.gemini;

import dev.sluice.api.CallContext;
import dev.sluice.api.ChatStream;
import dev.sluice.api.Embedder;
import dev.sluice.api.GatewayError;
import dev.sluice.api.Provider;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.EmbeddingRequest;
import dev.sluice.api.model.EmbeddingResponse;
import dev.sluice.kit.ChatStreams;
import dev.sluice.kit.UpstreamClients;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import java.util.function.Supplier;

/** One Gemini deployment (Google AI or Vertex AI): chat, streamed chat and embeddings over HTTP. */
final class GeminiProvider implements Provider, Embedder {
  private final String name;
  private final Endpoint endpoint;
  private final HttpSettings http;
  private final UpstreamClients clients;
  private final Vertx vertx;

  GeminiProvider(String name, Endpoint endpoint, HttpSettings http, Vertx vertx) {
    this.name = name;
    this.endpoint = endpoint;
    this.http = http;
    this.vertx = vertx;
    this.clients = UpstreamClients.create(vertx,
        new HttpClientOptions().setConnectTimeout((int) http.connectTimeout().toMillis()).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(http.maxConnections()));
  }

  @Override
  public Future<ChatResponse> chat(ChatRequest request, CallContext call) {
    return onContext(() -> exchange(request.model(), "generateContent", () -> RequestMapper.map(request), call,
        body -> ResponseMapper.map(Wire.parse(body, "a response"), request.model(), name)));
  }

  @Override
  public Future<ChatStream> stream(ChatRequest request, CallContext call) {
    return onContext(() -> startStream(request, call));
  }

  private Future<ChatStream> startStream(ChatRequest request, CallContext call) {
    JsonObject body;
    String url;
    try {
      body = RequestMapper.map(request);
      url = endpoint.url(request.model(), "streamGenerateContent") + "?alt=sse";
    } catch (GatewayError e) {
      return Future.failedFuture(e);
    }
    return send(url, body, call).compose(exchange -> {
      HttpClientResponse response = exchange.response();
      if (response.statusCode() != 200) return failure(response, call);
      StreamDecoder decoder = new StreamDecoder(name, request.model(), request.includeUsage());
      // The reset runs on the next turn: reset synchronously, the broken connection would be reported before
      // (and instead of) the error that made the decoder abort.
      Context context = Vertx.currentContext();
      Runnable abort = () -> context.runOnContext(v -> exchange.request().reset());
      return Future.succeededFuture(ChatStreams.decode(response, decoder, abort));
    });
  }

  @Override
  public Future<EmbeddingResponse> embed(EmbeddingRequest request, CallContext call) {
    return onContext(() -> exchange(request.model(), EmbeddingMapper.method(endpoint),
        () -> EmbeddingMapper.request(request, endpoint), call,
        body -> EmbeddingMapper.response(Wire.parse(body, "an embeddings response"), request, endpoint, name)));
  }

  /**
   * Runs {@code action} on a Vert.x context, so the HTTP client calls back on that context and the response is
   * read in the turn it arrives. The runtime calls from an event loop already; a caller on a plain thread
   * (a test, a tool) gets a context of its own.
   */
  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    if (Vertx.currentContext() != null) return action.get();
    Promise<T> result = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> action.get().onComplete(result));
    return result.future();
  }

  @Override
  public Future<Void> close() {
    return clients.close();
  }

  /** A request whose whole answer is read, then mapped by {@code decode} (which may throw a GatewayError). */
  private <T> Future<T> exchange(String model, String method, Supplier<JsonObject> body,
                                 CallContext call, Function<Buffer, T> decode) {
    JsonObject json;
    String url;
    try {
      json = body.get();
      url = endpoint.url(model, method);
    } catch (GatewayError e) {
      return Future.failedFuture(e);
    }
    return send(url, json, call).compose(exchange -> {
      HttpClientResponse response = exchange.response();
      if (response.statusCode() != 200) return failure(response, call);
      return response.body().recover(t -> Future.failedFuture(failed(t, call))).compose(bytes -> {
        try {
          return Future.succeededFuture(decode.apply(bytes));
        } catch (GatewayError e) {
          return Future.failedFuture(e);
        }
      });
    });
  }

  private record Exchange(HttpClientRequest request, HttpClientResponse response) {}

  /** Sends {@code body}; a cancelled call resets the request, and fails the future with the cancellation. */
  private Future<Exchange> send(String url, JsonObject body, CallContext call) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
        .putHeader("content-type", "application/json").putHeader("accept", "application/json, text/event-stream");
    http.headers().forEach(options::putHeader);
    endpoint.authHeaders().forEach(options::putHeader);
    return clients.current().request(options)
        .compose(req -> {
          call.onCancel(reason -> req.reset(0, reason));
          return req.send(body.toBuffer()).map(response -> new Exchange(req, response));
        })
        .recover(t -> Future.failedFuture(failed(t, call)));
  }

  private <T> Future<T> failure(HttpClientResponse response, CallContext call) {
    int status = response.statusCode();
    String retryAfter = response.getHeader("retry-after");
    return response.body()
        .recover(t -> Future.failedFuture(failed(t, call)))
        .compose(bytes -> Future.failedFuture(Errors.fromResponse(status, bytes, name, retryAfter)));
  }

  /** A transport failure: the cancellation when the call was cancelled, else an unavailable upstream. */
  private GatewayError failed(Throwable t, CallContext call) {
    GatewayError cancelled = call.cancellation();
    if (cancelled != null) return cancelled;
    if (t instanceof GatewayError e) return e;
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return GatewayError.unavailable(name + " (Gemini) could not be reached: " + message, t);
  }

  @Override
  public String toString() {
    return "GeminiProvider{" + name + ", " + endpoint + "}";
  }
}
