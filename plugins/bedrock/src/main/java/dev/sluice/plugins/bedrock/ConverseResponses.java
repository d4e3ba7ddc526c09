package dev.sluice.plugins.bedrock;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Choice;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.FinishReason;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.ToolCall;
import dev.sluice.api.model.Usage;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Converse response → canonical, plus the stop-reason and usage mappings the stream shares. */
final class ConverseResponses {
  private ConverseResponses() {}

  /**
   * {@code {"output":{"message":{"content":[...]}},"stopReason":..,"usage":{..}}}. With {@code jsonMode}, the
   * {@value ConverseRequests#JSON_TOOL} call's input is the answer's text.
   */
  static ChatResponse decode(JsonObject body, String id, long created, String model, boolean jsonMode) {
    JsonObject message = object(object(body, "output", "output"), "message", "output.message");
    JsonArray content = array(message, "content", "output.message.content");
    StringBuilder text = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    boolean answeredByJsonTool = false;
    for (int i = 0; i < content.size(); i++) {
      if (!(content.getValue(i) instanceof JsonObject block)) {
        throw malformed("output.message.content[" + i + "]", "expected an object");
      }
      if (block.getValue("text") instanceof String s) {
        text.append(s);
      } else if (block.getValue("toolUse") instanceof JsonObject use) {
        String at = "output.message.content[" + i + "].toolUse";
        String name = string(use, "name", at);
        String arguments = Json.encode(use.getValue("input") == null ? new JsonObject() : use.getValue("input"));
        if (jsonMode && ConverseRequests.JSON_TOOL.equals(name)) {
          text.append(arguments);
          answeredByJsonTool = true;
        } else {
          calls.add(new ToolCall(string(use, "toolUseId", at), name, arguments));
        }
      }
      // reasoningContent, citations and guard content have no canonical field: they are left out
    }
    String finish = finishReason(body.getString("stopReason"));
    if (answeredByJsonTool && calls.isEmpty() && FinishReason.TOOL_CALLS.equals(finish)) finish = FinishReason.STOP;
    List<ContentPart> parts = text.length() == 0 ? List.of() : List.of(ContentPart.text(text.toString()));
    Message answer = new Message(Role.ASSISTANT, parts, null, calls, null);
    Usage usage = body.getValue("usage") instanceof JsonObject u ? usage(u) : null;
    return new ChatResponse(id, created, model, List.of(new Choice(0, answer, finish, null)), usage, null);
  }

  /** Bedrock's stop reasons → OpenAI's. An unknown reason passes through as it came. */
  static String finishReason(String stopReason) {
    if (stopReason == null) return FinishReason.STOP;
    switch (stopReason) {
      case "end_turn":
      case "stop_sequence":
        return FinishReason.STOP;
      case "max_tokens":
      case "model_context_window_exceeded":
        return FinishReason.LENGTH;
      case "tool_use":
        return FinishReason.TOOL_CALLS;
      case "guardrail_intervened":
      case "content_filtered":
        return FinishReason.CONTENT_FILTER;
      default:
        return stopReason;
    }
  }

  /**
   * Bedrock counts {@code inputTokens} apart from {@code cacheReadInputTokens} and {@code cacheWriteInputTokens};
   * the canonical {@code promptTokens} includes both, so they are added back. The total is recomputed from the
   * parts, so it always agrees with them.
   */
  static Usage usage(JsonObject u) {
    int input = count(u, "inputTokens");
    int output = count(u, "outputTokens");
    int cacheRead = count(u, "cacheReadInputTokens");
    int cacheWrite = count(u, "cacheWriteInputTokens");
    int prompt = input + cacheRead + cacheWrite;
    return new Usage(prompt, output, prompt + output, cacheRead, cacheWrite, 0);
  }

  private static int count(JsonObject o, String key) {
    Object v = o.getValue(key);
    if (v == null) return 0;
    if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= 0
        && ((Number) v).longValue() <= Integer.MAX_VALUE) {
      return ((Number) v).intValue();
    }
    throw malformed("usage." + key, "expected a token count, got " + v);
  }

  static GatewayError malformed(String path, String problem) {
    return GatewayError.protocol("Bedrock's response is malformed at '" + path + "': " + problem);
  }

  static JsonObject object(JsonObject o, String key, String path) {
    if (o.getValue(key) instanceof JsonObject v) return v;
    throw malformed(path, "expected an object");
  }

  static JsonArray array(JsonObject o, String key, String path) {
    if (o.getValue(key) instanceof JsonArray v) return v;
    throw malformed(path, "expected an array");
  }

  static String string(JsonObject o, String key, String parent) {
    if (o.getValue(key) instanceof String v) return v;
    throw malformed(parent + "." + key, "expected a string");
  }
}
