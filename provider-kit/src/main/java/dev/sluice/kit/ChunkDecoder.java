package dev.sluice.kit;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatChunk;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Turns an upstream's streamed bytes into canonical chunks; one instance per stream. Methods throw a
 * {@link GatewayError} for an error the upstream reports in the stream or for bytes that break its protocol.
 */
public interface ChunkDecoder {

  /** Decodes the next bytes; buffers a partial event until its end arrives. */
  void decode(Buffer bytes, Consumer<ChatChunk> sink);

  /** The upstream closed the stream: flushes what is left, and throws when the stream ended early. */
  void finish(Consumer<ChatChunk> sink);
}
