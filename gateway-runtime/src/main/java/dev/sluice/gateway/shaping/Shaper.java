package dev.sluice.gateway.shaping;

import dev.sluice.gateway.pricing.PromptTokens;
import dev.sluice.api.CallContext;
import dev.sluice.api.GatewayError;
import dev.sluice.api.model.CacheBreakpoint;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Message;
import dev.sluice.gateway.config.ShapingConfig;
import dev.sluice.gateway.pricing.TokenCounter;
import dev.sluice.gateway.routing.Deployment;
import dev.sluice.gateway.routing.RouteTrace;
import dev.sluice.gateway.routing.RoutePlan;
import dev.sluice.gateway.routing.Router;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code shape} step, between govern and cache: for a request whose routing rule opts in, prompt
 * compression ({@link Compressor}), then context compaction ({@link Compactor}, summarising through the
 * gateway's own routing when the rule names a {@code summarize_with} model), then provider prompt-cache
 * breakpoints ({@link CachePlanner}). Provider-neutral; token counting and rewriting run on the worker pool.
 * A request no rule shapes passes untouched, without leaving the event loop.
 */
public final class Shaper {
  private static final Logger LOG = LoggerFactory.getLogger(Shaper.class);
  static final String SUMMARY_PREFIX = "Summary of the earlier part of this conversation (older turns were "
      + "compacted by the gateway): ";
  static final String SUMMARIZER_PROMPT = "You compress conversations. Summarise the transcript the user sends in "
      + "a few sentences: keep every fact, decision, name, number, file, tool result and open question that later "
      + "turns may rely on; drop greetings and repetition. Answer with the summary only.";
  /** Output tokens kept free for the answer under {@code fit_window} when the request sets no max_tokens. */
  static final int DEFAULT_ANSWER_RESERVE = 4096;

  /** A shaped request and what shaping did. */
  public record Shaped(ChatRequest request, ShapingReport report) {}

  private record Prepared(ChatRequest request, int before, int afterCompression, Compactor.Plan plan,
                          ShapingConfig config) {}

  private final Vertx vertx;
  private final Router router;

  public Shaper(Vertx vertx, Router router) {
    this.vertx = vertx;
    this.router = router;
  }

  /** Shapes {@code request} with the levers of its plan's rule; a request no rule shapes is answered at once. */
  public Future<Shaped> shape(ChatRequest request, RoutePlan plan, CallContext call) {
    ShapingConfig config = plan.shaping();
    if (!config.any()) return Future.succeededFuture(new Shaped(request, ShapingReport.NONE));
    int window = plan.contextWindow();
    return vertx.executeBlocking(() -> prepare(request, config, window), false).compose(p -> {
      ShapingConfig.Compaction c = config.compaction();
      if (p.plan() == null || p.plan().removed().isEmpty() || c.summarizeWith() == null) {
        return finish(p, null, List.of());
      }
      return summarize(p.plan().removed(), c, call).transform(ar -> {
        if (ar.succeeded()) return finish(p, ar.result().summary, List.of(ar.result().call));
        LOG.debug("compaction summary by {} failed, dropping the oldest turns instead: {}", c.summarizeWith(),
            ar.cause().toString());
        return finish(p, null, List.of());
      });
    });
  }

  private static Prepared prepare(ChatRequest request, ShapingConfig config, int window) {
    int before = PromptTokens.count(request);
    // Repeated blocks are replaced only after compaction, so that a repeat never points at a removed turn.
    ChatRequest r = config.compression() == null ? request
        : Compressor.compress(request, config.compression(), config.compaction() == null);
    int afterCompression = r == request ? before : PromptTokens.count(r);
    Compactor.Plan plan = null;
    ShapingConfig.Compaction c = config.compaction();
    if (c != null) {
      int budget = budget(c, window, r);
      if (budget > 0) {
        int fixed = PromptTokens.REPLY_PRIMING + PromptTokens.tools(r.tools());
        int reserve = c.summarizeWith() == null ? 0 : c.summaryMaxTokens() + Compactor.SUMMARY_OVERHEAD;
        plan = Compactor.plan(r.messages(), fixed, budget, c, reserve);
      }
    }
    return new Prepared(r, before, afterCompression, plan, config);
  }

  /** The prompt's token budget: {@code max_tokens}, and under {@code fit_window} the window less the answer. */
  static int budget(ShapingConfig.Compaction c, int window, ChatRequest r) {
    long budget = c.maxTokens() > 0 ? c.maxTokens() : Long.MAX_VALUE;
    if (c.fitWindow() && window > 0) {
      long answer = r.maxTokens() != null ? (long) r.maxTokens() * r.choiceCount()
          : Math.min(DEFAULT_ANSWER_RESERVE, window / 8);
      // Routing's capability filter estimates by characters: leave it 5% of slack.
      budget = Math.min(budget, (long) ((window - answer) * 0.95));
    }
    return budget == Long.MAX_VALUE ? 0 : (int) Math.max(1, budget);
  }

  private record Summary(String summary, ShapingReport.SideCall call) {}

  private Future<Summary> summarize(List<Message> removed, ShapingConfig.Compaction c, CallContext client) {
    ChatRequest ask = ChatRequest.builder().model(c.summarizeWith())
        .messages(List.of(Message.system(SUMMARIZER_PROMPT), Message.user(Compactor.transcript(removed))))
        .maxTokens(c.summaryMaxTokens()).temperature(0.0).build();
    CallContext side = CallContext.create(client.requestId());
    client.onCancel(side::cancel);
    Deployment[] answered = new Deployment[1];
    RouteTrace trace = new RouteTrace() {
      @Override
      public void attempt(Deployment deployment, int number) {
        answered[0] = deployment;
      }

      @Override
      public void upstreamStarted() {}

      @Override
      public void upstreamAnswered() {}
    };
    return router.chatInGroup(ask, side, trace).compose(r -> {
      String text = r.choices().isEmpty() || r.choices().get(0).message() == null ? ""
          : r.choices().get(0).message().text();
      if (text.isBlank()) return Future.failedFuture(GatewayError.protocol("the summary was empty"));
      return Future.succeededFuture(new Summary(text, new ShapingReport.SideCall(c.summarizeWith(), answered[0],
          r.usage() == null ? dev.sluice.api.model.Usage.ZERO : r.usage())));
    });
  }

  private Future<Shaped> finish(Prepared p, String summary, List<ShapingReport.SideCall> calls) {
    return vertx.executeBlocking(() -> {
      ChatRequest r = p.request();
      Compactor.Plan plan = p.plan();
      if (plan != null && plan.changed()) {
        // A summariser that ignores max_tokens must not take back the room compaction made.
        String kept = summary == null ? null
            : TokenCounter.head(summary, p.config().compaction().summaryMaxTokens());
        r = r.withMessages(kept != null ? Compactor.withSummary(plan, kept) : plan.messages());
      }
      if (p.config().compression() != null && p.config().compaction() != null) r = Compressor.withoutRepeats(r);
      int toolTokens = PromptTokens.tools(r.tools());
      int[] counts = PromptTokens.messages(r.messages());
      int after = PromptTokens.REPLY_PRIMING + toolTokens;
      for (int n : counts) after += n;
      int breakpoints = 0;
      if (p.config().promptCache() != null) {
        List<CacheBreakpoint> marks = CachePlanner.plan(r.messages(), toolTokens, counts, !r.tools().isEmpty(),
            p.config().promptCache(), plan != null && !plan.removed().isEmpty());
        r = r.withCacheBreakpoints(marks);
        breakpoints = marks.size();
      }
      int removed = plan == null ? 0 : plan.removed().size();
      return new Shaped(r, new ShapingReport(p.before(), after, Math.max(0, p.before() - p.afterCompression()),
          removed, summary != null && removed > 0, breakpoints, calls));
    }, false);
  }
}
