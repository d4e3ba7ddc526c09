package dev.sluice.gateway.cache;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * all-MiniLM-L6-v2 (quantized, 384 dimensions) in this process, on the worker pool. The model loads on first
 * use, on a worker thread too, so a gateway that never looks up semantically never pays for it.
 */
final class LocalEmbedder implements TextEmbedder {
  private final Vertx vertx;
  private final Supplier<EmbeddingModel> factory;
  private volatile EmbeddingModel model;

  LocalEmbedder(Vertx vertx, Supplier<EmbeddingModel> factory) {
    this.vertx = vertx;
    this.factory = factory;
  }

  private static final java.util.Map<Vertx, LocalEmbedder> SHARED =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  /** The one quantized MiniLM of {@code vertx}: the semantic cache and difficulty estimators share it. */
  static LocalEmbedder quantizedMiniLm(Vertx vertx) {
    return SHARED.computeIfAbsent(vertx, v -> new LocalEmbedder(v, AllMiniLmL6V2QuantizedEmbeddingModel::new));
  }

  private EmbeddingModel model() {
    EmbeddingModel m = model;
    if (m == null) {
      synchronized (this) {
        if (model == null) model = factory.get();
        m = model;
      }
    }
    return m;
  }

  /** Blocking: for worker threads and benchmarks. */
  float[] embedNow(String text) {
    return TextEmbedder.normalize(model().embed(text).content().vector());
  }

  @Override
  public Future<float[]> embed(String text) {
    return vertx.executeBlocking(() -> embedNow(text), false);
  }
}
