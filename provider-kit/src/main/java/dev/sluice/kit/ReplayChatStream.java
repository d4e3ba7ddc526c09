package dev.sluice.kit;

import dev.sluice.api.ChatStream;
import dev.sluice.api.model.ChatChunk;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import java.util.List;

/** {@link ChatStreams#replay}: a list of chunks on timers, honouring pause, resume and fetch. */
final class ReplayChatStream implements ChatStream {
  private final Context context;
  private final List<ChatChunk> chunks;
  private final long firstDelayMs;
  private final long gapMs;
  private Handler<ChatChunk> handler;
  private Handler<Void> endHandler;
  private long demand = Long.MAX_VALUE;
  private int next;
  private boolean scheduled;
  private boolean done;
  private long timerId = -1;

  ReplayChatStream(Context context, List<ChatChunk> chunks, long firstDelayMs, long gapMs) {
    this.context = context;
    this.chunks = List.copyOf(chunks);
    this.firstDelayMs = firstDelayMs;
    this.gapMs = gapMs;
  }

  private void schedule() {
    if (done || scheduled || handler == null || demand == 0) return;
    scheduled = true;
    long delay = next == 0 ? firstDelayMs : gapMs;
    if (delay <= 0 || next >= chunks.size()) {
      context.runOnContext(v -> step());
    } else {
      timerId = context.owner().setTimer(delay, id -> step());
    }
  }

  private void step() {
    scheduled = false;
    timerId = -1;
    if (done || handler == null) return;
    if (next >= chunks.size()) {
      done = true;
      if (endHandler != null) endHandler.handle(null);
      return;
    }
    if (demand == 0) return;
    if (demand != Long.MAX_VALUE) demand--;
    handler.handle(chunks.get(next++));
    schedule();
  }

  @Override
  public void cancel() {
    done = true;
    if (timerId >= 0) context.owner().cancelTimer(timerId);
  }

  @Override
  public ChatStream exceptionHandler(Handler<Throwable> h) {
    return this; // a replay cannot fail
  }

  @Override
  public ChatStream handler(Handler<ChatChunk> h) {
    this.handler = h;
    schedule();
    return this;
  }

  @Override
  public ChatStream pause() {
    demand = 0;
    return this;
  }

  @Override
  public ChatStream resume() {
    demand = Long.MAX_VALUE;
    schedule();
    return this;
  }

  @Override
  public ChatStream fetch(long amount) {
    if (amount > 0) {
      demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
      schedule();
    }
    return this;
  }

  @Override
  public ChatStream endHandler(Handler<Void> h) {
    this.endHandler = h;
    return this;
  }
}
