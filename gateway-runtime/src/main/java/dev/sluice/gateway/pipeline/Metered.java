package dev.sluice.gateway.pipeline;

import dev.sluice.api.model.Usage;
import dev.sluice.gateway.pricing.TokenCounter;
import dev.sluice.gateway.routing.Demand;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The usage step's result: what the call used, as the upstream reported it or, when it reported nothing, as
 * Sluice counts it (the prompt and the answer's text, with the tokenizer, on a worker thread).
 *
 * @param counted whether Sluice counted the tokens itself
 * @param text the answer's text when it was kept, else null
 */
record Metered(Usage usage, boolean counted, String text) {
  static final Metered NONE = new Metered(Usage.ZERO, false, null);

  /**
   * @param reported the upstream's usage, or null
   * @param text the answer's text (to count when nothing was reported), or null when there is none to count
   * @param count whether to count when nothing was reported (governance accounts for the request)
   */
  static Future<Metered> of(Vertx vertx, Demand demand, Usage reported, String text, boolean count) {
    if (reported != null) return Future.succeededFuture(new Metered(reported, false, text));
    if (text == null || !count) return Future.succeededFuture(text == null ? NONE : new Metered(Usage.ZERO, false, text));
    return vertx.executeBlocking(() -> new Metered(Usage.of(TokenCounter.count(demand.promptText()),
        TokenCounter.count(text)), true, text), false).otherwise(new Metered(Usage.ZERO, false, text));
  }
}
