package dev.sluice.gateway.cache;

import dev.sluice.api.ChatStream;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatResponse;
import io.vertx.core.Handler;
import java.util.function.Consumer;

/**
 * Passes a stream through unchanged while assembling the response it carries; hands the response to
 * {@code onComplete} only when the stream ended normally and every choice finished. A failed, cut or
 * cancelled stream is never handed over.
 */
final class RecordingStream implements ChatStream {
  private final ChatStream delegate;
  private final ChunkAssembler assembler = new ChunkAssembler();
  private final Consumer<ChatResponse> onComplete;
  private boolean failed;

  RecordingStream(ChatStream delegate, Consumer<ChatResponse> onComplete) {
    this.delegate = delegate;
    this.onComplete = onComplete;
  }

  @Override
  public void cancel() {
    failed = true;
    delegate.cancel();
  }

  @Override
  public ChatStream exceptionHandler(Handler<Throwable> h) {
    delegate.exceptionHandler(t -> {
      failed = true;
      if (h != null) h.handle(t);
    });
    return this;
  }

  @Override
  public ChatStream handler(Handler<ChatChunk> h) {
    delegate.handler(h == null ? null : chunk -> {
      assembler.add(chunk);
      h.handle(chunk);
    });
    return this;
  }

  @Override
  public ChatStream pause() {
    delegate.pause();
    return this;
  }

  @Override
  public ChatStream resume() {
    delegate.resume();
    return this;
  }

  @Override
  public ChatStream fetch(long amount) {
    delegate.fetch(amount);
    return this;
  }

  @Override
  public ChatStream endHandler(Handler<Void> h) {
    delegate.endHandler(v -> {
      if (!failed) {
        ChatResponse complete = assembler.result();
        if (complete != null) onComplete.accept(complete);
      }
      if (h != null) h.handle(v);
    });
    return this;
  }
}
