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
 * {@code /v1/messages} format) by declaring an {@code @Extension} of this type. One instance serves every
 * request, from several event loops at once: keep per-request state in the {@link StreamEncoder}.
 *
 * <p>{@code dev.sluice.tck.IngressFormatContractTest} in the plugin-api test-jar checks the contract below
 * against a client-side reader of the format; the built-in OpenAI and Anthropic formats run it.
 */
public interface IngressFormat extends ExtensionPoint {

  /** The POST path served, e.g. {@code /v1/messages}: absolute, no trailing slash, no query. */
  String path();

  /**
   * The client's request in canonical form.
   * <ul>
   *   <li>Every byte is hostile: a missing, out-of-range or wrong-typed field throws a {@link GatewayError} of
   *       kind {@code BAD_REQUEST} whose {@link GatewayError#param()} is the field's JSON path
   *       ({@code messages[2].content[0].type}) and whose message says what to send instead; never another
   *       exception.</li>
   *   <li>Must not modify {@code body}; the same body and headers always decode to equal requests.</li>
   *   <li>Decodes faithfully: when the format also has a canonical → wire encoder (a provider of the same API),
   *       encoding the decoded request and decoding it again gives an equal request.</li>
   * </ul>
   */
  ChatRequest decodeRequest(JsonObject body, MultiMap headers);

  /**
   * A complete response in this format. {@code request} is what the client sent (decoded). A client of the
   * format reads back the same text, tool calls (ids, names, arguments), finish reason, model and token counts.
   */
  Buffer encodeResponse(ChatResponse response, ChatRequest request);

  /** A fresh encoder for one streamed response, sharing no state with any other. */
  StreamEncoder streamEncoder(ChatRequest request);

  /**
   * An error body in this format for any kind of error (the runtime sets the HTTP status from the error's kind):
   * a JSON object that carries the error's message unchanged.
   */
  Buffer encodeError(GatewayError error);

  /**
   * Encodes one stream into {@code text/event-stream} bytes; holds whatever state the format needs. Every piece
   * it answers is whole events (each ends with a blank line), whose data is JSON or the format's end marker; a
   * client of the format reads the events, then {@link #end()}, back to the chunks' text, tool calls, finish
   * reason and usage.
   */
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

    /** One well-formed in-stream error event carrying the error's message, the last thing written. */
    Buffer error(GatewayError error);
  }
}
