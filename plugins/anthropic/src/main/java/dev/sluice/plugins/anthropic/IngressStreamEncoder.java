package dev.sluice.plugins.anthropic;

import dev.sluice.api.GatewayError;
import dev.sluice.api.IngressFormat;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatChunk.Delta;
import dev.sluice.api.model.ChatChunk.ToolCallDelta;
import dev.sluice.api.model.Usage;
import dev.sluice.api.wire.SseEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Canonical chunks → Anthropic's event sequence: {@code message_start}, then per content block
 * {@code content_block_start}, deltas and {@code content_block_stop} (text as one block, each tool call as its
 * own {@code tool_use} block with {@code input_json_delta} fragments), then {@code message_delta} with the stop
 * reason and usage, and {@code message_stop}. Canonical streams give the finish reason before the usage chunk,
 * so {@code message_delta} waits for {@link #end()}. Only the first choice is encoded: Anthropic has no
 * {@code n}.
 */
final class IngressStreamEncoder implements IngressFormat.StreamEncoder {
  private final String requestModel;
  private boolean started;
  private int nextBlock;
  private int openBlock = -1;
  private boolean openIsText;
  private final Map<Integer, Integer> blockOfCall = new HashMap<>();
  private String stopReason;
  private Usage usage;

  IngressStreamEncoder(String requestModel) {
    this.requestModel = requestModel;
  }

  @Override
  public Buffer encode(ChatChunk chunk) {
    Buffer out = Buffer.buffer();
    start(out, chunk.id(), chunk.model());
    if (chunk.usage() != null) usage = chunk.usage();
    for (Delta delta : chunk.choices()) {
      if (delta.index() != 0) continue;
      if (delta.content() != null && !delta.content().isEmpty()) {
        if (openBlock < 0 || !openIsText) {
          openBlock(out, new JsonObject().put("type", "text").put("text", ""), true);
        }
        event(out, "content_block_delta", new JsonObject().put("index", openBlock)
            .put("delta", new JsonObject().put("type", "text_delta").put("text", delta.content())));
      }
      for (ToolCallDelta call : delta.toolCalls()) toolCall(out, call);
      if (delta.finishReason() != null) {
        closeBlock(out);
        stopReason = IngressEncoder.stopReason(delta.finishReason());
      }
    }
    return out;
  }

  private void toolCall(Buffer out, ToolCallDelta call) {
    Integer block = blockOfCall.get(call.index());
    if (block == null) {
      openBlock(out, new JsonObject().put("type", "tool_use").put("id", IngressEncoder.toolUseId(call.id()))
          .put("name", call.name() == null ? "" : call.name()).put("input", new JsonObject()), false);
      block = openBlock;
      blockOfCall.put(call.index(), block);
    }
    if (call.arguments() != null && !call.arguments().isEmpty()) {
      event(out, "content_block_delta", new JsonObject().put("index", block)
          .put("delta", new JsonObject().put("type", "input_json_delta").put("partial_json", call.arguments())));
    }
  }

  @Override
  public Buffer end() {
    Buffer out = Buffer.buffer();
    start(out, null, requestModel);
    closeBlock(out);
    JsonObject delta = new JsonObject().put("stop_reason", stopReason == null ? "end_turn" : stopReason)
        .put("stop_sequence", null);
    event(out, "message_delta", new JsonObject().put("delta", delta).put("usage", IngressEncoder.usage(usage)));
    event(out, "message_stop", new JsonObject());
    return out;
  }

  @Override
  public Buffer error(GatewayError error) {
    return SseEvent.named("error", IngressEncoder.error(error).encode()).encode();
  }

  private void start(Buffer out, String id, String model) {
    if (started) return;
    started = true;
    JsonObject message = new JsonObject().put("id", IngressEncoder.messageId(id)).put("type", "message")
        .put("role", "assistant").put("model", model == null ? requestModel : model).put("content", new JsonArray())
        .put("stop_reason", null).put("stop_sequence", null).put("usage", IngressEncoder.usage(Usage.ZERO));
    event(out, "message_start", new JsonObject().put("message", message));
  }

  private void openBlock(Buffer out, JsonObject contentBlock, boolean text) {
    closeBlock(out);
    openBlock = nextBlock++;
    openIsText = text;
    event(out, "content_block_start", new JsonObject().put("index", openBlock).put("content_block", contentBlock));
  }

  private void closeBlock(Buffer out) {
    if (openBlock < 0) return;
    event(out, "content_block_stop", new JsonObject().put("index", openBlock));
    openBlock = -1;
  }

  /** {@code event: type} with the same {@code type} first in the data, as Anthropic sends it. */
  private static void event(Buffer out, String type, JsonObject fields) {
    JsonObject data = new JsonObject().put("type", type);
    fields.forEach(e -> data.put(e.getKey(), e.getValue()));
    out.appendBuffer(SseEvent.named(type, data.encode()).encode());
  }
}
