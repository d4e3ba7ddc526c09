package dev.sluice.plugins.openai;

import dev.sluice.api.CallContext;
import dev.sluice.api.ChatStream;
import dev.sluice.api.Durations;
import dev.sluice.api.Embedder;
import dev.sluice.api.GatewayError;
import dev.sluice.api.Provider;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.EmbeddingRequest;
import dev.sluice.api.model.EmbeddingResponse;
import dev.sluice.kit.ChatStreams;
import dev.sluice.kit.UpstreamClients;
import dev.sluice.wire.openai.OpenAiErrors;
import dev.sluice.wire.openai.OpenAiRequests;
import dev.sluice.wire.openai.OpenAiResponses;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * An OpenAI-compatible upstream (or an Azure OpenAI resource) over pooled Vert.x HTTP clients, one per event loop. The canonical
 * request is encoded once into the body; answers are decoded by the plugin API's OpenAI codec.
 */
final class OpenAiProvider implements Provider, Embedder {
  /** HTTP/2 multiplexes about this many streams on one connection (servers commonly allow 100). */
  private static final int STREAMS_PER_HTTP2_CONNECTION = 100;

  private final OpenAiSettings settings;
  private final Endpoint endpoint;
  private final UpstreamClients clients;
  private final String name;

  private OpenAiProvider(OpenAiSettings settings, Endpoint endpoint, UpstreamClients clients) {
    this.settings = settings;
    this.endpoint = endpoint;
    this.clients = clients;
    this.name = settings.displayName();
  }

  static OpenAiProvider create(Vertx vertx, OpenAiSettings s) {
    HttpClientOptions options = new HttpClientOptions().setName("sluice-" + s.id()).setKeepAlive(true)
        .setTcpNoDelay(true).setConnectTimeout((int) s.connectTimeout().toMillis());
    if (s.http2()) {
      options.setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true).setHttp2ClearTextUpgrade(false);
    }
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(s.maxConnections())
        .setHttp2MaxSize(Math.max(1, (s.maxConnections() + STREAMS_PER_HTTP2_CONNECTION - 1)
            / STREAMS_PER_HTTP2_CONNECTION));
    return new OpenAiProvider(s, new Endpoint(s), UpstreamClients.create(vertx, options, pool));
  }

  @Override
  public Future<ChatResponse> chat(ChatRequest request, CallContext call) {
    ChatRequest r = request.stream() ? request.withStream(false, false) : request;
    Buffer body = OpenAiRequests.encodeChat(r, settings.maxTokensField()).toBuffer();
    RequestOptions options = endpoint.chat(r.model());
    UpstreamCall exchange = UpstreamCall.send(clients.current(), options, endpoint.headers(false), body, call, name, endpoint);
    return exchange.response().compose(resp -> readJson(exchange, resp, call))
        .compose(json -> decode(json, OpenAiResponses::decode));
  }

  @Override
  public Future<ChatStream> stream(ChatRequest request, CallContext call) {
    ChatRequest r = request.stream() ? request : request.withStream(true, request.includeUsage());
    Buffer body = OpenAiRequests.encodeChat(r, settings.maxTokensField()).toBuffer();
    RequestOptions options = endpoint.chat(r.model());
    UpstreamCall exchange = UpstreamCall.send(clients.current(), options, endpoint.headers(true), body, call, name, endpoint);
    return exchange.response().compose(resp -> {
      if (resp.statusCode() / 100 != 2) return readJson(exchange, resp, call).map(ignored -> null);
      Context context = Vertx.currentContext();
      ChatStream stream = ChatStreams.decode(resp, new OpenAiChunkDecoder(name), () -> resp.request().reset());
      exchange.handOver(() -> context.runOnContext(v -> stream.cancel()));
      return Future.succeededFuture(stream);
    });
  }

  @Override
  public Future<EmbeddingResponse> embed(EmbeddingRequest request, CallContext call) {
    Buffer body = OpenAiRequests.encodeEmbeddings(request).toBuffer();
    RequestOptions options = endpoint.embeddings(request.model());
    UpstreamCall exchange = UpstreamCall.send(clients.current(), options, endpoint.headers(false), body, call, name, endpoint);
    return exchange.response().compose(resp -> readJson(exchange, resp, call))
        .compose(json -> decode(json, OpenAiResponses::decodeEmbeddings));
  }

  @Override
  public Future<Void> close() {
    return clients.close();
  }

  /** The whole body as JSON when the status is 2xx; otherwise the error the status and body mean. */
  private Future<JsonObject> readJson(UpstreamCall exchange, HttpClientResponse resp, CallContext call) {
    return resp.body().transform(ar -> {
      exchange.finished();
      if (call.isCancelled()) return Future.failedFuture(call.cancellation());
      if (ar.failed()) {
        Throwable t = ar.cause();
        return Future.failedFuture(GatewayError.protocol(name + " broke off its answer: "
            + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage()), t));
      }
      Buffer bytes = ar.result();
      if (resp.statusCode() / 100 != 2) {
        return Future.failedFuture(OpenAiErrors.decode(resp.statusCode(), bytes, name,
            Durations.retryAfter(resp.getHeader("retry-after-ms"), resp.getHeader("retry-after"))));
      }
      try {
        return Future.succeededFuture(bytes.toJsonObject());
      } catch (RuntimeException e) {
        String text = bytes.toString();
        return Future.failedFuture(GatewayError.protocol(name + " answered " + resp.statusCode()
            + " with a body that is not a JSON object: " + (text.length() > 200 ? text.substring(0, 200) + "..." : text), e));
      }
    });
  }

  private <T> Future<T> decode(JsonObject json, Function<JsonObject, T> decoder) {
    try {
      return Future.succeededFuture(decoder.apply(json));
    } catch (GatewayError e) {
      return Future.failedFuture(e);
    } catch (RuntimeException e) {
      return Future.failedFuture(GatewayError.protocol(name + " answered something Sluice could not read: "
          + e.getMessage(), e));
    }
  }
}
