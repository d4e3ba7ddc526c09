package dev.sluice.wire.openai;

import static dev.sluice.api.wire.JsonFields.CLIENT;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.EmbeddingRequest;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.ResponseFormat;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.Tool;
import dev.sluice.api.model.ToolCall;
import dev.sluice.api.model.ToolChoice;
import dev.sluice.api.wire.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * OpenAI Chat Completions and Embeddings requests, JSON ↔ canonical. Decoding validates like OpenAI does and
 * fails with a 400 naming the parameter; fields it does not model are kept in {@code extra}.
 */
public final class OpenAiRequests {
  private static final Set<String> CHAT_FIELDS = Set.of("model", "messages", "stream", "stream_options",
      "max_tokens", "max_completion_tokens", "temperature", "top_p", "n", "stop", "seed", "user", "tools",
      "tool_choice", "parallel_tool_calls", "response_format");
  private static final Set<String> EMBEDDING_FIELDS = Set.of("model", "input", "dimensions", "user",
      "encoding_format");

  private OpenAiRequests() {}

  // ---- chat: decode ----

  public static ChatRequest decodeChat(JsonObject body) {
    String model = JsonFields.string(body, "model", "", CLIENT);
    if (model == null || model.isBlank()) throw GatewayError.badParam("model", "'model' is required: name the model to use");
    JsonArray rawMessages = JsonFields.array(body, "messages", "", CLIENT);
    if (rawMessages == null || rawMessages.isEmpty()) {
      throw GatewayError.badParam("messages", "'messages' is required and must hold at least one message");
    }
    List<Message> messages = new ArrayList<>(rawMessages.size());
    for (int i = 0; i < rawMessages.size(); i++) {
      messages.add(decodeMessage(JsonFields.objectAt(rawMessages, i, "messages", CLIENT), "messages[" + i + "]"));
    }
    boolean stream = Boolean.TRUE.equals(JsonFields.bool(body, "stream", "", CLIENT));
    JsonObject streamOptions = JsonFields.object(body, "stream_options", "", CLIENT);
    boolean includeUsage = streamOptions != null
        && Boolean.TRUE.equals(JsonFields.bool(streamOptions, "include_usage", "stream_options", CLIENT));
    Integer maxTokens = JsonFields.integer(body, "max_completion_tokens", "", CLIENT);
    if (maxTokens == null) maxTokens = JsonFields.integer(body, "max_tokens", "", CLIENT);
    if (maxTokens != null && maxTokens < 1) throw GatewayError.badParam("max_tokens", "'max_tokens' must be at least 1, got " + maxTokens);
    Double temperature = range(body, "temperature", 0, 2);
    Double topP = range(body, "top_p", 0, 1);
    Integer n = JsonFields.integer(body, "n", "", CLIENT);
    if (n != null && (n < 1 || n > 128)) throw GatewayError.badParam("n", "'n' must be from 1 to 128, got " + n);
    List<String> stop = decodeStop(body.getValue("stop"));
    Long seed = JsonFields.longValue(body, "seed", "", CLIENT);
    String user = JsonFields.string(body, "user", "", CLIENT);
    List<Tool> tools = decodeTools(JsonFields.array(body, "tools", "", CLIENT));
    ToolChoice toolChoice = decodeToolChoice(body.getValue("tool_choice"));
    Boolean parallelToolCalls = JsonFields.bool(body, "parallel_tool_calls", "", CLIENT);
    ResponseFormat responseFormat = decodeResponseFormat(JsonFields.object(body, "response_format", "", CLIENT));
    JsonObject extra = new JsonObject();
    for (var e : body) {
      if (!CHAT_FIELDS.contains(e.getKey())) extra.put(e.getKey(), e.getValue());
    }
    return ChatRequest.builder().model(model).messages(messages).stream(stream).includeUsage(includeUsage)
        .maxTokens(maxTokens).temperature(temperature).topP(topP).n(n).stop(stop).seed(seed).user(user).tools(tools)
        .toolChoice(toolChoice).parallelToolCalls(parallelToolCalls).responseFormat(responseFormat).extra(extra)
        .build();
  }

  private static Double range(JsonObject body, String key, double min, double max) {
    Double v = JsonFields.number(body, key, "", CLIENT);
    if (v != null && (v < min || v > max)) {
      throw GatewayError.badParam(key, "'" + key + "' must be from " + min + " to " + max + ", got " + v);
    }
    return v;
  }

  private static List<String> decodeStop(Object stop) {
    if (stop == null) return List.of();
    if (stop instanceof String s) return List.of(s);
    if (stop instanceof JsonArray a && a.size() <= 4) {
      List<String> out = new ArrayList<>(a.size());
      for (Object o : a) {
        if (!(o instanceof String s)) break;
        out.add(s);
      }
      if (out.size() == a.size()) return out;
    }
    throw GatewayError.badParam("stop", "'stop' must be a string or an array of up to 4 strings");
  }

  static Message decodeMessage(JsonObject m, String path) {
    String roleName = JsonFields.string(m, "role", path, CLIENT);
    Role role = Role.fromWire(roleName);
    if (role == null) {
      throw GatewayError.badParam(path + ".role", "Invalid '" + path + ".role': " + (roleName == null ? "is required"
          : "'" + roleName + "' is not one of system, developer, user, assistant, tool"));
    }
    List<ToolCall> toolCalls = decodeToolCalls(JsonFields.array(m, "tool_calls", path, CLIENT), path + ".tool_calls");
    Object content = m.getValue("content");
    List<ContentPart> parts;
    if (content == null) {
      if (role != Role.ASSISTANT || (toolCalls.isEmpty() && m.getValue("refusal") == null)) {
        throw GatewayError.badParam(path + ".content", "Invalid '" + path + ".content': a " + role.wire()
            + " message needs content");
      }
      parts = List.of();
    } else if (content instanceof String s) {
      parts = List.of(ContentPart.text(s));
    } else if (content instanceof JsonArray a) {
      parts = new ArrayList<>(a.size());
      for (int i = 0; i < a.size(); i++) {
        parts.add(decodePart(JsonFields.objectAt(a, i, path + ".content", CLIENT), path + ".content[" + i + "]"));
      }
    } else {
      throw GatewayError.badParam(path + ".content", "Invalid '" + path
          + ".content': expected a string or an array of content parts, got " + JsonFields.typeOf(content));
    }
    String toolCallId = JsonFields.string(m, "tool_call_id", path, CLIENT);
    if (role == Role.TOOL && toolCallId == null) {
      throw GatewayError.badParam(path + ".tool_call_id", "Invalid '" + path
          + ".tool_call_id': a tool message must name the tool call it answers");
    }
    return new Message(role, parts, JsonFields.string(m, "name", path, CLIENT), toolCalls, toolCallId);
  }

  private static ContentPart decodePart(JsonObject part, String path) {
    String type = JsonFields.requireString(part, "type", path, CLIENT);
    switch (type) {
      case "text":
        return ContentPart.text(JsonFields.requireString(part, "text", path, CLIENT));
      case "image_url": {
        Object image = part.getValue("image_url");
        if (image instanceof String url && !url.isEmpty()) return new ContentPart.Image(url, null);
        JsonObject o = JsonFields.object(part, "image_url", path, CLIENT);
        if (o == null) throw CLIENT.at(path + ".image_url", "is required");
        String url = JsonFields.requireString(o, "url", path + ".image_url", CLIENT);
        if (url.isEmpty()) throw CLIENT.at(path + ".image_url.url", "cannot be empty");
        return new ContentPart.Image(url, JsonFields.string(o, "detail", path + ".image_url", CLIENT));
      }
      case "input_audio": {
        JsonObject o = JsonFields.object(part, "input_audio", path, CLIENT);
        if (o == null) throw CLIENT.at(path + ".input_audio", "is required");
        return new ContentPart.Audio(JsonFields.requireString(o, "data", path + ".input_audio", CLIENT),
            JsonFields.requireString(o, "format", path + ".input_audio", CLIENT));
      }
      default:
        return new ContentPart.Other(part);
    }
  }

  private static List<ToolCall> decodeToolCalls(JsonArray calls, String path) {
    if (calls == null || calls.isEmpty()) return List.of();
    List<ToolCall> out = new ArrayList<>(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      String p = path + "[" + i + "]";
      JsonObject call = JsonFields.objectAt(calls, i, path, CLIENT);
      JsonObject function = JsonFields.object(call, "function", p, CLIENT);
      if (function == null) throw CLIENT.at(p + ".function", "is required");
      out.add(new ToolCall(JsonFields.string(call, "id", p, CLIENT),
          JsonFields.requireString(function, "name", p + ".function", CLIENT),
          JsonFields.string(function, "arguments", p + ".function", CLIENT)));
    }
    return out;
  }

  private static List<Tool> decodeTools(JsonArray tools) {
    if (tools == null) return List.of();
    List<Tool> out = new ArrayList<>(tools.size());
    for (int i = 0; i < tools.size(); i++) {
      String p = "tools[" + i + "]";
      JsonObject tool = JsonFields.objectAt(tools, i, "tools", CLIENT);
      String type = JsonFields.string(tool, "type", p, CLIENT);
      if (!"function".equals(type)) {
        throw CLIENT.at(p + ".type", "only 'function' tools are supported, got " + (type == null ? "none" : "'" + type + "'"));
      }
      JsonObject function = JsonFields.object(tool, "function", p, CLIENT);
      if (function == null) throw CLIENT.at(p + ".function", "is required");
      String name = JsonFields.requireString(function, "name", p + ".function", CLIENT);
      if (name.isEmpty()) throw CLIENT.at(p + ".function.name", "cannot be empty");
      out.add(new Tool(name, JsonFields.string(function, "description", p + ".function", CLIENT),
          JsonFields.object(function, "parameters", p + ".function", CLIENT),
          JsonFields.bool(function, "strict", p + ".function", CLIENT)));
    }
    return out;
  }

  private static ToolChoice decodeToolChoice(Object choice) {
    if (choice == null) return null;
    if (choice instanceof String s) {
      switch (s) {
        case "auto": return ToolChoice.AUTO;
        case "none": return ToolChoice.NONE;
        case "required": return ToolChoice.REQUIRED;
        default: break;
      }
    } else if (choice instanceof JsonObject o && o.getValue("function") instanceof JsonObject f
        && f.getValue("name") instanceof String name) {
      return ToolChoice.function(name);
    }
    throw GatewayError.badParam("tool_choice",
        "'tool_choice' must be 'auto', 'none', 'required' or {\"type\":\"function\",\"function\":{\"name\":...}}");
  }

  private static ResponseFormat decodeResponseFormat(JsonObject format) {
    if (format == null) return null;
    String type = JsonFields.requireString(format, "type", "response_format", CLIENT);
    switch (type) {
      case "text":
        return ResponseFormat.TEXT;
      case "json_object":
        return ResponseFormat.JSON_OBJECT;
      case "json_schema": {
        JsonObject spec = JsonFields.object(format, "json_schema", "response_format", CLIENT);
        if (spec == null) throw CLIENT.at("response_format.json_schema", "is required for type 'json_schema'");
        JsonObject schema = JsonFields.object(spec, "schema", "response_format.json_schema", CLIENT);
        return new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA,
            JsonFields.requireString(spec, "name", "response_format.json_schema", CLIENT),
            schema == null ? new JsonObject() : schema,
            JsonFields.bool(spec, "strict", "response_format.json_schema", CLIENT));
      }
      default:
        throw CLIENT.at("response_format.type", "'" + type + "' is not one of text, json_object, json_schema");
    }
  }

  // ---- chat: encode ----

  /**
   * The request as an OpenAI-compatible upstream takes it. {@code maxTokensField} is {@code max_tokens} or
   * {@code max_completion_tokens}, as the upstream wants.
   */
  public static JsonObject encodeChat(ChatRequest r, String maxTokensField) {
    JsonObject o = r.extra().copy();
    o.put("model", r.model());
    JsonArray messages = new JsonArray(new ArrayList<>(r.messages().size()));
    for (Message m : r.messages()) messages.add(encodeMessage(m));
    o.put("messages", messages);
    if (r.stream()) {
      o.put("stream", true);
      if (r.includeUsage()) o.put("stream_options", new JsonObject().put("include_usage", true));
    }
    if (r.maxTokens() != null) o.put(maxTokensField, r.maxTokens());
    if (r.temperature() != null) o.put("temperature", r.temperature());
    if (r.topP() != null) o.put("top_p", r.topP());
    if (r.n() != null) o.put("n", r.n());
    if (!r.stop().isEmpty()) o.put("stop", new JsonArray(new ArrayList<>(r.stop())));
    if (r.seed() != null) o.put("seed", r.seed());
    if (r.user() != null) o.put("user", r.user());
    if (!r.tools().isEmpty()) {
      JsonArray tools = new JsonArray();
      for (Tool t : r.tools()) {
        JsonObject f = new JsonObject().put("name", t.name());
        if (t.description() != null) f.put("description", t.description());
        if (t.parameters() != null) f.put("parameters", t.parameters());
        if (t.strict() != null) f.put("strict", t.strict());
        tools.add(new JsonObject().put("type", "function").put("function", f));
      }
      o.put("tools", tools);
    }
    if (r.toolChoice() != null) {
      ToolChoice c = r.toolChoice();
      o.put("tool_choice", c.mode() == ToolChoice.Mode.FUNCTION
          ? new JsonObject().put("type", "function").put("function", new JsonObject().put("name", c.function()))
          : c.mode().name().toLowerCase(java.util.Locale.ROOT));
    }
    if (r.parallelToolCalls() != null) o.put("parallel_tool_calls", r.parallelToolCalls());
    if (r.responseFormat() != null) o.put("response_format", encodeResponseFormat(r.responseFormat()));
    return o;
  }

  static JsonObject encodeResponseFormat(ResponseFormat f) {
    switch (f.type()) {
      case TEXT:
        return new JsonObject().put("type", "text");
      case JSON_OBJECT:
        return new JsonObject().put("type", "json_object");
      default: {
        JsonObject spec = new JsonObject().put("name", f.name()).put("schema", f.schema());
        if (f.strict() != null) spec.put("strict", f.strict());
        return new JsonObject().put("type", "json_schema").put("json_schema", spec);
      }
    }
  }

  /** A message in OpenAI's form; one text part becomes a plain string, no parts become null. */
  public static JsonObject encodeMessage(Message m) {
    JsonObject o = new JsonObject().put("role", m.role().wire());
    List<ContentPart> parts = m.content();
    if (parts.isEmpty()) {
      o.putNull("content");
    } else if (parts.size() == 1 && parts.get(0) instanceof ContentPart.Text t) {
      o.put("content", t.text());
    } else {
      JsonArray a = new JsonArray(new ArrayList<>(parts.size()));
      for (ContentPart p : parts) a.add(encodePart(p));
      o.put("content", a);
    }
    if (m.name() != null) o.put("name", m.name());
    if (!m.toolCalls().isEmpty()) o.put("tool_calls", encodeToolCalls(m.toolCalls()));
    if (m.toolCallId() != null) o.put("tool_call_id", m.toolCallId());
    return o;
  }

  static JsonArray encodeToolCalls(List<ToolCall> calls) {
    JsonArray a = new JsonArray(new ArrayList<>(calls.size()));
    for (ToolCall c : calls) {
      JsonObject call = new JsonObject();
      if (c.id() != null) call.put("id", c.id());
      call.put("type", "function")
          .put("function", new JsonObject().put("name", c.name()).put("arguments", c.arguments()));
      a.add(call);
    }
    return a;
  }

  private static JsonObject encodePart(ContentPart p) {
    if (p instanceof ContentPart.Text t) return new JsonObject().put("type", "text").put("text", t.text());
    if (p instanceof ContentPart.Image i) {
      JsonObject image = new JsonObject().put("url", i.url());
      if (i.detail() != null) image.put("detail", i.detail());
      return new JsonObject().put("type", "image_url").put("image_url", image);
    }
    if (p instanceof ContentPart.Audio a) {
      return new JsonObject().put("type", "input_audio")
          .put("input_audio", new JsonObject().put("data", a.data()).put("format", a.format()));
    }
    return ((ContentPart.Other) p).raw();
  }

  // ---- embeddings ----

  /** An embeddings request; token-array input is refused with a 400 that says to send text. */
  public static EmbeddingRequest decodeEmbeddings(JsonObject body) {
    String model = JsonFields.string(body, "model", "", CLIENT);
    if (model == null || model.isBlank()) throw GatewayError.badParam("model", "'model' is required: name the model to use");
    Object input = body.getValue("input");
    List<String> texts;
    if (input instanceof String s) {
      texts = List.of(s);
    } else if (input instanceof JsonArray a && !a.isEmpty()) {
      texts = new ArrayList<>(a.size());
      for (int i = 0; i < a.size(); i++) {
        if (!(a.getValue(i) instanceof String s)) {
          throw GatewayError.badParam("input", "Invalid 'input[" + i + "]': Sluice embeds text; send strings, not "
              + JsonFields.typeOf(a.getValue(i)) + " (token arrays are not accepted)");
        }
        texts.add(s);
      }
    } else {
      throw GatewayError.badParam("input", "'input' is required: a string or a non-empty array of strings");
    }
    Integer dimensions = JsonFields.integer(body, "dimensions", "", CLIENT);
    if (dimensions != null && dimensions < 1) throw GatewayError.badParam("dimensions", "'dimensions' must be at least 1");
    String format = JsonFields.string(body, "encoding_format", "", CLIENT);
    if (format != null && !format.equals("float") && !format.equals("base64")) {
      throw GatewayError.badParam("encoding_format", "'encoding_format' must be 'float' or 'base64', got '" + format + "'");
    }
    JsonObject extra = new JsonObject();
    for (var e : body) {
      if (!EMBEDDING_FIELDS.contains(e.getKey())) extra.put(e.getKey(), e.getValue());
    }
    return new EmbeddingRequest(model, texts, dimensions, JsonFields.string(body, "user", "", CLIENT), extra);
  }

  /** Whether the client asked for base64 vectors. */
  public static boolean wantsBase64(JsonObject body) {
    return "base64".equals(body.getValue("encoding_format"));
  }

  /** The request as an OpenAI-compatible upstream takes it, asking for float vectors. */
  public static JsonObject encodeEmbeddings(EmbeddingRequest r) {
    JsonObject o = r.extra().copy();
    o.put("model", r.model());
    o.put("input", new JsonArray(new ArrayList<>(r.input())));
    o.put("encoding_format", "float");
    if (r.dimensions() != null) o.put("dimensions", r.dimensions());
    if (r.user() != null) o.put("user", r.user());
    return o;
  }
}
