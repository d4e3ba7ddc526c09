package dev.sluice.api.routing;

import dev.sluice.api.model.ChatRequest;
import io.vertx.core.Future;
import org.pf4j.ExtensionPoint;

/**
 * Estimates how hard a chat request is, for the {@code cheapest-capable} rule strategy: the harder a request,
 * the stronger the model group it needs. A plugin declares one {@code @Extension} per estimator; a rule names it
 * by {@link #id()} ({@code routing.rules[].estimator}).
 *
 * <p>The answer is a <b>difficulty percentile</b> from 0 (easier than all reference traffic) to 1 (harder than
 * all of it): about a fraction {@code x} of typical requests score below {@code x}. The rule's {@code quality}
 * knob is read against that scale, so an estimator must be calibrated (e.g. map its raw score through the
 * quantiles of the scores it gave its training data).
 *
 * <p>Called on an event loop for every routed request, by several event loops at once on one instance. A cheap
 * estimator answers with {@code Future.succeededFuture(..)}; anything heavier (more than about a millisecond,
 * e.g. regular expressions over a long prompt) runs on the worker pool (the context's
 * {@link EstimatorContext#embed} already does). The runtime waits at most 10 seconds for the answer. A failed
 * future, no answer in time, or a value outside 0..1 routes the request as if it were as hard as can be (the
 * strongest capable candidate), with the failure in the route reason.
 *
 * <p>{@code dev.sluice.tck.DifficultyEstimatorContractTest} in the plugin-api test-jar checks the contract
 * below; every built-in estimator runs it.
 */
public interface DifficultyEstimator extends ExtensionPoint {

  /** The name config uses, e.g. {@code features}. Lower case, stable. */
  String id();

  /**
   * The difficulty percentile of {@code request}, 0 to 1.
   * <ul>
   *   <li>Any request the runtime routes gets an answer: empty or huge text, images only, a system prompt or a
   *       tool result last, dozens of tools.</li>
   *   <li>The same request (and the same embeddings) gets the same answer, from this instance or a fresh one.</li>
   *   <li>Must not modify the request.</li>
   *   <li>Never throws: a failure, e.g. of {@link EstimatorContext#embed}, is a failed future (or an answer that
   *       does without it).</li>
   *   <li>Holds the calling event loop for no more than a few milliseconds, whatever the request's size.</li>
   * </ul>
   */
  Future<Double> difficulty(ChatRequest request, EstimatorContext context);
}
