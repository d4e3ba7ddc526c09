package dev.sluice.plugins.anthropic;

import dev.sluice.api.wire.JsonFields;

import static dev.sluice.plugins.anthropic.AnthropicProvider.UPSTREAM;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Choice;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.FinishReason;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.ToolCall;
import dev.sluice.api.model.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Anthropic message → canonical response; also the usage and stop reason mappings the stream shares. */
final class ResponseMapper {
  private ResponseMapper() {}

  static ChatResponse map(Buffer body, String jsonTool) {
    JsonObject o;
    try {
      o = new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      throw GatewayError.protocol("Anthropic sent a response that is not a JSON object: " + abbreviate(body), e);
    }
    String id = JsonFields.requireString(o, "id", "", UPSTREAM);
    String model = JsonFields.string(o, "model", "", UPSTREAM);
    JsonArray content = JsonFields.array(o, "content", "", UPSTREAM);
    StringBuilder text = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    boolean answeredByJsonTool = false;
    for (int i = 0; content != null && i < content.size(); i++) {
      JsonObject block = JsonFields.objectAt(content, i, "content", UPSTREAM);
      String path = "content[" + i + "]";
      String type = JsonFields.requireString(block, "type", path, UPSTREAM);
      if (type.equals("text")) {
        text.append(JsonFields.requireString(block, "text", path, UPSTREAM));
      } else if (type.equals("tool_use")) {
        String name = JsonFields.requireString(block, "name", path, UPSTREAM);
        Object input = block.getValue("input");
        String arguments = input == null ? "{}" : Json.encode(input);
        if (name.equals(jsonTool)) {
          text.append(arguments);
          answeredByJsonTool = true;
        } else {
          calls.add(new ToolCall(JsonFields.requireString(block, "id", path, UPSTREAM), name, arguments));
        }
      }
      // thinking, redacted_thinking and server tool blocks have no canonical form; they are left out.
    }
    String finish = finishReason(JsonFields.string(o, "stop_reason", "", UPSTREAM), answeredByJsonTool
        && calls.isEmpty());
    List<ContentPart> parts = text.length() == 0 ? List.of() : List.of(ContentPart.text(text.toString()));
    Message message = new Message(Role.ASSISTANT, parts, null, calls, null);
    JsonObject usage = JsonFields.object(o, "usage", "", UPSTREAM);
    return new ChatResponse(id, System.currentTimeMillis() / 1000, model, List.of(new Choice(0, message, finish,
        null)), usage == null ? null : usage(usage, "usage"), null);
  }

  /**
   * Anthropic's counts → canonical. Anthropic's {@code input_tokens} excludes the prompt cache; canonical
   * {@code promptTokens} counts every input token, so the cache reads and writes are added back.
   */
  static Usage usage(JsonObject u, String path) {
    int input = JsonFields.count(u, "input_tokens", path, UPSTREAM);
    int output = JsonFields.count(u, "output_tokens", path, UPSTREAM);
    int cacheRead = JsonFields.count(u, "cache_read_input_tokens", path, UPSTREAM);
    int cacheWrite = JsonFields.count(u, "cache_creation_input_tokens", path, UPSTREAM);
    int prompt = input + cacheRead + cacheWrite;
    return new Usage(prompt, output, prompt + output, cacheRead, cacheWrite, 0);
  }

  /**
   * Anthropic's stop reason → canonical. {@code jsonAnswer}: the model stopped to "call" the JSON answer tool,
   * which for the client is a finished answer.
   */
  static String finishReason(String stopReason, boolean jsonAnswer) {
    if (stopReason == null) return FinishReason.STOP;
    switch (stopReason) {
      case "max_tokens":
      case "model_context_window_exceeded":
        return FinishReason.LENGTH;
      case "tool_use":
        return jsonAnswer ? FinishReason.STOP : FinishReason.TOOL_CALLS;
      case "refusal":
        return FinishReason.CONTENT_FILTER;
      default:
        return FinishReason.STOP; // end_turn, stop_sequence, pause_turn
    }
  }

  static String abbreviate(Buffer body) {
    String s = body == null ? "" : body.toString().strip();
    return s.isEmpty() ? "(empty)" : s.length() > 200 ? s.substring(0, 197) + "..." : s;
  }
}
