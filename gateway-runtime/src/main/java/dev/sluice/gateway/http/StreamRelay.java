package dev.sluice.gateway.http;

import dev.sluice.api.ChatStream;
import dev.sluice.api.GatewayError;
import dev.sluice.gateway.redact.Redactor;
import dev.sluice.api.IngressFormat;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.gateway.pipeline.Exchange;
import dev.sluice.gateway.pipeline.Outcome;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Copies a provider's chunk stream to the client as server-sent events, with back-pressure both ways: a slow
 * client pauses the upstream. A failure after the first byte ends the stream with the format's error event;
 * a client that goes away cancels the upstream.
 *
 * <p>The first event goes out at once, with the response head: the time to first byte does not wait for the rest
 * of the event loop's turn (in a wave of upstream answers, every other stream's read). Later events are coalesced
 * per event-loop turn: what one upstream read brings goes out in one write at the end of that turn, since writing
 * event by event cost a syscall per event.
 */
final class StreamRelay {
  private final HttpServerResponse response;
  private final ChatStream stream;
  private final IngressFormat.StreamEncoder encoder;
  private final boolean clientWantsUsage;
  private final Exchange exchange;
  private final Outcome outcome;
  private final Context context;
  private boolean finished;
  private Buffer pending;
  /**
   * The first event's size, and what the last turn wrote (at first a guess of a few events): a turn's buffer is
   * sized for as much again and one event more, so it rarely grows (each growth copies it) nor sits mostly empty.
   */
  private int eventBytes;
  private int lastTurnBytes;
  private boolean flushScheduled;

  private StreamRelay(HttpServerResponse response, ChatStream stream, IngressFormat.StreamEncoder encoder,
                      boolean clientWantsUsage, Exchange exchange, Outcome outcome) {
    this.response = response;
    this.outcome = outcome;
    this.stream = stream;
    this.encoder = encoder;
    this.clientWantsUsage = clientWantsUsage;
    this.exchange = exchange;
    this.context = Vertx.currentContext();
  }

  /**
   * Starts relaying; the response's status and headers must already be set.
   *
   * @param outcome how the request went until the stream started, for the observers at its end
   */
  static void start(HttpServerResponse response, ChatStream stream, IngressFormat.StreamEncoder encoder,
                    boolean clientWantsUsage, Exchange exchange, Outcome outcome) {
    new StreamRelay(response, stream, encoder, clientWantsUsage, exchange, outcome).run();
  }

  private void run() {
    response.setChunked(true);
    response.closeHandler(v -> {
      if (!finished) {
        finished = true;
        pending = null;
        GatewayError gone = GatewayError.cancelled("The client closed the connection.");
        exchange.call().cancel(gone);
        stream.cancel();
        exchange.trail().streamEnded();
        exchange.finished(outcome, gone);
      }
    });
    stream.exceptionHandler(t -> {
      if (finished) return;
      finished = true;
      exchange.trail().streamEnded();
      response.end(withPending(encoder.error(Redactor.active().scrub(GatewayError.from(t)))));
      exchange.finished(outcome, t);
    });
    stream.endHandler(v -> {
      if (finished) return;
      finished = true;
      exchange.trail().streamEnded();
      response.end(withPending(encoder.end()));
      exchange.finished(outcome, null);
    });
    response.drainHandler(v -> stream.resume());
    stream.handler(this::onChunk);
  }

  private void onChunk(ChatChunk chunk) {
    if (finished) return;
    observe(chunk);
    ChatChunk visible = clientWantsUsage ? chunk : withoutUsage(chunk);
    if (visible == null) return;
    if (!response.headWritten() && pending == null) {
      // The first event goes out at once, with the response head: waiting for the end of the turn would make its
      // first byte wait for every other read the event loop has in this turn (a wave of upstream answers).
      Buffer bytes = encoder.encode(visible);
      if (bytes.length() == 0) return;
      eventBytes = bytes.length();
      lastTurnBytes = 3 * eventBytes;
      write(bytes);
      return;
    }
    // Later events are encoded straight into the turn's buffer: no buffer per event.
    if (pending == null) pending = Buffer.buffer(Math.max(256, lastTurnBytes + eventBytes));
    encoder.encode(visible, pending);
    if (pending.length() == 0) {
      pending = null;
      return;
    }
    if (!flushScheduled) {
      flushScheduled = true;
      if (context == null) flush();
      else context.runOnContext(v -> flush());
    }
  }

  /** Notes the usage, the first content's time, the model and the finish reason for the observers. */
  private void observe(ChatChunk chunk) {
    var trail = exchange.trail();
    if (chunk.usage() != null) trail.reported(chunk.usage());
    for (ChatChunk.Delta d : chunk.choices()) {
      if (d.content() != null || d.toolCalls() != null && !d.toolCalls().isEmpty()) trail.streamed(d.content());
      if (d.finishReason() != null || chunk.model() != null) trail.answered(chunk.model(), d.finishReason());
    }
  }

  private void flush() {
    flushScheduled = false;
    if (finished || pending == null) return;
    Buffer out = pending;
    pending = null;
    lastTurnBytes = out.length();
    write(out);
  }

  /** Writes to the client; a full write queue pauses the upstream until the client drains it. */
  private void write(Buffer out) {
    response.write(out);
    if (response.writeQueueFull()) stream.pause();
  }

  /** The last bytes of the stream, after whatever is still waiting for this turn's flush. */
  private Buffer withPending(Buffer last) {
    if (pending == null) return last;
    Buffer out = pending.appendBuffer(last);
    pending = null;
    return out;
  }

  /** The upstream is always asked for usage (to account for it); a client that did not ask does not see it. */
  private static ChatChunk withoutUsage(ChatChunk chunk) {
    if (chunk.usage() == null) return chunk;
    if (chunk.choices().isEmpty()) return null;
    return new ChatChunk(chunk.id(), chunk.created(), chunk.model(), chunk.choices(), null, chunk.systemFingerprint());
  }
}
