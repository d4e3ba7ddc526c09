package dev.sluice.plugins.anthropic;

import dev.sluice.plugins.anthropic.FakeAnthropic.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The fake's deterministic answers, as the provider TCK expects them: text that repeats the last user message;
 * with tools (not disabled) and a user message last, a call of the named or first tool with every required
 * property filled; after a tool result, text that repeats the result. Token counts are a quarter of the chars.
 */
final class FakeAnswers {
  private FakeAnswers() {}

  static Reply answer(JsonObject request, int cachedTokens) {
    JsonArray messages = request.getJsonArray("messages");
    JsonObject last = messages.getJsonObject(messages.size() - 1);
    JsonArray tools = request.getJsonArray("tools");
    JsonObject choice = request.getJsonObject("tool_choice");
    String results = toolResults(last);
    JsonArray content = new JsonArray();
    String stopReason = "end_turn";
    if (!results.isEmpty()) {
      content.add(text("The tool answered: " + results));
    } else if (tools != null && !tools.isEmpty() && (choice == null || !"none".equals(choice.getString("type")))) {
      JsonObject tool = chosen(tools, choice);
      content.add(new JsonObject().put("type", "tool_use").put("id", "toolu_fake" + messages.size())
          .put("name", tool.getString("name")).put("input", sampleInput(tool.getJsonObject("input_schema"))));
      stopReason = "tool_use";
    } else {
      content.add(text("You said: " + texts(last.getValue("content"))));
    }
    int input = tokens(request.getJsonArray("messages").encode()) + tokens(String.valueOf(request.getValue("system")));
    int output = tokens(content.encode());
    JsonObject usage = new JsonObject().put("input_tokens", input).put("cache_creation_input_tokens", 0)
        .put("cache_read_input_tokens", cachedTokens).put("output_tokens", output);
    return new Reply(content, stopReason, usage);
  }

  static int images(JsonObject request) {
    int n = 0;
    for (Object m : request.getJsonArray("messages")) {
      if (((JsonObject) m).getValue("content") instanceof JsonArray blocks) n += images(blocks);
    }
    return n;
  }

  private static int images(JsonArray blocks) {
    int n = 0;
    for (Object b : blocks) {
      JsonObject block = (JsonObject) b;
      if ("image".equals(block.getString("type"))) n++;
      if (block.getValue("content") instanceof JsonArray inner) n += images(inner);
    }
    return n;
  }

  private static JsonObject chosen(JsonArray tools, JsonObject choice) {
    if (choice != null && "tool".equals(choice.getString("type"))) {
      for (Object t : tools) {
        if (((JsonObject) t).getString("name").equals(choice.getString("name"))) return (JsonObject) t;
      }
    }
    return tools.getJsonObject(0);
  }

  private static JsonObject sampleInput(JsonObject schema) {
    JsonObject input = new JsonObject();
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    for (Object name : schema.getJsonArray("required", new JsonArray())) {
      String type = properties.getJsonObject((String) name, new JsonObject()).getString("type", "string");
      input.put((String) name, switch (type) {
        case "integer", "number" -> 1;
        case "boolean" -> true;
        case "object" -> new JsonObject();
        case "array" -> new JsonArray();
        default -> "sample " + name;
      });
    }
    return input;
  }

  private static String toolResults(JsonObject message) {
    StringBuilder sb = new StringBuilder();
    if (message.getValue("content") instanceof JsonArray blocks) {
      for (Object b : blocks) {
        JsonObject block = (JsonObject) b;
        if ("tool_result".equals(block.getString("type"))) sb.append(texts(block.getValue("content")));
      }
    }
    return sb.toString();
  }

  private static String texts(Object content) {
    if (content instanceof String s) return s;
    StringBuilder sb = new StringBuilder();
    if (content instanceof JsonArray blocks) {
      for (Object b : blocks) {
        JsonObject block = (JsonObject) b;
        if ("text".equals(block.getString("type"))) sb.append(block.getString("text"));
      }
    }
    return sb.toString();
  }

  private static JsonObject text(String text) {
    return new JsonObject().put("type", "text").put("text", text);
  }

  private static int tokens(String s) {
    return Math.max(1, s.length() / 4);
  }
}
