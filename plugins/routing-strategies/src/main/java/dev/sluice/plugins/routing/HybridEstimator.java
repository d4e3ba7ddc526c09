package dev.sluice.plugins.routing;

import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.routing.DifficultyEstimator;
import dev.sluice.api.routing.EstimatorContext;
import io.vertx.core.Future;
import org.pf4j.Extension;

/**
 * {@code hybrid}: one logistic regression over both the {@link TextFeatures} and the MiniLM embedding of the
 * last user turn, plus {@link Prompts#contextPrior}. Weights in {@code difficulty/hybrid.json}, trained by
 * {@code bench/routing}.
 */
@Extension
public final class HybridEstimator implements DifficultyEstimator {
  private static final class Model {
    static final LogisticModel INSTANCE = LogisticModel.resource("hybrid");
  }

  @Override
  public String id() {
    return "hybrid";
  }

  @Override
  public Future<Double> difficulty(ChatRequest request, EstimatorContext context) {
    String text = Prompts.lastUser(request);
    double prior = Prompts.contextPrior(request);
    String embedded = text.length() > Prompts.EMBED_CHARS ? text.substring(0, Prompts.EMBED_CHARS) : text;
    return Prompts.features(text, context).compose(features -> context.embed(embedded).map(v -> {
      LogisticModel m = Model.INSTANCE;
      return m.percentile(m.score(inputs(features, EmbeddingEstimator.toDoubles(v))) + prior);
    }));
  }

  /** The model's inputs: the text features, then the embedding. */
  static double[] inputs(double[] features, double[] embedding) {
    double[] x = new double[features.length + embedding.length];
    System.arraycopy(features, 0, x, 0, features.length);
    System.arraycopy(embedding, 0, x, features.length, embedding.length);
    return x;
  }
}
