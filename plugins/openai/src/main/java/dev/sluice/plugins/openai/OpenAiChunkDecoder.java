package dev.sluice.plugins.openai;

import dev.sluice.api.ChunkDecoder;
import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.wire.OpenAiErrors;
import dev.sluice.api.wire.OpenAiChunkReader;
import dev.sluice.api.wire.SseEvent;
import dev.sluice.api.wire.SseParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
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
  private final SseParser parser = new SseParser(this::onEvent);
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

  private void onEvent(SseEvent event) {
    if (done) return;
    String data = event.data();
    if (DONE.equals(data.strip())) {
      done = true;
      return;
    }
    if (data.isBlank()) return;
    if ("error".equals(event.event())) throw streamError(parse(data));
    ChatChunk chunk;
    try {
      chunk = reader.read(data);
    } catch (GatewayError malformed) {
      // An error event whose other fields are odd is still an error event: classify it from the tree.
      if (data.contains("\"error\"") && parse(data).getValue("error") != null) throw streamError(parse(data));
      throw malformed;
    }
    if (chunk == null) throw streamError(parse(data));
    sink.accept(chunk);
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
