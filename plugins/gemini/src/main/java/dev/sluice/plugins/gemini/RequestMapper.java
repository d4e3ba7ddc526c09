package dev.sluice.plugins.gemini;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.ResponseFormat;
import dev.sluice.api.model.Tool;
import dev.sluice.api.model.ToolCall;
import dev.sluice.api.model.ToolChoice;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A canonical chat request as a Gemini {@code GenerateContentRequest}: system and developer messages become the
 * {@code systemInstruction}; user and tool turns are {@code user} contents, assistant turns {@code model}
 * contents, consecutive turns of one role merged (Gemini wants the function responses of one turn together).
 */
final class RequestMapper {
  private RequestMapper() {}

  static JsonObject map(ChatRequest request) {
    JsonObject body = new JsonObject();
    JsonArray system = new JsonArray();
    JsonArray contents = new JsonArray();
    Map<String, String> callNames = new HashMap<>();
    for (int i = 0; i < request.messages().size(); i++) {
      Message m = request.messages().get(i);
      String at = "messages[" + i + "]";
      switch (m.role()) {
        case SYSTEM, DEVELOPER -> {
          for (ContentPart part : m.content()) {
            if (!(part instanceof ContentPart.Text t)) {
              throw GatewayError.badParam(at + ".content", "Gemini takes only text in a system instruction; '"
                  + at + "' has a " + kind(part) + " part.");
            }
            system.add(new JsonObject().put("text", t.text()));
          }
        }
        case USER -> append(contents, "user", parts(m, at));
        case ASSISTANT -> append(contents, "model", modelParts(m, at, callNames));
        case TOOL -> append(contents, "user", new JsonArray().add(functionResponse(m, at, callNames)));
      }
    }
    if (contents.isEmpty()) {
      throw GatewayError.badParam("messages", "Gemini needs at least one user or assistant message besides the"
          + " system prompt.");
    }
    if (!system.isEmpty()) body.put("systemInstruction", new JsonObject().put("parts", system));
    body.put("contents", contents);
    tools(request, body);
    JsonObject generation = generationConfig(request);
    if (!generation.isEmpty()) body.put("generationConfig", generation);
    return body;
  }

  /** Adds a turn, merging it into the previous one when the role is the same. */
  private static void append(JsonArray contents, String role, JsonArray parts) {
    if (parts.isEmpty()) return;
    JsonObject last = contents.isEmpty() ? null : contents.getJsonObject(contents.size() - 1);
    if (last != null && role.equals(last.getString("role"))) {
      last.getJsonArray("parts").addAll(parts);
    } else {
      contents.add(new JsonObject().put("role", role).put("parts", parts));
    }
  }

  private static JsonArray parts(Message m, String at) {
    JsonArray parts = new JsonArray();
    for (int j = 0; j < m.content().size(); j++) {
      ContentPart part = m.content().get(j);
      String partAt = at + ".content[" + j + "]";
      if (part instanceof ContentPart.Text t) {
        parts.add(new JsonObject().put("text", t.text()));
      } else if (part instanceof ContentPart.Image image) {
        parts.add(image(image, partAt));
      } else if (part instanceof ContentPart.Audio audio) {
        parts.add(new JsonObject().put("inlineData", new JsonObject()
            .put("mimeType", "audio/" + (audio.format() == null ? "wav" : audio.format().toLowerCase(Locale.ROOT)))
            .put("data", audio.data())));
      } else {
        throw GatewayError.badParam(partAt, "Gemini cannot take the content part at '" + partAt + "' ("
            + kind(part) + "); send text, image_url or input_audio parts.");
      }
    }
    return parts;
  }

  /** A data URL becomes {@code inlineData}; an https or gs URL {@code fileData} with a media type guessed from it. */
  private static JsonObject image(ContentPart.Image image, String at) {
    if (image.isData()) {
      String type = image.mediaType();
      String data = image.base64Data();
      if (type == null || data == null || !image.url().substring(0, image.url().indexOf(',')).endsWith(";base64")) {
        throw GatewayError.badParam(at, "The image at '" + at + "' is a data URL Gemini cannot take; expected"
            + " data:<media type>;base64,<data>.");
      }
      return new JsonObject().put("inlineData", new JsonObject().put("mimeType", type).put("data", data));
    }
    String url = image.url();
    if (!(url.startsWith("https://") || url.startsWith("http://") || url.startsWith("gs://"))) {
      throw GatewayError.badParam(at, "The image URL at '" + at + "' is neither https://, gs:// nor a data URL.");
    }
    return new JsonObject().put("fileData", new JsonObject().put("mimeType", MediaTypes.ofUrl(url))
        .put("fileUri", url));
  }

  private static JsonArray modelParts(Message m, String at, Map<String, String> callNames) {
    JsonArray parts = new JsonArray();
    for (ContentPart part : m.content()) {
      if (part instanceof ContentPart.Text t && !t.text().isEmpty()) parts.add(new JsonObject().put("text", t.text()));
    }
    for (int j = 0; j < m.toolCalls().size(); j++) {
      ToolCall call = m.toolCalls().get(j);
      String argsAt = at + ".tool_calls[" + j + "].function.arguments";
      JsonObject part = new JsonObject().put("functionCall", new JsonObject().put("name", call.name())
          .put("args", arguments(call.arguments(), argsAt)));
      String signature = ToolCallIds.signature(call.id());
      if (signature != null) part.put("thoughtSignature", signature);
      parts.add(part);
      if (call.id() != null) callNames.put(call.id(), call.name());
    }
    return parts;
  }

  private static JsonObject arguments(String text, String at) {
    if (text.isBlank()) return new JsonObject();
    Object value;
    try {
      value = Json.decodeValue(text);
    } catch (DecodeException e) {
      throw GatewayError.badParam(at, "The tool call arguments at '" + at + "' are not JSON: " + e.getMessage());
    }
    if (!(value instanceof JsonObject o)) {
      throw GatewayError.badParam(at, "The tool call arguments at '" + at + "' must be a JSON object for Gemini.");
    }
    return o;
  }

  /** A tool result as a {@code functionResponse}, named by the assistant call it answers. */
  private static JsonObject functionResponse(Message m, String at, Map<String, String> callNames) {
    String name = m.toolCallId() == null ? null : callNames.get(m.toolCallId());
    if (name == null) {
      throw GatewayError.badParam(at + ".tool_call_id", "The tool message at '" + at + "' answers tool call '"
          + m.toolCallId() + "', which no earlier assistant message made; Gemini needs the function's name.");
    }
    String text = m.text();
    Object value;
    try {
      value = text.isBlank() ? text : Json.decodeValue(text);
    } catch (DecodeException notJson) {
      value = text;
    }
    JsonObject response = value instanceof JsonObject o ? o : new JsonObject().put("result", value);
    return new JsonObject().put("functionResponse", new JsonObject().put("name", name).put("response", response));
  }

  private static void tools(ChatRequest request, JsonObject body) {
    if (request.tools().isEmpty()) return;
    JsonArray declarations = new JsonArray();
    for (int i = 0; i < request.tools().size(); i++) {
      Tool tool = request.tools().get(i);
      JsonObject declaration = new JsonObject().put("name", tool.name());
      if (tool.description() != null) declaration.put("description", tool.description());
      if (tool.parameters() != null) {
        JsonObject schema = SchemaConverter.convert(tool.parameters(), "tools[" + i + "].function.parameters");
        if (!SchemaConverter.isEmptyObject(schema)) declaration.put("parameters", schema);
      }
      declarations.add(declaration);
    }
    body.put("tools", new JsonArray().add(new JsonObject().put("functionDeclarations", declarations)));
    ToolChoice choice = request.toolChoice();
    if (choice == null) return;
    JsonObject config = new JsonObject();
    switch (choice.mode()) {
      case AUTO -> config.put("mode", "AUTO");
      case NONE -> config.put("mode", "NONE");
      case REQUIRED -> config.put("mode", "ANY");
      case FUNCTION -> config.put("mode", "ANY").put("allowedFunctionNames", new JsonArray().add(choice.function()));
    }
    body.put("toolConfig", new JsonObject().put("functionCallingConfig", config));
  }

  private static JsonObject generationConfig(ChatRequest request) {
    JsonObject config = new JsonObject();
    if (request.maxTokens() != null) config.put("maxOutputTokens", request.maxTokens());
    if (request.temperature() != null) config.put("temperature", request.temperature());
    if (request.topP() != null) config.put("topP", request.topP());
    if (!request.stop().isEmpty()) config.put("stopSequences", new JsonArray(request.stop()));
    if (request.n() != null && request.n() != 1) config.put("candidateCount", request.n());
    if (request.seed() != null) {
      if (request.seed() < Integer.MIN_VALUE || request.seed() > Integer.MAX_VALUE) {
        throw GatewayError.badParam("seed", "Gemini takes a 32-bit seed; " + request.seed() + " is out of range.");
      }
      config.put("seed", request.seed().intValue());
    }
    ResponseFormat format = request.responseFormat();
    if (format != null && format.type() != ResponseFormat.Type.TEXT) {
      config.put("responseMimeType", "application/json");
      if (format.type() == ResponseFormat.Type.JSON_SCHEMA) {
        config.put("responseSchema", SchemaConverter.convert(format.schema(), "response_format.json_schema.schema"));
      }
    }
    return config;
  }

  private static String kind(ContentPart part) {
    if (part instanceof ContentPart.Image) return "image";
    if (part instanceof ContentPart.Audio) return "audio";
    if (part instanceof ContentPart.Other o) return "'" + o.raw().getString("type", "unknown") + "'";
    return "text";
  }
}
