package dev.sluice.plugins.anthropic;

import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ResponseFormat;
import dev.sluice.api.model.Tool;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * OpenAI's {@code response_format} on a Messages API that has no such field.
 *
 * <p>{@code json_object}: a system instruction asking for one JSON object and nothing else. Claude follows it
 * reliably; nothing stronger exists without a schema.
 *
 * <p>{@code json_schema}: a tool whose {@code input_schema} is the schema, forced with
 * {@code tool_choice: {type: tool}} when the request has no tools of its own. Anthropic validates tool input
 * against the schema's shape and the model must call it, so the answer is the tool's input, which the
 * response and stream decoders turn back into text content with finish reason {@code stop}. This works on every
 * Claude model, streams (as {@code input_json_delta}), and needs no beta header; a prompt-only instruction
 * would not bind the shape. When the request brings its own tools, forcing would forbid them, so the answer tool
 * is offered alongside them and the system instruction tells the model to answer through it.
 */
final class JsonMode {
  static final String DEFAULT_TOOL = "json_response";
  private static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
  static final String OBJECT_INSTRUCTION = "Respond with a single valid JSON object and nothing else: no prose, "
      + "no Markdown code fences.";

  private JsonMode() {}

  static boolean wantsObject(ChatRequest r) {
    return r.responseFormat() != null && r.responseFormat().type() == ResponseFormat.Type.JSON_OBJECT;
  }

  static boolean wantsSchema(ChatRequest r) {
    return r.responseFormat() != null && r.responseFormat().type() == ResponseFormat.Type.JSON_SCHEMA;
  }

  /** The answer tool's name: the schema's name when it is a valid tool name no request tool uses. */
  static String toolName(ChatRequest r) {
    String name = r.responseFormat().name();
    if (name == null || !TOOL_NAME.matcher(name).matches()) name = DEFAULT_TOOL;
    for (Tool t : r.tools()) {
      if (t.name().equals(name)) return "sluice_" + name;
    }
    return name;
  }

  static JsonObject tool(String name, JsonObject schema) {
    return new JsonObject().put("name", name)
        .put("description", "Give your final answer by calling this tool; its input is the answer, a JSON value "
            + "matching this schema.")
        .put("input_schema", schema.copy());
  }

  static String schemaInstruction(String toolName, boolean forced) {
    return forced ? "Answer by calling the " + toolName + " tool; its input is your answer."
        : "When you give your final answer, call the " + toolName + " tool with the answer as its input instead "
            + "of replying with text.";
  }

  static void addSystemText(JsonArray system, String text) {
    system.add(new JsonObject().put("type", "text").put("text", text));
  }
}
