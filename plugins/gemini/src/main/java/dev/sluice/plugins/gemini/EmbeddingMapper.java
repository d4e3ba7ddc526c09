package dev.sluice.plugins.gemini;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.EmbeddingRequest;
import dev.sluice.api.model.EmbeddingResponse;
import dev.sluice.api.model.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Embeddings on both backends. Google AI: {@code models/{m}:batchEmbedContents} with one request per input,
 * answering {@code embeddings[].values} (no token counts). Vertex AI: {@code :predict} with one instance per
 * input, answering {@code predictions[].embeddings.values} with {@code statistics.token_count}.
 */
final class EmbeddingMapper {
  private EmbeddingMapper() {}

  static String method(Endpoint endpoint) {
    return endpoint.isVertex() ? "predict" : "batchEmbedContents";
  }

  static JsonObject request(EmbeddingRequest request, Endpoint endpoint) {
    if (request.dimensions() != null && request.dimensions() < 1) {
      throw GatewayError.badParam("dimensions", "dimensions must be at least 1, got " + request.dimensions());
    }
    if (endpoint.isVertex()) {
      JsonArray instances = new JsonArray();
      for (String text : request.input()) instances.add(new JsonObject().put("content", text));
      JsonObject body = new JsonObject().put("instances", instances);
      if (request.dimensions() != null) {
        body.put("parameters", new JsonObject().put("outputDimensionality", request.dimensions()));
      }
      return body;
    }
    String model = Endpoint.resourceName(request.model());
    JsonArray requests = new JsonArray();
    for (String text : request.input()) {
      JsonObject one = new JsonObject().put("model", model)
          .put("content", new JsonObject().put("parts", new JsonArray().add(new JsonObject().put("text", text))));
      if (request.dimensions() != null) one.put("outputDimensionality", request.dimensions());
      requests.add(one);
    }
    return new JsonObject().put("requests", requests);
  }

  static EmbeddingResponse response(JsonObject body, EmbeddingRequest request, Endpoint endpoint, String upstream) {
    String listKey = endpoint.isVertex() ? "predictions" : "embeddings";
    JsonArray list = Wire.array(body, listKey, "");
    if (list == null || list.size() != request.input().size()) {
      throw GatewayError.protocol(upstream + " (Gemini) answered " + (list == null ? "no" : list.size())
          + " embeddings for " + request.input().size() + " inputs");
    }
    List<float[]> vectors = new ArrayList<>(list.size());
    int tokens = 0;
    for (int i = 0; i < list.size(); i++) {
      String path = listKey + "[" + i + "]";
      JsonObject item = Wire.objectAt(list, i, listKey);
      JsonObject embedding = endpoint.isVertex() ? Wire.object(item, "embeddings", path) : item;
      if (embedding == null) throw Wire.malformed(path + ".embeddings", "an object", null);
      if (endpoint.isVertex()) {
        JsonObject stats = Wire.object(embedding, "statistics", path + ".embeddings");
        if (stats != null) tokens += Wire.count(stats, "token_count", path + ".embeddings.statistics");
      }
      vectors.add(values(Wire.array(embedding, "values", path), path + ".values"));
    }
    Usage usage = endpoint.isVertex() ? new Usage(tokens, 0, tokens, 0, 0, 0) : null;
    return new EmbeddingResponse(request.model(), vectors, usage);
  }

  private static float[] values(JsonArray values, String path) {
    if (values == null) throw Wire.malformed(path, "an array of numbers", null);
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(values.getValue(i) instanceof Number n)) throw Wire.malformed(path + "[" + i + "]", "a number", values.getValue(i));
      out[i] = n.floatValue();
    }
    return out;
  }
}
