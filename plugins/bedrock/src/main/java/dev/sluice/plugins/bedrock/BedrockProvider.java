package dev.sluice.plugins.bedrock;

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
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.UUID;

/**
 * One Bedrock account and region: {@code POST /model/{id}/converse} for chat, {@code /converse-stream} for
 * streams (binary event stream), {@code /invoke} for embeddings. The request's model is the Bedrock model id
 * or inference profile id ({@code us.anthropic.claude-3-5-sonnet-20241022-v2:0}) or ARN.
 */
final class BedrockProvider implements Provider, Embedder {
  private final String name;
  private final Vertx vertx;
  private final Upstream upstream;
  private final Embeddings embeddings;

  BedrockProvider(String name, BedrockSettings settings, Vertx vertx) {
    this(name, settings, vertx, Clock.systemUTC());
  }

  BedrockProvider(String name, BedrockSettings settings, Vertx vertx, Clock clock) {
    this.name = name;
    this.vertx = vertx;
    this.upstream = new Upstream(vertx, settings, clock);
    this.embeddings = new Embeddings(name, upstream);
  }

  @Override
  public Future<ChatResponse> chat(ChatRequest request, CallContext call) {
    Buffer body;
    try {
      body = ConverseRequests.encode(request).toBuffer();
    } catch (GatewayError e) {
      return Future.failedFuture(e);
    }
    boolean jsonMode = ConverseRequests.jsonMode(request);
    return upstream.post(upstream.modelPath(request.model(), "converse"), body, Upstream.JSON, call)
        .compose(exchange -> Upstream.body(exchange, call, name).map(bytes -> {
          if (exchange.response().statusCode() != 200) throw BedrockErrors.fromHttp(name, exchange, bytes);
          return ConverseResponses.decode(json(bytes), responseId(exchange), now(), request.model(), jsonMode);
        }));
  }

  @Override
  public Future<ChatStream> stream(ChatRequest request, CallContext call) {
    Buffer body;
    try {
      body = ConverseRequests.encode(request).toBuffer();
    } catch (GatewayError e) {
      return Future.failedFuture(e);
    }
    boolean jsonMode = ConverseRequests.jsonMode(request);
    return upstream.post(upstream.modelPath(request.model(), "converse-stream"), body, Upstream.EVENT_STREAM, call)
        .compose(exchange -> {
          if (exchange.response().statusCode() != 200) {
            return Upstream.body(exchange, call, name).compose(bytes ->
                Future.failedFuture(BedrockErrors.fromHttp(name, exchange, bytes)));
          }
          ConverseStreamDecoder decoder = new ConverseStreamDecoder(name, responseId(exchange), now(),
              request.model(), request.includeUsage(), jsonMode);
          // The reset runs on the next turn of the loop: DecodingChatStream aborts before it reports a decoding
          // failure, and a reset's own "stream reset" error must not overtake the real one.
          Context context = vertx.getOrCreateContext();
          Runnable abort = () -> context.runOnContext(v -> exchange.request().reset());
          return Future.succeededFuture(ChatStreams.decode(exchange.response(), decoder, abort));
        });
  }

  @Override
  public Future<EmbeddingResponse> embed(EmbeddingRequest request, CallContext call) {
    return embeddings.embed(request, call);
  }

  @Override
  public Future<Void> close() {
    return upstream.close();
  }

  private JsonObject json(Buffer bytes) {
    try {
      return new JsonObject(bytes);
    } catch (DecodeException | ClassCastException e) {
      String start = bytes.length() > 200 ? bytes.getString(0, 200) + "..." : bytes.toString();
      throw GatewayError.protocol(name + " (Bedrock) answered 200 with a body that is not a JSON object: " + start, e);
    }
  }

  private static String responseId(Upstream.Exchange exchange) {
    String requestId = exchange.response().getHeader("x-amzn-RequestId");
    return "bedrock-" + (requestId == null || requestId.isBlank() ? UUID.randomUUID() : requestId);
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }
}
