package dev.sluice.testkit;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The fake's deterministic answers in OpenAI's wire format. Tool call: when the request has tools, its last
 * message is the user's and {@code tool_choice} is not {@code none}, it calls the named (or first) tool with
 * arguments built from the schema's required properties. After a tool result it says
 * {@code Tool result: <text>}; otherwise {@code Echo: <last user text>}.
 */
final class FakeReplies {
  static final String FINGERPRINT = "fp_sluice_fake";

  /** One answer, ready to be encoded whole or as stream chunks. */
  record Reply(String id, long created, String model, int choices, String content, String toolCallId,
               String toolName, String toolArguments, int promptTokens, int completionTokens, int cachedTokens,
               int reasoningTokens) {
    boolean isToolCall() {
      return toolName != null;
    }

    String finishReason() {
      return isToolCall() ? "tool_calls" : "stop";
    }
  }

  private FakeReplies() {}

  static Reply chat(JsonObject body, String model, int cachedTokens, int reasoningTokens) {
    JsonArray messages = body.getValue("messages") instanceof JsonArray a ? a : new JsonArray();
    JsonObject last = messages.isEmpty() || !(messages.getValue(messages.size() - 1) instanceof JsonObject o)
        ? new JsonObject() : o;
    String role = last.getValue("role") instanceof String s ? s : "";
    int prompt = 3;
    for (Object m : messages) {
      if (m instanceof JsonObject message) prompt += 3 + tokens(text(message)) + 85 * images(message);
    }
    prompt = Math.max(prompt, cachedTokens);
    int n = body.getValue("n") instanceof Number num ? Math.max(1, num.intValue()) : 1;
    long created = System.currentTimeMillis() / 1000;
    String id = "chatcmpl-fake" + Integer.toHexString(body.hashCode() & 0x7fffffff);
    String toolName = toolToCall(body, role);
    if (toolName != null) {
      String args = arguments(body, toolName);
      String callId = "call_fake" + Integer.toHexString((toolName + args + id).hashCode() & 0x7fffffff);
      return new Reply(id, created, model, n, null, callId, toolName, args, prompt,
          tokens(toolName + args) + reasoningTokens, cachedTokens, reasoningTokens);
    }
    String content = "tool".equals(role) ? "Tool result: " + text(last) : "Echo: " + lastUserText(messages);
    return new Reply(id, created, model, n, content, null, null, null, prompt, tokens(content) + reasoningTokens,
        cachedTokens, reasoningTokens);
  }

  private static String toolToCall(JsonObject body, String lastRole) {
    if (!(body.getValue("tools") instanceof JsonArray tools) || tools.isEmpty() || !"user".equals(lastRole)) {
      return null;
    }
    Object choice = body.getValue("tool_choice");
    if ("none".equals(choice)) return null;
    if (choice instanceof JsonObject c && c.getValue("function") instanceof JsonObject f
        && f.getValue("name") instanceof String name) {
      return name;
    }
    return tools.getValue(0) instanceof JsonObject t && t.getValue("function") instanceof JsonObject f
        && f.getValue("name") instanceof String name ? name : null;
  }

  /** {@code {}}, or one value per required property: its first enum value, or a fixed value of its type. */
  private static String arguments(JsonObject body, String toolName) {
    JsonObject args = new JsonObject();
    for (Object t : body.getJsonArray("tools")) {
      if (!(t instanceof JsonObject tool) || !(tool.getValue("function") instanceof JsonObject f)
          || !toolName.equals(f.getValue("name")) || !(f.getValue("parameters") instanceof JsonObject schema)) {
        continue;
      }
      JsonObject props = schema.getValue("properties") instanceof JsonObject p ? p : new JsonObject();
      if (!(schema.getValue("required") instanceof JsonArray required)) break;
      for (Object r : required) {
        if (!(r instanceof String name)) continue;
        JsonObject prop = props.getValue(name) instanceof JsonObject p ? p : new JsonObject();
        args.put(name, sampleValue(prop));
      }
      break;
    }
    return args.encode();
  }

  private static Object sampleValue(JsonObject prop) {
    if (prop.getValue("enum") instanceof JsonArray values && !values.isEmpty()) return values.getValue(0);
    Object type = prop.getValue("type");
    if (type instanceof JsonArray types && !types.isEmpty()) type = types.getValue(0);
    if ("integer".equals(type) || "number".equals(type)) return 1;
    if ("boolean".equals(type)) return true;
    if ("array".equals(type)) return new JsonArray();
    if ("object".equals(type)) return new JsonObject();
    return "test";
  }

  private static String lastUserText(JsonArray messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.getValue(i) instanceof JsonObject m && "user".equals(m.getValue("role"))) return text(m);
    }
    return "";
  }

  static String text(JsonObject message) {
    Object content = message.getValue("content");
    if (content instanceof String s) return s;
    StringBuilder sb = new StringBuilder();
    if (content instanceof JsonArray parts) {
      for (Object p : parts) {
        if (p instanceof JsonObject part && "text".equals(part.getValue("type"))
            && part.getValue("text") instanceof String s) {
          sb.append(s);
        }
      }
    }
    return sb.toString();
  }

  private static int images(JsonObject message) {
    int n = 0;
    if (message.getValue("content") instanceof JsonArray parts) {
      for (Object p : parts) {
        if (p instanceof JsonObject part && "image_url".equals(part.getValue("type"))) n++;
      }
    }
    return n;
  }

  /** About four characters a token, as OpenAI's rule of thumb says. */
  static int tokens(String text) {
    return text.isEmpty() ? 0 : Math.max(1, (text.length() + 3) / 4);
  }

  // ---- encoding ----

  static Buffer completion(Reply r) {
    JsonArray choices = new JsonArray();
    for (int i = 0; i < r.choices(); i++) {
      JsonObject message = new JsonObject().put("role", "assistant").put("content", r.content());
      if (r.isToolCall()) message.put("tool_calls", new JsonArray().add(toolCall(r)));
      message.putNull("refusal").put("annotations", new JsonArray());
      choices.add(new JsonObject().put("index", i).put("message", message).putNull("logprobs")
          .put("finish_reason", r.finishReason()));
    }
    return new JsonObject().put("id", r.id()).put("object", "chat.completion").put("created", r.created())
        .put("model", r.model()).put("choices", choices).put("usage", usage(r)).put("service_tier", "default")
        .put("system_fingerprint", FINGERPRINT).toBuffer();
  }

  private static JsonObject toolCall(Reply r) {
    return new JsonObject().put("id", r.toolCallId()).put("type", "function")
        .put("function", new JsonObject().put("name", r.toolName()).put("arguments", r.toolArguments()));
  }

  static JsonObject usage(Reply r) {
    return new JsonObject().put("prompt_tokens", r.promptTokens()).put("completion_tokens", r.completionTokens())
        .put("total_tokens", r.promptTokens() + r.completionTokens())
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", r.cachedTokens()).put("audio_tokens", 0))
        .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", r.reasoningTokens())
            .put("audio_tokens", 0).put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0));
  }

  /**
   * The stream's events, each {@code data: ...\n\n}: a role chunk, the content (or argument) deltas in up to
   * {@code pieces} parts, the finish chunk, the usage chunk when asked for, and {@code [DONE]} last.
   */
  static List<Buffer> streamEvents(Reply r, int pieces, boolean includeUsage) {
    List<Buffer> events = new ArrayList<>();
    for (int i = 0; i < r.choices(); i++) {
      JsonObject delta = new JsonObject().put("role", "assistant");
      if (r.isToolCall()) {
        delta.putNull("content").put("tool_calls", new JsonArray().add(new JsonObject().put("index", 0)
            .put("id", r.toolCallId()).put("type", "function")
            .put("function", new JsonObject().put("name", r.toolName()).put("arguments", ""))));
      } else {
        delta.put("content", "");
      }
      events.add(chunk(r, i, delta.putNull("refusal"), null, includeUsage));
    }
    for (String piece : split(r.isToolCall() ? r.toolArguments() : r.content(), pieces)) {
      for (int i = 0; i < r.choices(); i++) {
        JsonObject delta = r.isToolCall()
            ? new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject().put("index", 0)
                .put("function", new JsonObject().put("arguments", piece))))
            : new JsonObject().put("content", piece);
        events.add(chunk(r, i, delta, null, includeUsage));
      }
    }
    for (int i = 0; i < r.choices(); i++) {
      events.add(chunk(r, i, new JsonObject(), r.finishReason(), includeUsage));
    }
    if (includeUsage) {
      events.add(event(header(r).put("choices", new JsonArray()).put("usage", usage(r)).encode()));
    }
    events.add(event("[DONE]"));
    return events;
  }

  private static Buffer chunk(Reply r, int index, JsonObject delta, String finishReason, boolean includeUsage) {
    JsonObject choice = new JsonObject().put("index", index).put("delta", delta).putNull("logprobs")
        .put("finish_reason", finishReason);
    JsonObject o = header(r).put("choices", new JsonArray().add(choice));
    if (includeUsage) o.putNull("usage");
    return event(o.encode());
  }

  private static JsonObject header(Reply r) {
    return new JsonObject().put("id", r.id()).put("object", "chat.completion.chunk").put("created", r.created())
        .put("model", r.model()).put("service_tier", "default").put("system_fingerprint", FINGERPRINT);
  }

  static Buffer event(String data) {
    return Buffer.buffer("data: " + data + "\n\n");
  }

  /** Up to {@code pieces} non-empty parts, split on code point boundaries. */
  static List<String> split(String text, int pieces) {
    List<String> out = new ArrayList<>();
    int codePoints = text.codePointCount(0, text.length());
    if (codePoints == 0) return out;
    int n = Math.max(1, Math.min(pieces, codePoints));
    int start = 0;
    for (int i = 0; i < n; i++) {
      int count = codePoints / n + (i < codePoints % n ? 1 : 0);
      int end = text.offsetByCodePoints(start, count);
      out.add(text.substring(start, end));
      start = end;
    }
    return out;
  }

  // ---- embeddings, models, errors ----

  /** One unit vector per input, derived from the text alone. */
  static Buffer embeddings(JsonObject body, String model, int defaultDimensions) {
    Object input = body.getValue("input");
    List<String> texts = new ArrayList<>();
    if (input instanceof JsonArray a) {
      for (Object o : a) texts.add(String.valueOf(o));
    } else {
      texts.add(String.valueOf(input));
    }
    int dims = body.getValue("dimensions") instanceof Number d ? d.intValue() : defaultDimensions;
    JsonArray data = new JsonArray();
    int tokens = 0;
    for (int i = 0; i < texts.size(); i++) {
      data.add(new JsonObject().put("object", "embedding").put("index", i)
          .put("embedding", vector(texts.get(i), dims)));
      tokens += tokens(texts.get(i));
    }
    return new JsonObject().put("object", "list").put("data", data).put("model", model)
        .put("usage", new JsonObject().put("prompt_tokens", tokens).put("total_tokens", tokens)).toBuffer();
  }

  static JsonArray vector(String text, int dims) {
    SplittableRandom random = new SplittableRandom(text.hashCode());
    double[] v = new double[dims];
    double norm = 0;
    for (int i = 0; i < dims; i++) {
      v[i] = random.nextDouble(-1, 1);
      norm += v[i] * v[i];
    }
    norm = Math.sqrt(norm);
    JsonArray out = new JsonArray(new ArrayList<>(dims));
    for (double d : v) out.add((float) (d / norm));
    return out;
  }

  static Buffer models(List<String> ids) {
    JsonArray data = new JsonArray();
    for (String id : ids) data.add(model(id));
    return new JsonObject().put("object", "list").put("data", data).toBuffer();
  }

  static JsonObject model(String id) {
    return new JsonObject().put("id", id).put("object", "model").put("created", 1_715_367_049L)
        .put("owned_by", "system");
  }

  static Buffer error(int status, FakeFault f) {
    return errorObject(status, f).toBuffer();
  }

  /** The in-stream error event OpenAI sends when a started stream fails. */
  static Buffer errorEvent(FakeFault f) {
    return event(errorObject(500, f).encode());
  }

  private static JsonObject errorObject(int status, FakeFault f) {
    String type;
    String code;
    String message;
    switch (status) {
      case 401 -> { type = "invalid_request_error"; code = "invalid_api_key";
        message = "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys."; }
      case 403 -> { type = "invalid_request_error"; code = "unsupported_country_region_territory";
        message = "Country, region, or territory not supported"; }
      case 404 -> { type = "invalid_request_error"; code = "model_not_found";
        message = "The model does not exist or you do not have access to it."; }
      case 429 -> { type = "requests"; code = "rate_limit_exceeded";
        message = "Rate limit reached for requests. Please try again later."; }
      case 503 -> { type = "server_error"; code = null;
        message = "The engine is currently overloaded, please try again later"; }
      default -> {
        type = status >= 500 ? "server_error" : "invalid_request_error";
        code = null;
        message = status >= 500 ? "The server had an error while processing your request. Sorry about that!"
            : "Invalid request (fake upstream status " + status + ").";
      }
    }
    JsonObject error = new JsonObject()
        .put("message", f.errorMessage() != null ? f.errorMessage() : message)
        .put("type", f.errorType() != null ? f.errorType() : type).putNull("param")
        .put("code", f.errorCode() != null ? f.errorCode() : code);
    if ("context_length_exceeded".equals(error.getValue("code"))) error.put("param", "messages");
    return new JsonObject().put("error", error);
  }
}
