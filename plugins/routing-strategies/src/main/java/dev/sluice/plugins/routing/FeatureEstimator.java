package dev.sluice.plugins.routing;

import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.routing.DifficultyEstimator;
import dev.sluice.api.routing.EstimatorContext;
import io.vertx.core.Future;
import org.pf4j.Extension;

/**
 * {@code features}: a logistic regression over {@link TextFeatures} of the last user turn (length, numbers and
 * math, code, multi-step and reasoning cues, multiple choice, ...), plus the hand-set {@link Prompts#contextPrior}
 * for tools, conversation depth and system prompt; microseconds on the calling thread
 * (on the worker pool for a turn over {@link Prompts#INLINE_FEATURE_CHARS} characters). Weights in
 * {@code difficulty/features.json}, trained by {@code bench/routing}.
 */
@Extension
public final class FeatureEstimator implements DifficultyEstimator {
  private static final class Model {
    static final LogisticModel INSTANCE = LogisticModel.resource("features");
  }

  @Override
  public String id() {
    return "features";
  }

  @Override
  public Future<Double> difficulty(ChatRequest request, EstimatorContext context) {
    double prior = Prompts.contextPrior(request);
    return Prompts.features(Prompts.lastUser(request), context).map(x -> {
      LogisticModel m = Model.INSTANCE;
      return m.percentile(m.score(x) + prior);
    });
  }
}
