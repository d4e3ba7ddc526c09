package dev.sluice.plugins.anthropic;

import dev.sluice.api.CallContext;
import dev.sluice.api.ChatStream;
import dev.sluice.api.Durations;
import dev.sluice.api.GatewayError;
import dev.sluice.api.Provider;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.wire.JsonFields;
import dev.sluice.kit.ChatStreams;
import dev.sluice.kit.UpstreamClients;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.function.BiFunction;

/** One {@code type: anthropic} provider: canonical requests to {@code POST /v1/messages} and back. */
final class AnthropicProvider implements Provider {
  /** Anthropic's answers that break its own protocol. */
  static final JsonFields.Blame UPSTREAM = JsonFields.upstream("Anthropic");
  private final String id;
  private final AnthropicSettings settings;
  private final RequestMapper mapper;
  private final UpstreamClients clients;
  private final MultiMap headers;
  private final Vertx vertx;

  AnthropicProvider(String id, AnthropicSettings settings, Vertx vertx) {
    this.id = id;
    this.vertx = vertx;
    this.settings = settings;
    this.mapper = new RequestMapper(settings);
    this.clients = UpstreamClients.create(vertx, new HttpClientOptions()
            .setConnectTimeout((int) settings.connectTimeout().toMillis())
            .setDecompressionSupported(true),
        new PoolOptions().setHttp1MaxSize(settings.maxConnections()));
    this.headers = MultiMap.caseInsensitiveMultiMap();
    settings.headers().forEach(headers::set);
    headers.set("x-api-key", settings.apiKey());
    headers.set("anthropic-version", settings.anthropicVersion());
    if (!settings.betas().isEmpty()) headers.set("anthropic-beta", String.join(",", settings.betas()));
    headers.set("content-type", "application/json");
  }

  @Override
  public Future<ChatResponse> chat(ChatRequest request, CallContext call) {
    WireRequest wire;
    try {
      wire = mapper.map(request, false);
    } catch (GatewayError e) {
      return Future.failedFuture(e);
    }
    return send(wire, "application/json", call, (req, response) -> response.body().map(body -> {
      if (response.statusCode() / 100 != 2) throw error(response, body);
      return ResponseMapper.map(body, wire.jsonTool());
    }));
  }

  @Override
  public Future<ChatStream> stream(ChatRequest request, CallContext call) {
    WireRequest wire;
    try {
      wire = mapper.map(request, true);
    } catch (GatewayError e) {
      return Future.failedFuture(e);
    }
    return send(wire, "text/event-stream", call, (req, response) -> {
      if (response.statusCode() / 100 != 2) {
        return response.body().map(body -> {
          throw error(response, body);
        });
      }
      StreamDecoder decoder = new StreamDecoder(id, wire.jsonTool(), wire.includeUsage());
      // The reset waits a tick: on a decoding failure the stream reports the decoder's error first, not the
      // "connection reset" the reset itself would raise.
      return Future.succeededFuture(ChatStreams.decode(response, decoder,
          () -> vertx.runOnContext(v -> req.reset())));
    });
  }

  /**
   * Sends one request and hands the response to {@code read}. Until {@code read}'s result exists a
   * cancellation resets the request and fails the call with its reason; afterwards it cancels the stream.
   */
  private <T> Future<T> send(WireRequest wire, String accept, CallContext call,
                             BiFunction<HttpClientRequest, HttpClientResponse, Future<T>> read) {
    if (call.isCancelled()) return Future.failedFuture(call.cancellation());
    Promise<T> promise = Promise.promise();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
        .setAbsoluteURI(settings.baseUrl() + "/v1/messages").setHeaders(MultiMap.caseInsensitiveMultiMap()
            .addAll(headers).set("accept", accept));
    Buffer body = wire.body().toBuffer();
    clients.current().request(options).onComplete(ar -> {
      if (ar.failed()) {
        promise.tryFail(connectionError(ar.cause()));
        return;
      }
      HttpClientRequest req = ar.result();
      call.onCancel(reason -> {
        if (!promise.tryFail(reason)) {
          T done = promise.future().result();
          if (done instanceof ChatStream stream) stream.cancel();
        } else {
          req.reset(0, reason);
        }
      });
      req.send(body).compose(response -> read.apply(req, response))
          .onSuccess(value -> {
            if (!promise.tryComplete(value) && value instanceof ChatStream stream) stream.cancel();
          })
          .onFailure(t -> {
            if (promise.tryFail(t instanceof GatewayError ? t : connectionError(t))) req.reset();
          });
    });
    return promise.future();
  }

  private GatewayError error(HttpClientResponse response, Buffer body) {
    return Errors.fromStatus(response.statusCode(), body, id,
        Durations.retryAfter(response.getHeader("retry-after-ms"), response.getHeader("retry-after")));
  }

  private GatewayError connectionError(Throwable t) {
    if (t instanceof GatewayError e) return e;
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return GatewayError.unavailable(id + " (Anthropic) could not be reached at " + settings.baseUrl() + ": "
        + message, t);
  }

  @Override
  public Future<Void> close() {
    return clients.close();
  }

  @Override
  public String toString() {
    return "AnthropicProvider{" + id + ", " + settings + "}";
  }
}
