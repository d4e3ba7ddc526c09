package dev.sluice.api.routing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** What the runtime offers a {@link DifficultyEstimator}. */
public interface EstimatorContext {

  /** The gateway's Vert.x: run blocking work with {@code executeBlocking}, never on the event loop. */
  Vertx vertx();

  /**
   * The in-process sentence embedding of {@code text} (all-MiniLM-L6-v2, quantized, 384 dimensions, unit length),
   * computed on the worker pool; the model loads on first use.
   */
  Future<float[]> embed(String text);
}
