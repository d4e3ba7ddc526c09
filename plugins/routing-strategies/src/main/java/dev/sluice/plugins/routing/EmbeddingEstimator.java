package dev.sluice.plugins.routing;

import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.routing.DifficultyEstimator;
import dev.sluice.api.routing.EstimatorContext;
import io.vertx.core.Future;
import org.pf4j.Extension;

/**
 * {@code embeddings}: a logistic regression over the in-process MiniLM embedding of the last user turn (384
 * dimensions, computed on the worker pool by the runtime), plus {@link Prompts#contextPrior}. Weights in
 * {@code difficulty/embeddings.json}, trained by {@code bench/routing}; the embedding costs a few milliseconds
 * of worker time per request.
 */
@Extension
public final class EmbeddingEstimator implements DifficultyEstimator {
  private static final class Model {
    static final LogisticModel INSTANCE = LogisticModel.resource("embeddings");
  }

  @Override
  public String id() {
    return "embeddings";
  }

  @Override
  public Future<Double> difficulty(ChatRequest request, EstimatorContext context) {
    String text = Prompts.lastUser(request);
    if (text.length() > Prompts.EMBED_CHARS) text = text.substring(0, Prompts.EMBED_CHARS);
    double prior = Prompts.contextPrior(request);
    return context.embed(text).map(v -> {
      LogisticModel m = Model.INSTANCE;
      return m.percentile(m.score(toDoubles(v)) + prior);
    });
  }

  static double[] toDoubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) d[i] = v[i];
    return d;
  }
}
