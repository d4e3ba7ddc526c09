package dev.sluice.plugins.openai;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.wire.SseParser;
import dev.sluice.kit.ChunkDecoder;
import dev.sluice.wire.openai.OpenAiChunkReader;
import dev.sluice.wire.openai.OpenAiErrors;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * OpenAI's chat completion stream: {@code data: {chunk}} events up to {@code data: [DONE]}. An
 * {@code {"error":...}} event becomes the {@link GatewayError} its type or code means; a chunk that is not
 * JSON, or a stream that ends before {@code [DONE]}, is a protocol error.
 */
final class OpenAiChunkDecoder implements ChunkDecoder {
  private static final String DONE = "[DONE]";

  private final String upstream;
  private final SseParser parser = SseParser.ofBytes(this::onEvent);
  private final OpenAiChunkReader reader;
  private Consumer<ChatChunk> sink;
  private boolean done;

  OpenAiChunkDecoder(String upstream) {
    this.upstream = upstream;
    this.reader = new OpenAiChunkReader(upstream);
  }

  @Override
  public void decode(Buffer bytes, Consumer<ChatChunk> sink) {
    if (done) return;
    this.sink = sink;
    try {
      parser.feed(bytes);
    } finally {
      this.sink = null;
    }
  }

  @Override
  public void finish(Consumer<ChatChunk> sink) {
    if (!done) {
      throw GatewayError.protocol(upstream + " ended its stream without data: [DONE]; the answer may be incomplete");
    }
  }

  private void onEvent(String event, byte[] bytes, int offset, int length, String id) {
    if (done) return;
    // The usual event, a chunk object, is read straight from its bytes (it cannot be [DONE] or blank); anything
    // else is decoded to text first. Both ways give the same chunk or the same error.
    if (length > 0 && bytes[offset] == '{' && !"error".equals(event)) {
      ChatChunk chunk;
      try {
        chunk = reader.read(bytes, offset, length);
      } catch (GatewayError malformed) {
        throw malformedOrError(new String(bytes, offset, length, StandardCharsets.UTF_8), malformed);
      }
      if (chunk == null) throw streamError(parse(new String(bytes, offset, length, StandardCharsets.UTF_8)));
      sink.accept(chunk);
      return;
    }
    onEvent(event, new String(bytes, offset, length, StandardCharsets.UTF_8));
  }

  private void onEvent(String event, String data) {
    if (DONE.equals(data.strip())) {
      done = true;
      return;
    }
    if (data.isBlank()) return;
    if ("error".equals(event)) throw streamError(parse(data));
    ChatChunk chunk;
    try {
      chunk = reader.read(data);
    } catch (GatewayError malformed) {
      throw malformedOrError(data, malformed);
    }
    if (chunk == null) throw streamError(parse(data));
    sink.accept(chunk);
  }

  /** An error event whose other fields are odd is still an error event: classified from the tree. */
  private GatewayError malformedOrError(String data, GatewayError malformed) {
    if (data.contains("\"error\"") && parse(data).getValue("error") != null) return streamError(parse(data));
    return malformed;
  }

  private JsonObject parse(String data) {
    try {
      return new JsonObject(data);
    } catch (RuntimeException e) {
      String shown = data.length() > 200 ? data.substring(0, 200) + "..." : data;
      throw GatewayError.protocol(upstream + " sent a stream chunk that is not a JSON object: " + shown, e);
    }
  }

  /** Classifies an in-stream error as the status OpenAI would have answered for it before the stream began. */
  private GatewayError streamError(JsonObject o) {
    JsonObject error = o.getValue("error") instanceof JsonObject e ? e : o;
    String hint = (error.getValue("type") + " " + error.getValue("code")).toLowerCase(Locale.ROOT);
    int status;
    if (hint.contains("rate_limit")) {
      status = 429;
    } else if (hint.contains("invalid_request") || hint.contains("context_length")) {
      status = 400;
    } else if (hint.contains("authentication") || hint.contains("invalid_api_key")) {
      status = 401;
    } else {
      status = 500;
    }
    return OpenAiErrors.decode(status, Buffer.buffer(o.encode()), upstream + " (mid-stream)", null);
  }
}
