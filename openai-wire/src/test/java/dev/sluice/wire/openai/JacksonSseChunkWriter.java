package dev.sluice.wire.openai;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The Jackson-generator writer that SseChunkWriter replaced, kept as the test oracle: the hand-written writer must
 * produce exactly these bytes. (Its original comment follows.)
 *
 * <p>Writes an OpenAI stream chunk as one SSE event ({@code data: {...}\n\n}) straight to bytes with Jackson's
 * generator. The same JSON as {@link OpenAiResponses#encode(ChatChunk)}, without building a JSON tree first:
 * it runs for every event of every stream.
 */
final class JacksonSseChunkWriter {
  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] PREFIX = "data: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] SUFFIX = "\n\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private JacksonSseChunkWriter() {}

  public static Buffer event(ChatChunk chunk) {
    ByteArrayBuilder out = new ByteArrayBuilder(512);
    try {
      out.write(PREFIX);
      try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
        write(g, chunk);
      }
      out.write(SUFFIX);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory does not fail
    }
    return Buffer.buffer(out.toByteArray());
  }

  private static void write(JsonGenerator g, ChatChunk chunk) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", chunk.id());
    g.writeStringField("object", "chat.completion.chunk");
    g.writeNumberField("created", chunk.created());
    g.writeStringField("model", chunk.model());
    if (chunk.systemFingerprint() != null) g.writeStringField("system_fingerprint", chunk.systemFingerprint());
    g.writeArrayFieldStart("choices");
    for (ChatChunk.Delta d : chunk.choices()) {
      g.writeStartObject();
      g.writeNumberField("index", d.index());
      g.writeObjectFieldStart("delta");
      if (d.role() != null) g.writeStringField("role", d.role().wire());
      if (d.content() != null) g.writeStringField("content", d.content());
      if (!d.toolCalls().isEmpty()) {
        g.writeArrayFieldStart("tool_calls");
        for (ChatChunk.ToolCallDelta t : d.toolCalls()) {
          g.writeStartObject();
          g.writeNumberField("index", t.index());
          if (t.id() != null) {
            g.writeStringField("id", t.id());
            g.writeStringField("type", "function");
          }
          g.writeObjectFieldStart("function");
          if (t.name() != null) g.writeStringField("name", t.name());
          if (t.arguments() != null) g.writeStringField("arguments", t.arguments());
          g.writeEndObject();
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeEndObject();
      g.writeFieldName("logprobs");
      writeRaw(g, d.logprobs());
      g.writeFieldName("finish_reason");
      if (d.finishReason() == null) g.writeNull();
      else g.writeString(d.finishReason());
      g.writeEndObject();
    }
    g.writeEndArray();
    if (chunk.usage() != null) writeUsage(g, chunk.usage());
    g.writeEndObject();
  }

  private static void writeUsage(JsonGenerator g, Usage u) throws IOException {
    g.writeObjectFieldStart("usage");
    g.writeNumberField("prompt_tokens", u.promptTokens());
    g.writeNumberField("completion_tokens", u.completionTokens());
    g.writeNumberField("total_tokens", u.totalTokens());
    g.writeObjectFieldStart("prompt_tokens_details");
    g.writeNumberField("cached_tokens", u.cachedTokens());
    g.writeEndObject();
    g.writeObjectFieldStart("completion_tokens_details");
    g.writeNumberField("reasoning_tokens", u.reasoningTokens());
    g.writeEndObject();
    g.writeEndObject();
  }

  /** Rare pass-through objects (logprobs) keep Vert.x's encoding. */
  private static void writeRaw(JsonGenerator g, JsonObject value) throws IOException {
    if (value == null) g.writeNull();
    else g.writeRawValue(value.encode());
  }
}
