package dev.sluice.api;

import dev.sluice.api.model.ChatChunk;
import io.vertx.core.Handler;
import io.vertx.core.streams.ReadStream;

/**
 * The chunks of a streamed completion, with back-pressure: {@link #pause()} stops reading from the upstream.
 * An upstream failure reaches {@link #exceptionHandler} as a {@link GatewayError}; a stream ends through
 * either the end handler or the exception handler, once. Providers make one with the provider kit's
 * {@code dev.sluice.kit.ChatStreams} (bundled in the plugin, not part of this API).
 */
public interface ChatStream extends ReadStream<ChatChunk> {

  /** Stops the stream and aborts the upstream request; no handler is called afterwards. */
  void cancel();

  @Override
  ChatStream exceptionHandler(Handler<Throwable> handler);

  @Override
  ChatStream handler(Handler<ChatChunk> handler);

  @Override
  ChatStream pause();

  @Override
  ChatStream resume();

  @Override
  ChatStream fetch(long amount);

  @Override
  ChatStream endHandler(Handler<Void> endHandler);
}
