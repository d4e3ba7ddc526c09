package dev.sluice.plugins.routing;

import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.routing.DifficultyEstimator;
import dev.sluice.api.routing.EstimatorContext;
import io.vertx.core.Future;
import org.pf4j.Extension;

/**
 * {@code length}: the baseline every estimator must beat, the last user turn's length (log characters) as a
 * percentile of the training prompts' lengths ({@code difficulty/length.json}), plus {@link Prompts#contextPrior}.
 */
@Extension
public final class LengthEstimator implements DifficultyEstimator {
  private static final class Model {
    static final LogisticModel INSTANCE = LogisticModel.resource("length");
  }

  @Override
  public String id() {
    return "length";
  }

  @Override
  public Future<Double> difficulty(ChatRequest request, EstimatorContext context) {
    LogisticModel m = Model.INSTANCE;
    double[] x = {Math.log1p(Prompts.lastUser(request).length())};
    return Future.succeededFuture(m.percentile(m.score(x) + Prompts.contextPrior(request)));
  }
}
