package dev.sluice.plugins.routing;

import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Role;
import dev.sluice.api.routing.EstimatorContext;
import io.vertx.core.Future;

/** What the estimators read of a chat request. */
final class Prompts {
  /** At most this many characters of the last user turn are embedded (MiniLM reads about 256 tokens anyway). */
  static final int EMBED_CHARS = 2000;
  /**
   * Text features of a longer turn are computed on the worker pool: their regular expressions take about a
   * millisecond per 400 characters, and a 200,000-character prompt would hold the event loop for half a second.
   */
  static final int INLINE_FEATURE_CHARS = 2000;

  private Prompts() {}

  /** The last user turn's text (the question being asked), or the last message's when no user turn has text. */
  static String lastUser(ChatRequest r) {
    for (int i = r.messages().size() - 1; i >= 0; i--) {
      Message m = r.messages().get(i);
      String t = m.text();
      if (m.role() == Role.USER && t != null && !t.isBlank()) return t;
    }
    String t = r.messages().get(r.messages().size() - 1).text();
    return t == null ? "" : t;
  }

  /** {@link TextFeatures} of {@code text}: on the calling thread when short, else on the worker pool. */
  static Future<double[]> features(String text, EstimatorContext context) {
    if (text.length() <= INLINE_FEATURE_CHARS) return Future.succeededFuture(TextFeatures.of(text));
    return context.vertx().executeBlocking(() -> TextFeatures.of(text), false);
  }

  /**
   * What the training data (single-turn questions) cannot teach, added to a model's logit by hand: tools to
   * choose from, a conversation's depth and a long system prompt make a request harder. Zero for a single user
   * turn without tools or system prompt, so the trained part is unchanged there.
   */
  static double contextPrior(ChatRequest r) {
    int turns = 0;
    long system = 0;
    for (Message m : r.messages()) {
      if (m.role() == Role.SYSTEM || m.role() == Role.DEVELOPER) {
        String t = m.text();
        system += t == null ? 0 : t.length();
      } else {
        turns++;
      }
    }
    return 0.5 * Math.log1p(r.tools().size()) + 0.3 * Math.log1p(Math.max(0, turns - 1))
        + 0.2 * Math.log1p(system / 1000.0);
  }
}
