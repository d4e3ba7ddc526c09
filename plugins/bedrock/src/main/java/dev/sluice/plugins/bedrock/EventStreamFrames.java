package dev.sluice.plugins.bedrock;

import dev.sluice.api.GatewayError;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

/**
 * Splits {@code application/vnd.amazon.eventstream} bytes into frames with the AWS event-stream library, which
 * checks each frame's prelude CRC and message CRC. A frame that fails them, or bytes that are not frames,
 * become an {@code UPSTREAM_PROTOCOL} error: nothing after a bad frame can be trusted.
 */
final class EventStreamFrames {
  private final MessageDecoder decoder;

  /** {@code sink} receives each frame as soon as its last byte arrives, inside {@link #feed}. */
  EventStreamFrames(Consumer<Message> sink) {
    this.decoder = new MessageDecoder(sink);
  }

  void feed(Buffer bytes) {
    try {
      decoder.feed(ByteBuffer.wrap(bytes.getBytes()));
    } catch (IllegalArgumentException | IllegalStateException | java.nio.BufferUnderflowException e) {
      throw GatewayError.protocol("Bedrock sent a corrupt event-stream frame: " + e.getMessage(), e);
    }
  }

  /** A string header of {@code message}, or null. */
  static String header(Message message, String name) {
    Map<String, HeaderValue> headers = message.getHeaders();
    HeaderValue v = headers.get(name);
    if (v == null) return null;
    try {
      return v.getString();
    } catch (IllegalStateException | UnsupportedOperationException e) {
      throw GatewayError.protocol("Bedrock sent event-stream header " + name + " of type " + v.getType()
          + " where a string belongs");
    }
  }
}
