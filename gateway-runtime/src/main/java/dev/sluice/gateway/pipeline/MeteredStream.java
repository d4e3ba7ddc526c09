package dev.sluice.gateway.pipeline;

import dev.sluice.api.ChatStream;
import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Usage;
import dev.sluice.gateway.cache.ChunkAssembler;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;

/**
 * A chat stream on its way to the client, watched for the steps that run when it ends: it notes the usage, the
 * text (when kept), the first content's time and, when the cache is to store the answer, the complete response,
 * and reports them in {@link #ended()} when the stream ends, fails or is cancelled. The end (or the failure)
 * reaches the client only after the future given to {@link #holdEndUntil} completes: the pipeline settles and
 * stores first. Chunks pass through untouched, with back-pressure.
 */
final class MeteredStream implements ChatStream {
  /**
   * How the stream ended.
   *
   * @param usage the usage the upstream reported, or null
   * @param text the streamed text, or null when it was not kept
   * @param response the whole answer, assembled for the cache; null when not assembled or not complete
   * @param failure null when the stream ended normally
   * @param firstTokenNanos when the first content passed ({@link System#nanoTime()}), or 0
   */
  record End(Usage usage, String text, ChatResponse response, GatewayError failure, long firstTokenNanos) {}

  private final ChatStream delegate;
  private final StringBuilder text;
  private final ChunkAssembler assembler;
  private final Promise<End> ended = Promise.promise();
  private Future<?> release = Future.succeededFuture();
  private Usage usage;
  private long firstTokenNanos;

  /**
   * @param keepText whether to keep the streamed text
   * @param assemble whether to assemble the whole answer (for the cache)
   */
  MeteredStream(ChatStream delegate, boolean keepText, boolean assemble) {
    this.delegate = delegate;
    this.text = keepText ? new StringBuilder() : null;
    this.assembler = assemble ? new ChunkAssembler() : null;
  }

  /** Completes once, when the stream ended, failed or was cancelled. */
  Future<End> ended() {
    return ended.future();
  }

  /** The stream's end (or failure) reaches the client only once {@code after} completed. */
  void holdEndUntil(Future<?> after) {
    this.release = after;
  }

  private void end(GatewayError failure) {
    if (ended.future().isComplete()) return;
    ChatResponse whole = failure == null && assembler != null ? assembler.result() : null;
    ended.complete(new End(usage, text == null ? null : text.toString(), whole, failure, firstTokenNanos));
  }

  @Override
  public MeteredStream handler(Handler<ChatChunk> handler) {
    delegate.handler(handler == null ? null : chunk -> {
      if (chunk.usage() != null) usage = chunk.usage();
      for (ChatChunk.Delta d : chunk.choices()) {
        if (d.content() != null) {
          if (text != null) text.append(d.content());
          if (firstTokenNanos == 0) firstTokenNanos = System.nanoTime();
        }
      }
      if (assembler != null) assembler.add(chunk);
      handler.handle(chunk);
    });
    return this;
  }

  @Override
  public MeteredStream endHandler(Handler<Void> handler) {
    delegate.endHandler(handler == null ? null : v -> {
      end(null);
      release.onComplete(x -> handler.handle(null));
    });
    return this;
  }

  @Override
  public MeteredStream exceptionHandler(Handler<Throwable> handler) {
    delegate.exceptionHandler(handler == null ? null : t -> {
      end(GatewayError.from(t));
      release.onComplete(x -> handler.handle(t));
    });
    return this;
  }

  @Override
  public void cancel() {
    delegate.cancel();
    end(GatewayError.cancelled("The client closed the connection."));
  }

  @Override
  public MeteredStream pause() {
    delegate.pause();
    return this;
  }

  @Override
  public MeteredStream resume() {
    delegate.resume();
    return this;
  }

  @Override
  public MeteredStream fetch(long amount) {
    delegate.fetch(amount);
    return this;
  }
}
