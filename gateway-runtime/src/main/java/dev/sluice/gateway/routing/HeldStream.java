package dev.sluice.gateway.routing;

import dev.sluice.api.ChatStream;
import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.gateway.time.Clock;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * A provider's stream, held until its first content: {@link #ready} completes when a chunk with content (text,
 * a tool call or a finish reason) arrives or the stream ends, and fails when the upstream fails before that,
 * so the router can still retry or fall back. Afterwards the chunks flow to the reader with back-pressure; an
 * idle gap longer than {@code idleNanos} or the request's deadline cancels the upstream and ends the stream
 * with a timeout. Confined to one event loop.
 */
final class HeldStream implements ChatStream {
  private final ChatStream upstream;
  private final Vertx vertx;
  private final Clock clock;
  private final long idleNanos;
  private final long deadlineNanos;
  private final Promise<ChatStream> ready = Promise.promise();
  private final Consumer<GatewayError> done;
  private final ArrayDeque<ChatChunk> pending = new ArrayDeque<>(4);
  private Handler<ChatChunk> handler;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;
  private boolean started;
  private boolean upstreamEnded;
  private GatewayError upstreamFailure;
  private boolean finished;
  private boolean paused;
  private long lastChunkNanos;
  private long timerId = -1;

  /** @param done runs once when the stream is over: with null when it ended well, else with the failure */
  HeldStream(ChatStream upstream, Vertx vertx, Clock clock, long idleNanos, long deadlineNanos,
             Consumer<GatewayError> done) {
    this.upstream = upstream;
    this.vertx = vertx;
    this.clock = clock;
    this.idleNanos = idleNanos;
    this.deadlineNanos = deadlineNanos;
    this.done = done;
    upstream.exceptionHandler(this::onFailure);
    upstream.endHandler(v -> onEnd());
    upstream.handler(this::onChunk);
  }

  io.vertx.core.Future<ChatStream> ready() {
    return ready.future();
  }

  private void onChunk(ChatChunk chunk) {
    if (finished) return;
    lastChunkNanos = clock.nanos();
    pending.add(chunk);
    if (!started) {
      if (hasContent(chunk)) start();
      return;
    }
    drain();
  }

  private void onEnd() {
    if (finished) return;
    upstreamEnded = true;
    if (!started) start();
    else drain();
  }

  private void onFailure(Throwable t) {
    if (finished) return;
    GatewayError e = GatewayError.from(t);
    if (!started) {
      finished = true;
      ready.tryFail(e);
      return;
    }
    upstreamFailure = e;
    drain();
  }

  private void start() {
    started = true;
    lastChunkNanos = clock.nanos();
    arm();
    ready.tryComplete(this);
  }

  /** Delivers what is pending while the reader wants it; then the end or the failure. */
  private void drain() {
    if (handler == null) return;
    while (!paused && !finished && !pending.isEmpty()) handler.handle(pending.poll());
    if (finished || !pending.isEmpty()) return;
    if (upstreamFailure != null) {
      finish(upstreamFailure);
    } else if (upstreamEnded) {
      finish(null);
    }
  }

  private void finish(GatewayError failure) {
    if (finished) return;
    finished = true;
    if (timerId >= 0) vertx.cancelTimer(timerId);
    done.accept(failure);
    if (failure != null) {
      if (exceptionHandler != null) exceptionHandler.handle(failure);
    } else if (endHandler != null) {
      endHandler.handle(null);
    }
  }

  /** One timer for both the idle gap and the deadline; re-armed when it fires early. */
  private void arm() {
    long now = clock.nanos();
    long next = deadlineNanos;
    if (idleNanos > 0) next = Math.min(next, lastChunkNanos + idleNanos);
    long delayMs = Math.max(1, (next - now) / 1_000_000);
    timerId = vertx.setTimer(delayMs, id -> {
      timerId = -1;
      if (finished) return;
      long at = clock.nanos();
      if (at - deadlineNanos >= 0) {
        timeout(GatewayError.timeout("The request took longer than routing.timeouts.total; the stream was cut."));
      } else if (idleNanos > 0 && at - lastChunkNanos >= idleNanos) {
        timeout(GatewayError.timeout("The upstream sent nothing for longer than routing.timeouts.idle ("
            + idleNanos / 1_000_000 + " ms) in the middle of the stream."));
      } else {
        arm();
      }
    });
  }

  private void timeout(GatewayError e) {
    upstream.cancel();
    pending.clear();
    finish(e);
  }

  static boolean hasContent(ChatChunk chunk) {
    for (ChatChunk.Delta d : chunk.choices()) {
      if ((d.content() != null && !d.content().isEmpty()) || !d.toolCalls().isEmpty() || d.finishReason() != null) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void cancel() {
    cancel(GatewayError.cancelled("The stream was cancelled."));
  }

  /** Stops the upstream; before the first content, {@link #ready} fails with {@code reason}. */
  void cancel(GatewayError reason) {
    if (finished) return;
    finished = true;
    if (timerId >= 0) vertx.cancelTimer(timerId);
    upstream.cancel();
    done.accept(reason);
    ready.tryFail(reason);
  }

  @Override
  public ChatStream exceptionHandler(Handler<Throwable> h) {
    exceptionHandler = h;
    return this;
  }

  @Override
  public ChatStream handler(Handler<ChatChunk> h) {
    handler = h;
    if (h != null) vertx.getOrCreateContext().runOnContext(v -> drain());
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
    upstream.resume();
    drain();
    return this;
  }

  @Override
  public ChatStream fetch(long amount) {
    return resume();
  }

  @Override
  public ChatStream endHandler(Handler<Void> h) {
    endHandler = h;
    return this;
  }
}
