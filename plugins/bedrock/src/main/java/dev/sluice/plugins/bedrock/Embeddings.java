package dev.sluice.plugins.bedrock;

import dev.sluice.api.CallContext;
import dev.sluice.api.GatewayError;
import dev.sluice.api.model.EmbeddingRequest;
import dev.sluice.api.model.EmbeddingResponse;
import dev.sluice.api.model.Usage;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Embeddings through {@code POST /model/{id}/invoke}, whose body is the model family's own:
 * <ul>
 *   <li>Titan text ({@code amazon.titan-embed-*}): one text per call, {@code {"inputText","dimensions"}} →
 *       {@code {"embedding","inputTextTokenCount"}}; the calls run together and keep the input order.</li>
 *   <li>Cohere ({@code cohere.embed-*}): up to {@value #COHERE_BATCH} texts per call, {@code {"texts",
 *       "input_type":"search_document"}} → {@code {"embeddings"}}; tokens from Bedrock's
 *       {@code X-Amzn-Bedrock-Input-Token-Count} header.</li>
 * </ul>
 */
final class Embeddings {
  static final int COHERE_BATCH = 96;
  private static final String TOKEN_COUNT = "X-Amzn-Bedrock-Input-Token-Count";

  private final String provider;
  private final Upstream upstream;

  Embeddings(String provider, Upstream upstream) {
    this.provider = provider;
    this.upstream = upstream;
  }

  /** One batch's vectors and the input tokens it used. */
  private record Part(List<float[]> vectors, int tokens) {}

  Future<EmbeddingResponse> embed(EmbeddingRequest request, CallContext call) {
    String model = request.model();
    List<Future<Part>> parts = new ArrayList<>();
    if (model.contains("titan-embed")) {
      for (String text : request.input()) parts.add(titan(model, text, request.dimensions(), call));
    } else if (model.contains("cohere.embed")) {
      if (request.dimensions() != null) {
        return Future.failedFuture(GatewayError.badParam("dimensions", "Cohere embeddings on Bedrock have a fixed "
            + "size; leave 'dimensions' out"));
      }
      for (int i = 0; i < request.input().size(); i += COHERE_BATCH) {
        parts.add(cohere(model, request.input().subList(i, Math.min(request.input().size(), i + COHERE_BATCH)), call));
      }
    } else {
      return Future.failedFuture(GatewayError.badParam("model", "Bedrock embeddings support amazon.titan-embed-* "
          + "and cohere.embed-* models, not '" + model + "'"));
    }
    return Future.all(parts).map(all -> {
      List<float[]> vectors = new ArrayList<>(request.input().size());
      int tokens = 0;
      for (int i = 0; i < parts.size(); i++) {
        Part part = all.resultAt(i);
        vectors.addAll(part.vectors());
        tokens += part.tokens();
      }
      if (vectors.size() != request.input().size()) {
        throw GatewayError.protocol(provider + " (Bedrock) returned " + vectors.size() + " embeddings for "
            + request.input().size() + " inputs");
      }
      return new EmbeddingResponse(model, vectors, new Usage(tokens, 0, tokens, 0, 0, 0));
    });
  }

  private Future<Part> titan(String model, String text, Integer dimensions, CallContext call) {
    JsonObject body = new JsonObject().put("inputText", text);
    if (dimensions != null) body.put("dimensions", dimensions);
    return invoke(model, body, call).map(r -> {
      JsonObject json = r.json();
      Object tokens = json.getValue("inputTextTokenCount");
      int count = tokens instanceof Number n ? n.intValue() : r.headerTokens();
      return new Part(List.of(vector(json.getValue("embedding"), "embedding")), count);
    });
  }

  private Future<Part> cohere(String model, List<String> texts, CallContext call) {
    JsonObject body = new JsonObject().put("texts", new JsonArray(new ArrayList<>(texts)))
        .put("input_type", "search_document");
    return invoke(model, body, call).map(r -> {
      Object embeddings = r.json().getValue("embeddings");
      // {"embeddings": [[...]]}, or {"embeddings": {"float": [[...]]}} when embedding_types was asked for
      if (embeddings instanceof JsonObject byType) embeddings = byType.getValue("float");
      if (!(embeddings instanceof JsonArray rows)) throw ConverseResponses.malformed("embeddings", "expected an array");
      List<float[]> vectors = new ArrayList<>(rows.size());
      for (int i = 0; i < rows.size(); i++) vectors.add(vector(rows.getValue(i), "embeddings[" + i + "]"));
      return new Part(vectors, r.headerTokens());
    });
  }

  private record Invoked(JsonObject json, int headerTokens) {}

  private Future<Invoked> invoke(String model, JsonObject body, CallContext call) {
    return upstream.post(upstream.modelPath(model, "invoke"), body.toBuffer(), Upstream.JSON, call)
        .compose(exchange -> Upstream.body(exchange, call, provider).map(bytes -> {
          if (exchange.response().statusCode() != 200) throw BedrockErrors.fromHttp(provider, exchange, bytes);
          return new Invoked(parse(bytes), tokens(exchange.response().getHeader(TOKEN_COUNT)));
        }));
  }

  private JsonObject parse(Buffer bytes) {
    try {
      return new JsonObject(bytes);
    } catch (DecodeException | ClassCastException e) {
      throw GatewayError.protocol(provider + " (Bedrock) answered 200 with a body that is not a JSON object", e);
    }
  }

  private static int tokens(String header) {
    try {
      return header == null ? 0 : Math.max(0, Integer.parseInt(header.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static float[] vector(Object value, String path) {
    if (!(value instanceof JsonArray a)) throw ConverseResponses.malformed(path, "expected an array of numbers");
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(a.getValue(i) instanceof Number n)) throw ConverseResponses.malformed(path + "[" + i + "]", "expected a number");
      out[i] = n.floatValue();
    }
    return out;
  }
}
