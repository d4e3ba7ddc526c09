package dev.sluice.gateway.http;

import dev.sluice.api.model.EmbeddingRequest;
import dev.sluice.gateway.pipeline.Exchange;
import dev.sluice.gateway.pipeline.Pipeline;
import dev.sluice.wire.openai.OpenAiRequests;
import dev.sluice.wire.openai.OpenAiResponses;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/** {@code POST /v1/embeddings}, OpenAI's format; vectors as floats or base64, as the client asks. */
final class EmbeddingsEndpoint {
  private final Pipeline pipeline;

  EmbeddingsEndpoint(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  void handle(HttpServerRequest req, JsonObject body, Exchange exchange) {
    EmbeddingRequest request = OpenAiRequests.decodeEmbeddings(body);
    boolean base64 = OpenAiRequests.wantsBase64(body);
    exchange.trail().requested("embeddings", request.model(), false, null);
    pipeline.embed(request, exchange).onComplete(ar -> {
      if (ar.failed() || ar.result().failed()) {
        ChatEndpoint.failed(ar, req.response(), OpenAiFormat.INSTANCE, exchange);
        return;
      }
      var a = ar.result();
      var out = OpenAiResponses.encode(a.value().withModel(request.model()), base64);
      ChatEndpoint.routeHeaders(req.response(), exchange, a.outcome());
      Replies.json(req.response(), 200, out);
      exchange.trail().reported(a.value().usage());
      exchange.finished(a.outcome(), null);
    });
  }
}
