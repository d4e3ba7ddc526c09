package dev.sluice.plugins.routing;

import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.routing.DifficultyEstimator;
import dev.sluice.api.routing.EstimatorContext;
import io.vertx.core.Future;
import org.pf4j.Extension;

/**
 * {@code features}: a logistic regression over {@link TextFeatures} of the last user turn (length, numbers and
 * math, code, multi-step and reasoning cues, multiple choice, ...), plus the hand-set {@link Prompts#contextPrior}
 * for tools, conversation depth and system prompt; microseconds, on the calling thread. Weights in
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
    LogisticModel m = Model.INSTANCE;
    return Future.succeededFuture(m.percentile(m.score(TextFeatures.of(Prompts.lastUser(request)))
        + Prompts.contextPrior(request)));
  }
}
