package dev.sluice.plugins.bedrock;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.CacheBreakpoint;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.ResponseFormat;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.Tool;
import dev.sluice.api.model.ToolCall;
import dev.sluice.api.model.ToolChoice;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Canonical request → Converse body ({@code messages}, {@code system}, {@code inferenceConfig},
 * {@code toolConfig}). Bedrock wants strict user/assistant alternation: same-role turns are merged and tool
 * results travel in a user turn. Unsupported input fails with a 400 naming the parameter, before any call.
 *
 * <p>JSON mode: Converse has no response-format switch that works across models, so {@code response_format}
 * {@code json_object} / {@code json_schema} becomes a tool named {@value #JSON_TOOL} whose input schema is the
 * requested schema ({@code {"type":"object"}} for json_object), and the model is made to call it. The tool's
 * input is the answer; {@link ConverseResponses} and {@link ConverseStreamDecoder} turn it back into text.
 * With tools of the client's own, the model must call one of them or the JSON tool ({@code any}).
 */
final class ConverseRequests {
  static final String JSON_TOOL = "json_response";
  private static final Set<String> IMAGE_FORMATS = Set.of("png", "jpeg", "gif", "webp");

  private ConverseRequests() {}

  static JsonObject encode(ChatRequest request) {
    if (request.choiceCount() != 1) {
      throw GatewayError.badParam("n", "Bedrock returns one choice per request; 'n' must be 1, got " + request.n());
    }
    JsonObject body = new JsonObject();
    JsonArray system = new JsonArray();
    Set<Integer> marked = new HashSet<>();
    boolean markTools = false;
    for (CacheBreakpoint b : CachePoints.usable(request)) {
      if (b.tools()) markTools = true;
      else marked.add(b.afterMessage());
    }
    body.put("messages", messages(request.messages(), system, marked));
    if (!system.isEmpty()) body.put("system", system);
    JsonObject inference = inferenceConfig(request);
    if (!inference.isEmpty()) body.put("inferenceConfig", inference);
    JsonObject toolConfig = toolConfig(request, markTools);
    if (toolConfig != null) body.put("toolConfig", toolConfig);
    if (request.extra().getValue("additionalModelRequestFields") instanceof JsonObject extra) {
      body.put("additionalModelRequestFields", extra.copy());
    }
    return body;
  }

  /** Whether answers come back through the {@value #JSON_TOOL} tool. */
  static boolean jsonMode(ChatRequest request) {
    ResponseFormat f = request.responseFormat();
    return f != null && f.type() != ResponseFormat.Type.TEXT;
  }

  // ---- messages ----

  private static JsonArray messages(List<Message> messages, JsonArray system, Set<Integer> marked) {
    JsonArray turns = new JsonArray();
    String lastRole = null;
    JsonArray lastContent = null;
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      String param = "messages[" + i + "]";
      if (m.role() == Role.SYSTEM || m.role() == Role.DEVELOPER) {
        system(m, param, system);
        if (marked.contains(i) && !system.isEmpty()) system.add(CachePoints.block());
        continue;
      }
      JsonArray blocks = m.role() == Role.ASSISTANT ? assistantBlocks(m, param) : userBlocks(m, param);
      if (blocks.isEmpty()) continue; // Bedrock rejects empty turns; dropping one keeps the others alternating
      if (marked.contains(i)) blocks.add(CachePoints.block());
      String role = m.role() == Role.ASSISTANT ? "assistant" : "user";
      if (role.equals(lastRole)) {
        lastContent.addAll(blocks);
      } else {
        lastRole = role;
        lastContent = blocks;
        turns.add(new JsonObject().put("role", role).put("content", blocks));
      }
    }
    if (turns.isEmpty()) {
      throw GatewayError.badParam("messages", "Bedrock needs at least one user or assistant message with content");
    }
    return turns;
  }

  private static void system(Message m, String param, JsonArray system) {
    for (int j = 0; j < m.content().size(); j++) {
      if (!(m.content().get(j) instanceof ContentPart.Text t)) {
        throw GatewayError.badParam(param + ".content[" + j + "]", "Bedrock takes only text in system messages");
      }
      if (!t.text().isBlank()) system.add(new JsonObject().put("text", t.text()));
    }
  }

  private static JsonArray userBlocks(Message m, String param) {
    JsonArray blocks = new JsonArray();
    if (m.role() == Role.TOOL) {
      if (m.toolCallId() == null || m.toolCallId().isBlank()) {
        throw GatewayError.badParam(param + ".tool_call_id", "a tool message needs the id of the call it answers");
      }
      // A tool's output goes back as a text block, never a json block: every Converse model takes text
      // results, only some take json documents, and the canonical tool message is text anyway.
      JsonArray content = new JsonArray();
      String text = m.text();
      if (!text.isEmpty()) content.add(new JsonObject().put("text", text));
      blocks.add(new JsonObject().put("toolResult", new JsonObject().put("toolUseId", m.toolCallId())
          .put("content", content)));
      return blocks;
    }
    for (int j = 0; j < m.content().size(); j++) {
      ContentPart part = m.content().get(j);
      String at = param + ".content[" + j + "]";
      if (part instanceof ContentPart.Text t) {
        if (!t.text().isEmpty()) blocks.add(new JsonObject().put("text", t.text()));
      } else if (part instanceof ContentPart.Image image) {
        blocks.add(image(image, at));
      } else {
        throw GatewayError.badParam(at, "Bedrock's Converse API takes text and image parts here, not "
            + (part instanceof ContentPart.Audio ? "audio" : "this part type"));
      }
    }
    return blocks;
  }

  private static JsonObject image(ContentPart.Image image, String at) {
    if (!image.isData()) {
      throw GatewayError.badParam(at + ".image_url", "Bedrock needs the image bytes: send the image as a "
          + "data:image/png;base64,... URL instead of a link");
    }
    String mediaType = image.mediaType();
    String format = mediaType != null && mediaType.startsWith("image/") ? mediaType.substring(6) : null;
    if ("jpg".equals(format)) format = "jpeg";
    String data = image.base64Data();
    boolean base64 = data != null && image.url().substring(0, image.url().length() - data.length()).endsWith(";base64,");
    if (format == null || !IMAGE_FORMATS.contains(format) || !base64 || data.isEmpty()) {
      throw GatewayError.badParam(at + ".image_url", "Bedrock takes base64 data URLs of image/png, image/jpeg, "
          + "image/gif or image/webp, got " + (mediaType == null ? "another form" : mediaType));
    }
    return new JsonObject().put("image", new JsonObject().put("format", format)
        .put("source", new JsonObject().put("bytes", data)));
  }

  private static JsonArray assistantBlocks(Message m, String param) {
    JsonArray blocks = new JsonArray();
    String text = m.text();
    if (!text.isBlank()) blocks.add(new JsonObject().put("text", text));
    for (int j = 0; j < m.toolCalls().size(); j++) {
      ToolCall call = m.toolCalls().get(j);
      String at = param + ".tool_calls[" + j + "]";
      if (call.id() == null || call.id().isBlank()) throw GatewayError.badParam(at + ".id", "a tool call needs an id");
      blocks.add(new JsonObject().put("toolUse", new JsonObject().put("toolUseId", call.id())
          .put("name", call.name()).put("input", arguments(call.arguments(), at + ".function.arguments"))));
    }
    return blocks;
  }

  private static Object arguments(String json, String param) {
    if (json.isBlank()) return new JsonObject();
    try {
      return Json.decodeValue(json);
    } catch (DecodeException e) {
      throw GatewayError.badParam(param, "tool call arguments are not valid JSON: " + e.getMessage());
    }
  }

  // ---- inference and tools ----

  private static JsonObject inferenceConfig(ChatRequest request) {
    JsonObject config = new JsonObject();
    if (request.maxTokens() != null) config.put("maxTokens", request.maxTokens());
    if (request.temperature() != null) config.put("temperature", request.temperature());
    if (request.topP() != null) config.put("topP", request.topP());
    if (!request.stop().isEmpty()) config.put("stopSequences", new JsonArray(new ArrayList<>(request.stop())));
    return config;
  }

  private static JsonObject toolConfig(ChatRequest request, boolean markTools) {
    ToolChoice choice = request.toolChoice();
    boolean userTools = !request.tools().isEmpty() && (choice == null || choice.mode() != ToolChoice.Mode.NONE);
    boolean json = jsonMode(request);
    if (!userTools && !json) return null; // tool_choice none: the model sees no tools at all
    JsonArray tools = new JsonArray();
    if (userTools) {
      for (Tool tool : request.tools()) tools.add(toolSpec(tool.name(), tool.description(), tool.parameters()));
      if (markTools) tools.add(CachePoints.block());
    }
    if (json) {
      ResponseFormat f = request.responseFormat();
      JsonObject schema = f.type() == ResponseFormat.Type.JSON_SCHEMA ? f.schema() : new JsonObject().put("type", "object");
      tools.add(toolSpec(JSON_TOOL, "Answer the user by calling this tool: its input is the whole answer, as JSON.",
          schema));
    }
    return new JsonObject().put("tools", tools).put("toolChoice", toolChoice(choice, userTools, json));
  }

  private static JsonObject toolSpec(String name, String description, JsonObject parameters) {
    JsonObject spec = new JsonObject().put("name", name);
    if (description != null && !description.isBlank()) spec.put("description", description);
    JsonObject schema = parameters == null ? new JsonObject().put("type", "object").put("properties", new JsonObject())
        : parameters.copy();
    spec.put("inputSchema", new JsonObject().put("json", schema));
    return new JsonObject().put("toolSpec", spec);
  }

  private static JsonObject toolChoice(ToolChoice choice, boolean userTools, boolean json) {
    ToolChoice.Mode mode = userTools && choice != null ? choice.mode() : ToolChoice.Mode.AUTO;
    if (mode == ToolChoice.Mode.FUNCTION) return named(choice.function());
    if (json && !userTools) return named(JSON_TOOL);
    if (json || mode == ToolChoice.Mode.REQUIRED) return new JsonObject().put("any", new JsonObject());
    return new JsonObject().put("auto", new JsonObject());
  }

  private static JsonObject named(String tool) {
    return new JsonObject().put("tool", new JsonObject().put("name", tool));
  }
}
