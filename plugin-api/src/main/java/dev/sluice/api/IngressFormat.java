package dev.sluice.api;

import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.pf4j.ExtensionPoint;

/**
 * A client-facing wire format: the runtime mounts {@link #path()} and runs every request through the same
 * pipeline, whatever provider answers. The OpenAI format is built in; a plugin adds another (e.g. a
 * {@code /v1/messages} format) by declaring an {@code @Extension} of this type.
 */
public interface IngressFormat extends ExtensionPoint {

  /** The POST path served, e.g. {@code /v1/messages}. */
  String path();

  /** The client's request in canonical form; throws a {@link GatewayError} (400) naming a bad field. */
  ChatRequest decodeRequest(JsonObject body, MultiMap headers);

  /** A complete response in this format. {@code request} is what the client sent (decoded). */
  Buffer encodeResponse(ChatResponse response, ChatRequest request);

  /** A fresh encoder for one streamed response. */
  StreamEncoder streamEncoder(ChatRequest request);

  /** An error body in this format (the runtime sets the HTTP status from the error's kind). */
  Buffer encodeError(GatewayError error);

  /** Encodes one stream into {@code text/event-stream} bytes; holds whatever state the format needs. */
  interface StreamEncoder {
    /** The bytes for one chunk; may be empty when the format emits nothing for it. */
    Buffer encode(ChatChunk chunk);

    /**
     * Appends the bytes for one chunk to {@code out}, the same bytes {@link #encode(ChatChunk)} answers (possibly
     * none). The relay gathers an event-loop turn's events this way; a format that writes them straight into
     * {@code out} saves a buffer per event.
     */
    default void encode(ChatChunk chunk, Buffer out) {
      out.appendBuffer(encode(chunk));
    }

    /** The closing bytes after the last chunk. */
    Buffer end();

    /** A well-formed in-stream error event, the last thing written. */
    Buffer error(GatewayError error);
  }
}
