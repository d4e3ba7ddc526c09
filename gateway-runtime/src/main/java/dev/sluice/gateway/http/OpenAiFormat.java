package dev.sluice.gateway.http;

import dev.sluice.api.GatewayError;
import dev.sluice.api.IngressFormat;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.wire.openai.OpenAiErrors;
import dev.sluice.wire.openai.OpenAiRequests;
import dev.sluice.wire.openai.OpenAiResponses;
import dev.sluice.wire.openai.SseChunkWriter;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** The built-in client format: OpenAI Chat Completions at {@code /v1/chat/completions}. */
final class OpenAiFormat implements IngressFormat {
  static final OpenAiFormat INSTANCE = new OpenAiFormat();
  private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

  @Override
  public String path() {
    return "/v1/chat/completions";
  }

  @Override
  public ChatRequest decodeRequest(JsonObject body, MultiMap headers) {
    return OpenAiRequests.decodeChat(body);
  }

  @Override
  public Buffer encodeResponse(ChatResponse response, ChatRequest request) {
    return OpenAiResponses.encode(response).toBuffer();
  }

  @Override
  public StreamEncoder streamEncoder(ChatRequest request) {
    return new StreamEncoder() {
      private final SseChunkWriter writer = new SseChunkWriter();

      @Override
      public Buffer encode(ChatChunk chunk) {
        return writer.write(chunk);
      }

      @Override
      public void encode(ChatChunk chunk, Buffer out) {
        writer.write(chunk, out);
      }

      @Override
      public Buffer end() {
        return DONE;
      }

      @Override
      public Buffer error(GatewayError error) {
        // OpenAI's own form of a late failure: a data event holding an error object, no [DONE] after it.
        return sse(OpenAiErrors.encode(error));
      }
    };
  }

  @Override
  public Buffer encodeError(GatewayError error) {
    return OpenAiErrors.encode(error).toBuffer();
  }

  private static Buffer sse(JsonObject json) {
    Buffer encoded = json.toBuffer();
    return Buffer.buffer(encoded.length() + 8).appendString("data: ").appendBuffer(encoded).appendString("\n\n");
  }
}
