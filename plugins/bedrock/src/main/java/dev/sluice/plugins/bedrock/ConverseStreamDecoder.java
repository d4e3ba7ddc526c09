package dev.sluice.plugins.bedrock;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatChunk.Delta;
import dev.sluice.api.model.ChatChunk.ToolCallDelta;
import dev.sluice.api.model.FinishReason;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.Usage;
import dev.sluice.kit.ChunkDecoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.eventstream.Message;

/**
 * ConverseStream frames → canonical chunks. Events ({@code :message-type: event}) by {@code :event-type}:
 * {@code messageStart} gives the role chunk; {@code contentBlockStart} opens a tool call (id and name);
 * {@code contentBlockDelta} adds text or a fragment of a tool call's input; {@code messageStop} gives the
 * finish chunk; {@code metadata} the usage chunk (when the client asked for usage). An exception frame
 * ({@code :message-type: exception}) fails the stream with the kind its {@code :exception-type} means, and a
 * stream that ends before {@code messageStop} and {@code metadata} is a protocol error.
 *
 * <p>In JSON mode the {@value ConverseRequests#JSON_TOOL} call's input fragments are the answer's text.
 */
final class ConverseStreamDecoder implements ChunkDecoder {
  private final String provider;
  private final String id;
  private final long created;
  private final String model;
  private final boolean includeUsage;
  private final boolean jsonMode;
  private final EventStreamFrames frames = new EventStreamFrames(this::onFrame);
  /** contentBlockIndex → index of the tool call it carries. */
  private final Map<Integer, Integer> toolBlocks = new HashMap<>();
  private final Set<Integer> jsonBlocks = new HashSet<>();
  private Consumer<ChatChunk> sink;
  private boolean started;
  private boolean stopped;
  private boolean metadata;

  ConverseStreamDecoder(String provider, String id, long created, String model, boolean includeUsage,
                        boolean jsonMode) {
    this.provider = provider;
    this.id = id;
    this.created = created;
    this.model = model;
    this.includeUsage = includeUsage;
    this.jsonMode = jsonMode;
  }

  @Override
  public void decode(Buffer bytes, Consumer<ChatChunk> sink) {
    this.sink = sink;
    frames.feed(bytes);
  }

  @Override
  public void finish(Consumer<ChatChunk> sink) {
    if (!stopped) throw GatewayError.protocol(provider + " (Bedrock) ended the stream before its messageStop event");
    if (!metadata) throw GatewayError.protocol(provider + " (Bedrock) ended the stream before its metadata event");
  }

  private void onFrame(Message frame) {
    String type = EventStreamFrames.header(frame, ":message-type");
    if ("exception".equals(type)) {
      throw BedrockErrors.fromStream(provider, EventStreamFrames.header(frame, ":exception-type"), frame.getPayload());
    }
    if ("error".equals(type)) {
      String message = EventStreamFrames.header(frame, ":error-message");
      throw BedrockErrors.fromStream(provider, EventStreamFrames.header(frame, ":error-code"),
          new JsonObject().put("message", message == null ? "" : message).toBuffer().getBytes());
    }
    if (!"event".equals(type)) {
      throw GatewayError.protocol(provider + " (Bedrock) sent an event-stream frame of :message-type " + type);
    }
    String event = EventStreamFrames.header(frame, ":event-type");
    if (event == null) throw GatewayError.protocol(provider + " (Bedrock) sent an event without :event-type");
    onEvent(event, payload(event, frame));
  }

  private void onEvent(String event, JsonObject e) {
    switch (event) {
      case "messageStart":
        roleFirst();
        break;
      case "contentBlockStart":
        roleFirst();
        blockStart(e);
        break;
      case "contentBlockDelta":
        roleFirst();
        blockDelta(e);
        break;
      case "messageStop":
        stopped = true;
        String finish = ConverseResponses.finishReason(e.getString("stopReason"));
        if (FinishReason.TOOL_CALLS.equals(finish) && toolBlocks.isEmpty() && !jsonBlocks.isEmpty()) {
          finish = FinishReason.STOP; // the JSON tool's call was the answer
        }
        emit(List.of(Delta.finish(0, finish)), null);
        break;
      case "metadata":
        metadata = true;
        if (includeUsage && e.getValue("usage") instanceof JsonObject usage) {
          emit(List.of(), ConverseResponses.usage(usage));
        }
        break;
      default:
        break; // contentBlockStop, and events newer than this decoder, carry nothing to forward
    }
  }

  private void roleFirst() {
    if (started) return;
    started = true;
    emit(List.of(new Delta(0, Role.ASSISTANT, "", null, null, null)), null);
  }

  private void blockStart(JsonObject e) {
    JsonObject start = e.getValue("start") instanceof JsonObject s ? s : new JsonObject();
    if (!(start.getValue("toolUse") instanceof JsonObject use)) return;
    int block = blockIndex(e);
    String name = ConverseResponses.string(use, "name", "contentBlockStart.start.toolUse");
    if (jsonMode && ConverseRequests.JSON_TOOL.equals(name)) {
      jsonBlocks.add(block);
      return;
    }
    int index = toolBlocks.size();
    toolBlocks.put(block, index);
    String toolUseId = ConverseResponses.string(use, "toolUseId", "contentBlockStart.start.toolUse");
    emit(List.of(new Delta(0, null, null, List.of(new ToolCallDelta(index, toolUseId, name, "")), null, null)), null);
  }

  private void blockDelta(JsonObject e) {
    JsonObject delta = ConverseResponses.object(e, "delta", "contentBlockDelta.delta");
    if (delta.getValue("text") instanceof String text) {
      if (!text.isEmpty()) emit(List.of(Delta.text(0, text)), null);
      return;
    }
    if (!(delta.getValue("toolUse") instanceof JsonObject use)) return; // reasoningContent, citations: no field
    int block = blockIndex(e);
    String input = use.getValue("input") instanceof String s ? s : "";
    if (jsonBlocks.contains(block)) {
      if (!input.isEmpty()) emit(List.of(Delta.text(0, input)), null);
      return;
    }
    Integer index = toolBlocks.get(block);
    if (index == null) {
      throw GatewayError.protocol(provider + " (Bedrock) sent tool input for content block " + block
          + " before its contentBlockStart");
    }
    if (!input.isEmpty()) {
      emit(List.of(new Delta(0, null, null, List.of(new ToolCallDelta(index, null, null, input)), null, null)), null);
    }
  }

  private int blockIndex(JsonObject e) {
    if (e.getValue("contentBlockIndex") instanceof Integer i) return i;
    throw ConverseResponses.malformed("contentBlockIndex", "expected an integer");
  }

  private JsonObject payload(String event, Message frame) {
    byte[] bytes = frame.getPayload();
    if (bytes.length == 0) return new JsonObject();
    try {
      return new JsonObject(Buffer.buffer(bytes));
    } catch (DecodeException | ClassCastException e) {
      throw GatewayError.protocol(provider + " (Bedrock) sent a " + event + " event whose payload is not JSON", e);
    }
  }

  private void emit(List<Delta> deltas, Usage usage) {
    sink.accept(new ChatChunk(id, created, model, deltas, usage, null));
  }
}
