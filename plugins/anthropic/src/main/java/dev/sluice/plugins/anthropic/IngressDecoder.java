package dev.sluice.plugins.anthropic;

import dev.sluice.api.wire.JsonFields;

import static dev.sluice.api.wire.JsonFields.CLIENT;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.Tool;
import dev.sluice.api.model.ToolCall;
import dev.sluice.api.model.ToolChoice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * An Anthropic Messages request → canonical. Validates as Anthropic does (model, max_tokens and messages are
 * required; temperature is 0..1) and fails with a 400 naming the field. Block types with no canonical form are
 * refused by name rather than dropped, except thinking blocks, which only Anthropic reads and which a model
 * may be asked to continue without.
 */
final class IngressDecoder {
  private IngressDecoder() {}

  static ChatRequest decode(JsonObject body) {
    String model = JsonFields.string(body, "model", "", CLIENT);
    if (model == null || model.isBlank()) throw GatewayError.badParam("model", "'model' is required: name the model to use");
    Integer maxTokens = JsonFields.integer(body, "max_tokens", "", CLIENT);
    if (maxTokens == null) throw GatewayError.badParam("max_tokens", "'max_tokens' is required, e.g. 1024");
    if (maxTokens < 1) throw GatewayError.badParam("max_tokens", "'max_tokens' must be at least 1, got " + maxTokens);
    JsonArray rawMessages = JsonFields.array(body, "messages", "", CLIENT);
    if (rawMessages == null || rawMessages.isEmpty()) {
      throw GatewayError.badParam("messages", "'messages' is required and must hold at least one message");
    }
    List<Message> messages = new ArrayList<>();
    system(body.getValue("system"), messages);
    int[] messageEnds = new int[rawMessages.size()];
    for (int i = 0; i < rawMessages.size(); i++) {
      message(JsonFields.objectAt(rawMessages, i, "messages", CLIENT), "messages[" + i + "]", messages);
      messageEnds[i] = messages.size() - 1;
    }
    boolean stream = Boolean.TRUE.equals(JsonFields.bool(body, "stream", "", CLIENT));
    Double temperature = range(body, "temperature", 1);
    Double topP = range(body, "top_p", 1);
    JsonFields.integer(body, "top_k", "", CLIENT); // validated; the canonical form has no place for it
    List<String> stop = strings(JsonFields.array(body, "stop_sequences", "", CLIENT), "stop_sequences");
    JsonObject metadata = JsonFields.object(body, "metadata", "", CLIENT);
    String user = metadata == null ? null : JsonFields.string(metadata, "user_id", "metadata", CLIENT);
    List<Tool> tools = tools(JsonFields.array(body, "tools", "", CLIENT));
    JsonObject choice = JsonFields.object(body, "tool_choice", "", CLIENT);
    ToolChoice toolChoice = choice == null ? null : toolChoice(choice);
    Boolean parallel = choice != null && Boolean.TRUE.equals(JsonFields.bool(choice, "disable_parallel_tool_use",
        "tool_choice", CLIENT)) ? Boolean.FALSE : null;
    // Anthropic streams always carry usage, so the canonical stream must end with it.
    return ChatRequest.builder().model(model).messages(messages).stream(stream).includeUsage(stream)
        .maxTokens(maxTokens).temperature(temperature).topP(topP).stop(stop).user(user).tools(tools)
        .toolChoice(toolChoice).parallelToolCalls(parallel)
        .cacheBreakpoints(ClientCacheMarks.of(body, messageEnds, messages)).build();
  }

  private static void system(Object system, List<Message> out) {
    if (system == null) return;
    if (system instanceof String s) {
      if (!s.isEmpty()) out.add(Message.system(s));
      return;
    }
    if (!(system instanceof JsonArray blocks)) {
      throw GatewayError.badParam("system", "Invalid 'system': expected a string or an array of text blocks, got "
          + JsonFields.typeOf(system));
    }
    List<ContentPart> parts = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      JsonObject block = JsonFields.objectAt(blocks, i, "system", CLIENT);
      String path = "system[" + i + "]";
      String type = JsonFields.requireString(block, "type", path, CLIENT);
      if (!type.equals("text")) throw GatewayError.badParam(path + ".type", "system blocks must be text, got '" + type + "'");
      parts.add(ContentPart.text(JsonFields.requireString(block, "text", path, CLIENT)));
    }
    if (!parts.isEmpty()) out.add(new Message(Role.SYSTEM, parts, null, null, null));
  }

  private static void message(JsonObject m, String path, List<Message> out) {
    String role = JsonFields.requireString(m, "role", path, CLIENT);
    if (!role.equals("user") && !role.equals("assistant")) {
      throw GatewayError.badParam(path + ".role", "Invalid '" + path + ".role': '" + role
          + "' is not user or assistant (put system text in the top-level 'system')");
    }
    Object content = m.getValue("content");
    if (content instanceof String s) {
      out.add(Message.of(role.equals("user") ? Role.USER : Role.ASSISTANT, s));
      return;
    }
    if (!(content instanceof JsonArray blocks)) {
      throw GatewayError.badParam(path + ".content", "Invalid '" + path + ".content': expected a string or an array "
          + "of content blocks, got " + JsonFields.typeOf(content));
    }
    if (role.equals("assistant")) {
      out.add(assistant(blocks, path + ".content"));
    } else {
      user(blocks, path + ".content", out);
    }
  }

  private static Message assistant(JsonArray blocks, String path) {
    List<ContentPart> parts = new ArrayList<>();
    List<ToolCall> calls = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      JsonObject block = JsonFields.objectAt(blocks, i, path, CLIENT);
      String at = path + "[" + i + "]";
      String type = JsonFields.requireString(block, "type", at, CLIENT);
      switch (type) {
        case "text" -> parts.add(ContentPart.text(JsonFields.requireString(block, "text", at, CLIENT)));
        case "tool_use" -> {
          JsonObject input = JsonFields.object(block, "input", at, CLIENT);
          calls.add(new ToolCall(JsonFields.requireString(block, "id", at, CLIENT),
              JsonFields.requireString(block, "name", at, CLIENT), (input == null ? new JsonObject() : input).encode()));
        }
        case "thinking", "redacted_thinking" -> { } // Anthropic-only reasoning state; see the class comment
        default -> throw unsupported(at, type);
      }
    }
    return new Message(Role.ASSISTANT, parts, null, calls, null);
  }

  /** A user turn: its tool results become tool messages, its other blocks user messages, in order. */
  private static void user(JsonArray blocks, String path, List<Message> out) {
    List<ContentPart> pending = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      JsonObject block = JsonFields.objectAt(blocks, i, path, CLIENT);
      String at = path + "[" + i + "]";
      String type = JsonFields.requireString(block, "type", at, CLIENT);
      if (type.equals("tool_result")) {
        if (!pending.isEmpty()) {
          out.add(new Message(Role.USER, pending, null, null, null));
          pending = new ArrayList<>();
        }
        out.add(toolResult(block, at));
      } else {
        pending.add(part(block, type, at));
      }
    }
    if (!pending.isEmpty() || blocks.isEmpty()) out.add(new Message(Role.USER, pending, null, null, null));
  }

  private static Message toolResult(JsonObject block, String at) {
    String id = JsonFields.requireString(block, "tool_use_id", at, CLIENT);
    Object content = block.getValue("content");
    List<ContentPart> parts = new ArrayList<>();
    if (content instanceof String s) {
      parts.add(ContentPart.text(s));
    } else if (content instanceof JsonArray a) {
      for (int j = 0; j < a.size(); j++) {
        JsonObject inner = JsonFields.objectAt(a, j, at + ".content", CLIENT);
        String innerAt = at + ".content[" + j + "]";
        parts.add(part(inner, JsonFields.requireString(inner, "type", innerAt, CLIENT), innerAt));
      }
    } else if (content != null) {
      throw GatewayError.badParam(at + ".content", "Invalid '" + at + ".content': expected a string or an array of "
          + "blocks, got " + JsonFields.typeOf(content));
    }
    if (parts.isEmpty()) parts.add(ContentPart.text(""));
    return new Message(Role.TOOL, parts, null, null, id);
  }

  private static ContentPart part(JsonObject block, String type, String at) {
    switch (type) {
      case "text":
        return ContentPart.text(JsonFields.requireString(block, "text", at, CLIENT));
      case "image":
        return image(block, at);
      case "document":
      case "search_result":
        return new ContentPart.Other(block.copy());
      default:
        throw unsupported(at, type);
    }
  }

  private static ContentPart.Image image(JsonObject block, String at) {
    JsonObject source = JsonFields.object(block, "source", at, CLIENT);
    if (source == null) throw GatewayError.badParam(at + ".source", "An image block needs a source");
    String sourceType = JsonFields.requireString(source, "type", at + ".source", CLIENT);
    if (sourceType.equals("base64")) {
      String mediaType = JsonFields.requireString(source, "media_type", at + ".source", CLIENT);
      String data = JsonFields.requireString(source, "data", at + ".source", CLIENT);
      return new ContentPart.Image("data:" + mediaType + ";base64," + data, null);
    }
    if (sourceType.equals("url")) {
      return new ContentPart.Image(JsonFields.requireString(source, "url", at + ".source", CLIENT), null);
    }
    throw GatewayError.badParam(at + ".source.type", "Sluice takes base64 and url image sources, got '"
        + sourceType + "'");
  }

  private static List<Tool> tools(JsonArray raw) {
    List<Tool> out = new ArrayList<>();
    for (int i = 0; raw != null && i < raw.size(); i++) {
      JsonObject t = JsonFields.objectAt(raw, i, "tools", CLIENT);
      String at = "tools[" + i + "]";
      String type = JsonFields.string(t, "type", at, CLIENT);
      if (type != null && !type.equals("custom")) {
        throw GatewayError.badParam(at + ".type", "'" + type + "' is an Anthropic server tool, which only "
            + "Anthropic runs; through Sluice, declare client tools with name, description and input_schema");
      }
      JsonObject schema = JsonFields.object(t, "input_schema", at, CLIENT);
      if (schema == null) throw GatewayError.badParam(at + ".input_schema", "A tool needs an input_schema");
      out.add(new Tool(JsonFields.requireString(t, "name", at, CLIENT), JsonFields.string(t, "description", at, CLIENT),
          schema, null));
    }
    return out;
  }

  private static ToolChoice toolChoice(JsonObject c) {
    String type = JsonFields.requireString(c, "type", "tool_choice", CLIENT);
    switch (type) {
      case "auto":
        return ToolChoice.AUTO;
      case "any":
        return ToolChoice.REQUIRED;
      case "none":
        return ToolChoice.NONE;
      case "tool":
        return ToolChoice.function(JsonFields.requireString(c, "name", "tool_choice", CLIENT));
      default:
        throw GatewayError.badParam("tool_choice.type", "'tool_choice.type' must be auto, any, tool or none, got '"
            + type + "'");
    }
  }

  private static Double range(JsonObject body, String key, double max) {
    Double v = JsonFields.number(body, key, "", CLIENT);
    if (v != null && (v < 0 || v > max)) {
      throw GatewayError.badParam(key, "'" + key + "' must be from 0 to " + max + ", got " + v);
    }
    return v;
  }

  private static List<String> strings(JsonArray a, String path) {
    List<String> out = new ArrayList<>();
    for (int i = 0; a != null && i < a.size(); i++) {
      if (!(a.getValue(i) instanceof String s)) {
        throw GatewayError.badParam(path + "[" + i + "]", "Invalid '" + path + "[" + i + "]': expected a string");
      }
      out.add(s);
    }
    return out;
  }

  private static GatewayError unsupported(String at, String type) {
    return GatewayError.badParam(at + ".type", "Content block type '" + type + "' is not supported here; "
        + "Sluice takes text, image, document, tool_use and tool_result blocks");
  }
}
