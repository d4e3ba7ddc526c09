package dev.sluice.plugins.anthropic;

import dev.sluice.api.wire.JsonFields;

import static dev.sluice.plugins.anthropic.AnthropicProvider.UPSTREAM;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatChunk.Delta;
import dev.sluice.api.model.ChatChunk.ToolCallDelta;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.Usage;
import dev.sluice.api.wire.SseEvent;
import dev.sluice.api.wire.SseParser;
import dev.sluice.kit.ChunkDecoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Anthropic's streaming events → canonical chunks, event by event. Content blocks carry Anthropic's indices
 * (text, thinking and tool blocks share one sequence); canonical tool calls are numbered 0..n-1 per message,
 * so each {@code tool_use} block gets the next call index when it starts.
 */
final class StreamDecoder implements ChunkDecoder {
  private enum Block { TEXT, TOOL, JSON_ANSWER, IGNORED }

  private final String provider;
  private final String jsonTool;
  private final boolean includeUsage;
  private final SseParser parser = new SseParser(this::onEvent);
  private final Map<Integer, Block> blocks = new HashMap<>();
  private final Map<Integer, Integer> callIndexOfBlock = new HashMap<>();
  private Consumer<ChatChunk> sink;
  private String id;
  private String model;
  private final long created = System.currentTimeMillis() / 1000;
  private JsonObject usage = new JsonObject();
  private boolean started;
  private boolean stopped;
  private boolean answeredByJsonTool;

  StreamDecoder(String provider, String jsonTool, boolean includeUsage) {
    this.provider = provider;
    this.jsonTool = jsonTool;
    this.includeUsage = includeUsage;
  }

  @Override
  public void decode(Buffer bytes, Consumer<ChatChunk> sink) {
    this.sink = sink;
    parser.feed(bytes);
  }

  @Override
  public void finish(Consumer<ChatChunk> sink) {
    this.sink = sink;
    if (!stopped) {
      throw GatewayError.protocol(provider + " (Anthropic) closed the stream before message_stop"
          + (started ? " (the answer is incomplete)" : " (no message started)"));
    }
  }

  private void onEvent(SseEvent event) {
    if (stopped) return;
    if ("error".equals(event.event())) throw Errors.fromEvent(event.data(), provider);
    JsonObject data;
    try {
      data = new JsonObject(event.data());
    } catch (DecodeException | ClassCastException e) {
      throw GatewayError.protocol(provider + " (Anthropic) sent a stream event that is not JSON: "
          + ResponseMapper.abbreviate(Buffer.buffer(event.data())), e);
    }
    String type = data.getValue("type") instanceof String t ? t : event.event();
    if (type == null) throw GatewayError.protocol(provider + " (Anthropic) sent a stream event without a type");
    if (!started && !type.equals("message_start") && !type.equals("ping") && !type.equals("error")) {
      throw GatewayError.protocol(provider + " (Anthropic) sent " + type + " before message_start");
    }
    switch (type) {
      case "message_start" -> onMessageStart(data);
      case "content_block_start" -> onBlockStart(data);
      case "content_block_delta" -> onBlockDelta(data);
      case "message_delta" -> onMessageDelta(data);
      case "message_stop" -> onMessageStop();
      case "error" -> throw Errors.fromEvent(event.data(), provider);
      default -> { } // ping, content_block_stop, and event types added later need nothing
    }
  }

  private void onMessageStart(JsonObject data) {
    JsonObject message = JsonFields.object(data, "message", "message_start", UPSTREAM);
    if (message == null) throw GatewayError.protocol(provider + " (Anthropic) sent message_start without a message");
    id = JsonFields.requireString(message, "id", "message_start.message", UPSTREAM);
    model = JsonFields.string(message, "model", "message_start.message", UPSTREAM);
    JsonObject u = JsonFields.object(message, "usage", "message_start.message", UPSTREAM);
    if (u != null) usage = u.copy();
    started = true;
    emit(new Delta(0, Role.ASSISTANT, "", null, null, null));
  }

  private void onBlockStart(JsonObject data) {
    int index = blockIndex(data, "content_block_start");
    JsonObject block = JsonFields.object(data, "content_block", "content_block_start", UPSTREAM);
    String type = block == null ? null : JsonFields.string(block, "type", "content_block_start.content_block", UPSTREAM);
    if ("text".equals(type)) {
      blocks.put(index, Block.TEXT);
      String text = JsonFields.string(block, "text", "content_block_start.content_block", UPSTREAM);
      if (text != null && !text.isEmpty()) emit(Delta.text(0, text));
    } else if ("tool_use".equals(type)) {
      String name = JsonFields.requireString(block, "name", "content_block_start.content_block", UPSTREAM);
      if (name.equals(jsonTool)) {
        blocks.put(index, Block.JSON_ANSWER);
        answeredByJsonTool = true;
        return;
      }
      blocks.put(index, Block.TOOL);
      int call = callIndexOfBlock.size();
      callIndexOfBlock.put(index, call);
      String callId = JsonFields.requireString(block, "id", "content_block_start.content_block", UPSTREAM);
      emit(new Delta(0, null, null, List.of(new ToolCallDelta(call, callId, name, "")), null, null));
    } else {
      blocks.put(index, Block.IGNORED); // thinking, redacted_thinking, server tools: no canonical form
    }
  }

  private void onBlockDelta(JsonObject data) {
    int index = blockIndex(data, "content_block_delta");
    Block block = blocks.get(index);
    if (block == null) {
      throw GatewayError.protocol(provider + " (Anthropic) sent a delta for content block " + index
          + ", which never started");
    }
    JsonObject delta = JsonFields.object(data, "delta", "content_block_delta", UPSTREAM);
    String type = delta == null ? null : JsonFields.string(delta, "type", "content_block_delta.delta", UPSTREAM);
    if ("text_delta".equals(type) && block == Block.TEXT) {
      String text = JsonFields.requireString(delta, "text", "content_block_delta.delta", UPSTREAM);
      if (!text.isEmpty()) emit(Delta.text(0, text));
    } else if ("input_json_delta".equals(type) && block != Block.IGNORED && block != Block.TEXT) {
      String fragment = JsonFields.requireString(delta, "partial_json", "content_block_delta.delta", UPSTREAM);
      if (fragment.isEmpty()) return;
      if (block == Block.JSON_ANSWER) {
        emit(Delta.text(0, fragment));
      } else {
        emit(new Delta(0, null, null, List.of(new ToolCallDelta(callIndexOfBlock.get(index), null, null, fragment)),
            null, null));
      }
    }
    // thinking_delta, signature_delta, citations_delta and deltas of ignored blocks carry nothing canonical.
  }

  private void onMessageDelta(JsonObject data) {
    JsonObject u = JsonFields.object(data, "usage", "message_delta", UPSTREAM);
    if (u != null) {
      // Counts in message_delta are cumulative: they replace what message_start said, field by field.
      for (String key : u.fieldNames()) {
        if (u.getValue(key) != null) usage.put(key, u.getValue(key));
      }
    }
    JsonObject delta = JsonFields.object(data, "delta", "message_delta", UPSTREAM);
    String stopReason = delta == null ? null : JsonFields.string(delta, "stop_reason", "message_delta.delta", UPSTREAM);
    if (stopReason != null) {
      emit(Delta.finish(0, ResponseMapper.finishReason(stopReason, answeredByJsonTool && callIndexOfBlock.isEmpty())));
    }
  }

  private void onMessageStop() {
    stopped = true;
    if (includeUsage) sink.accept(new ChatChunk(id, created, model, List.of(), usage(), null));
  }

  Usage usage() {
    return ResponseMapper.usage(usage, "usage");
  }

  private int blockIndex(JsonObject data, String event) {
    Integer index = JsonFields.integer(data, "index", event, UPSTREAM);
    if (index == null) throw GatewayError.protocol(provider + " (Anthropic) sent " + event + " without an index");
    return index;
  }

  private void emit(Delta delta) {
    sink.accept(new ChatChunk(id, created, model, List.of(delta), null, null));
  }
}
