package dev.sluice.gateway.routing;

import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.routing.DifficultyEstimator;
import dev.sluice.api.routing.EstimatorContext;
import dev.sluice.gateway.config.RoutingConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Map;

/**
 * A cheapest-capable rule's difficulty estimate for one request, from the estimator the rule names, bounded in
 * time: an estimator that fails, answers out of range or does not answer in time makes the request hard (1),
 * with a note saying why.
 */
final class Difficulty {
  /** How long a request waits for its difficulty estimate (the embeddings model loads on first use). */
  static final long ESTIMATOR_TIMEOUT_MS = 10_000;

  /** The difficulty, 0 to 1, and a note when the estimator could not give one. */
  record Estimate(double difficulty, String note) {}

  private final Vertx vertx;
  private volatile Map<String, DifficultyEstimator> estimators = Map.of();
  private volatile EstimatorContext context;

  Difficulty(Vertx vertx) {
    this.vertx = vertx;
  }

  void estimators(Map<String, DifficultyEstimator> byId, EstimatorContext context) {
    this.estimators = Map.copyOf(byId);
    this.context = context;
  }

  Future<Estimate> of(RoutingConfig.Rule rule, ChatRequest request) {
    if (request == null) return Future.succeededFuture(new Estimate(0, "no chat to estimate"));
    DifficultyEstimator estimator = estimators.get(rule.estimator());
    if (estimator == null) {
      return Future.succeededFuture(new Estimate(1, "estimator " + rule.estimator() + " is not loaded"));
    }
    Future<Double> f;
    try {
      f = estimator.difficulty(request, context);
    } catch (RuntimeException | LinkageError e) {
      f = Future.failedFuture(e);
    }
    if (!f.isComplete()) {
      // An estimator that does not answer in time must not hold the request: it is routed as hard.
      Promise<Double> bounded = Promise.promise();
      long timer = vertx.setTimer(ESTIMATOR_TIMEOUT_MS, id -> bounded.tryFail(new IllegalStateException(
          "no answer within " + ESTIMATOR_TIMEOUT_MS + " ms")));
      f.onComplete(ar -> {
        vertx.cancelTimer(timer);
        if (ar.succeeded()) bounded.tryComplete(ar.result());
        else bounded.tryFail(ar.cause());
      });
      f = bounded.future();
    }
    return f.transform(ar -> {
      if (ar.failed()) {
        return Future.succeededFuture(new Estimate(1, "estimator failed: " + ar.cause().getMessage()));
      }
      Double d = ar.result();
      if (d == null || !(d >= 0 && d <= 1)) {
        return Future.succeededFuture(new Estimate(1, "estimator answered " + d + ", not 0..1"));
      }
      return Future.succeededFuture(new Estimate(d, null));
    });
  }
}
