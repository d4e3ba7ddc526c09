package dev.sluice.gateway.governance;

import dev.sluice.api.ChatStream;
import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.Usage;
import dev.sluice.gateway.pipeline.Exchange;
import io.vertx.core.Handler;

/**
 * A chat stream that notes the usage (or the text, to count tokens when no usage comes) as chunks pass, and
 * settles its {@link Admission} when the stream ends, fails or is cancelled. The end (or failure) reaches the
 * client only after the spend record is journaled. Chunks pass through untouched, with back-pressure.
 */
final class MeteredStream implements ChatStream {
  private final ChatStream delegate;
  private final Admission admission;
  private final Exchange exchange;
  private final StringBuilder text = new StringBuilder();
  private Usage usage;

  MeteredStream(ChatStream delegate, Admission admission, Exchange exchange) {
    this.delegate = delegate;
    this.admission = admission;
    this.exchange = exchange;
  }

  @Override
  public MeteredStream handler(Handler<ChatChunk> handler) {
    delegate.handler(handler == null ? null : chunk -> {
      if (chunk.usage() != null) usage = chunk.usage();
      for (ChatChunk.Delta d : chunk.choices()) {
        if (d.content() != null) {
          text.append(d.content());
          exchange.firstToken();
        }
      }
      handler.handle(chunk);
    });
    return this;
  }

  @Override
  public MeteredStream endHandler(Handler<Void> handler) {
    delegate.endHandler(handler == null ? null : v -> admission.settle(usage, usage == null ? text.toString() : null,
        text.toString(), null, false).onComplete(x -> handler.handle(null)));
    return this;
  }

  @Override
  public MeteredStream exceptionHandler(Handler<Throwable> handler) {
    delegate.exceptionHandler(handler == null ? null : t -> admission.settle(usage, usage == null ? text.toString()
        : null, text.toString(), t, false).onComplete(x -> handler.handle(t)));
    return this;
  }

  @Override
  public void cancel() {
    delegate.cancel();
    admission.settle(usage, usage == null ? text.toString() : null, text.toString(),
        GatewayError.cancelled("The client closed the connection."), false);
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
