package dev.sluice.plugins.demo;

import dev.sluice.api.CallContext;
import dev.sluice.api.ChatStream;
import dev.sluice.api.Embedder;
import dev.sluice.api.GatewayError;
import dev.sluice.api.Provider;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.EmbeddingRequest;
import dev.sluice.api.model.EmbeddingResponse;
import dev.sluice.api.model.Usage;
import dev.sluice.kit.ChatStreams;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The demo model. Answers are computed at once (they are cheap) and delivered on Vert.x timers: a whole
 * answer after {@code latency}, a stream's first chunk after {@code first_token} and the rest at
 * {@code tokens_per_second}. Cancelling the call cancels the timer and fails the pending future with the
 * cancellation error, or stops the stream.
 */
final class DemoProvider implements Provider, Embedder {
  static final int MAX_EMBEDDING_INPUTS = 2048;
  static final int MAX_EMBEDDING_DIMENSIONS = 8192;

  private final DemoSettings settings;
  private final Vertx vertx;
  private final PromptCache promptCache;

  DemoProvider(DemoSettings settings, Vertx vertx) {
    this.settings = settings;
    this.vertx = vertx;
    this.promptCache = new PromptCache(settings.promptCacheTtl().toMillis(), System::currentTimeMillis);
  }

  private Completion complete(ChatRequest request, CallContext call) {
    Completion c = Completer.complete(request, settings, call.requestId());
    return c.withCache(promptCache.use(request, c.promptTokens()));
  }

  @Override
  public Future<ChatResponse> chat(ChatRequest request, CallContext call) {
    if (call.isCancelled()) return Future.failedFuture(call.cancellation());
    Completion completion;
    try {
      completion = complete(request, call);
    } catch (GatewayError e) {
      return Future.failedFuture(e);
    }
    return after(settings.latency(), completion::response, call);
  }

  @Override
  public Future<ChatStream> stream(ChatRequest request, CallContext call) {
    if (call.isCancelled()) return Future.failedFuture(call.cancellation());
    Completion completion;
    try {
      completion = complete(request, call);
    } catch (GatewayError e) {
      return Future.failedFuture(e);
    }
    Context context = vertx.getOrCreateContext();
    ChatStream stream = ChatStreams.replay(context, StreamPlan.chunks(completion, request.includeUsage()),
        settings.firstToken(), settings.chunkGap(StreamPlan.TOKENS_PER_CHUNK));
    call.onCancel(reason -> onContext(context, stream::cancel));
    return Future.succeededFuture(stream);
  }

  @Override
  public Future<EmbeddingResponse> embed(EmbeddingRequest request, CallContext call) {
    if (call.isCancelled()) return Future.failedFuture(call.cancellation());
    int dimensions = request.dimensions() == null ? settings.embeddingDimensions() : request.dimensions();
    if (dimensions < 1 || dimensions > MAX_EMBEDDING_DIMENSIONS) {
      return Future.failedFuture(GatewayError.badParam("dimensions", "dimensions must be from 1 to "
          + MAX_EMBEDDING_DIMENSIONS + ", got " + dimensions + "."));
    }
    if (request.input().size() > MAX_EMBEDDING_INPUTS) {
      return Future.failedFuture(GatewayError.badParam("input", "input takes at most " + MAX_EMBEDDING_INPUTS
          + " texts, got " + request.input().size() + "."));
    }
    List<float[]> vectors = new ArrayList<>(request.input().size());
    int tokens = 0;
    for (int i = 0; i < request.input().size(); i++) {
      String text = request.input().get(i);
      if (text == null || text.isEmpty()) {
        return Future.failedFuture(GatewayError.badParam("input[" + i + "]", "input[" + i + "] is empty; "
            + "every input must be a non-empty string."));
      }
      int count = Tokens.count(text);
      if (count > settings.contextWindow()) {
        return Future.failedFuture(GatewayError.contextWindow("This model's maximum context length is "
            + settings.contextWindow() + " tokens, however input[" + i + "] has " + count + " tokens. Please "
            + "reduce the length of the input."));
      }
      tokens += count;
      vectors.add(Embeddings.vector(text, dimensions, settings.seed()));
    }
    EmbeddingResponse response = new EmbeddingResponse(request.model(), vectors, Usage.of(tokens, 0));
    return after(settings.latency(), () -> response, call);
  }

  /** {@code result} after {@code delay} on a timer, or the cancellation error if the call is cancelled first. */
  private <T> Future<T> after(Duration delay, Supplier<T> result, CallContext call) {
    if (delay.isZero()) return Future.succeededFuture(result.get());
    Promise<T> promise = Promise.promise();
    long timer = vertx.setTimer(delay.toMillis(), id -> promise.tryComplete(result.get()));
    call.onCancel(reason -> {
      vertx.cancelTimer(timer);
      promise.tryFail(reason);
    });
    return promise.future();
  }

  private static void onContext(Context context, Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
