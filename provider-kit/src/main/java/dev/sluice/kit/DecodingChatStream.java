package dev.sluice.kit;

import dev.sluice.api.ChatStream;
import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatChunk;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/** {@link ChatStreams#decode}: upstream bytes through a {@link ChunkDecoder}, demand passed to the upstream. */
final class DecodingChatStream implements ChatStream {
  private final ReadStream<Buffer> upstream;
  private final ChunkDecoder decoder;
  private final Runnable abort;
  private Handler<ChatChunk> handler;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;
  private boolean paused;
  private boolean done;
  /** An end or failure that happened before its handler was attached; delivered when it is. */
  private boolean pendingEnd;
  private GatewayError pendingFailure;

  DecodingChatStream(ReadStream<Buffer> upstream, ChunkDecoder decoder, Runnable abort) {
    this.upstream = upstream;
    this.decoder = decoder;
    this.abort = abort;
    // Hold the bytes until a reader is attached, whenever that is.
    upstream.pause();
    upstream.exceptionHandler(this::onUpstreamError);
    upstream.endHandler(v -> onUpstreamEnd());
  }

  @Override
  public ChatStream handler(Handler<ChatChunk> h) {
    this.handler = h;
    if (done) return this; // the upstream already ended or failed: nothing more to read
    if (h == null) {
      upstream.handler(null);
    } else {
      upstream.handler(this::onBytes);
      if (!paused) upstream.resume();
    }
    return this;
  }

  private void onBytes(Buffer bytes) {
    if (done) return;
    try {
      decoder.decode(bytes, this::emit);
    } catch (Throwable t) {
      // Report the decoder's error first: the reset below may raise a connection error that must not win.
      fail(t);
      abort.run();
    }
  }

  private void emit(ChatChunk chunk) {
    if (!done && handler != null) handler.handle(chunk);
  }

  private void onUpstreamEnd() {
    if (done) return;
    try {
      decoder.finish(this::emit);
    } catch (Throwable t) {
      fail(t);
      return;
    }
    done = true;
    if (endHandler != null) endHandler.handle(null);
    else pendingEnd = true;
  }

  private void onUpstreamError(Throwable t) {
    fail(t instanceof GatewayError ? t
        : GatewayError.protocol("Upstream stream broke off: " + (t.getMessage() == null ? t.getClass().getSimpleName()
            : t.getMessage()), t));
  }

  private void fail(Throwable t) {
    if (done) return;
    done = true;
    GatewayError error = t instanceof GatewayError g ? g
        : GatewayError.protocol("Upstream sent a stream Sluice could not read: " + t.getMessage(), t);
    if (exceptionHandler != null) exceptionHandler.handle(error);
    else pendingFailure = error;
  }

  @Override
  public void cancel() {
    if (done) return;
    done = true;
    abort.run();
  }

  @Override
  public ChatStream exceptionHandler(Handler<Throwable> h) {
    this.exceptionHandler = h;
    if (h != null && pendingFailure != null) {
      GatewayError error = pendingFailure;
      pendingFailure = null;
      h.handle(error);
    }
    return this;
  }

  @Override
  public ChatStream pause() {
    paused = true;
    upstream.pause();
    return this;
  }

  @Override
  public ChatStream resume() {
    paused = false;
    if (handler != null) upstream.resume();
    return this;
  }

  @Override
  public ChatStream fetch(long amount) {
    paused = false;
    if (handler != null) upstream.fetch(amount);
    return this;
  }

  @Override
  public ChatStream endHandler(Handler<Void> h) {
    this.endHandler = h;
    if (h != null && pendingEnd) {
      pendingEnd = false;
      h.handle(null);
    }
    return this;
  }
}
