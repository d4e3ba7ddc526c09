package dev.sluice.api.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.Usage;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one OpenAI stream chunk ({@code chat.completion.chunk} JSON) straight into a {@link ChatChunk} with
 * Jackson's streaming parser, with {@link JsonFields}' rules and messages for fields of the wrong type, but
 * without building a JSON tree first: it runs for every event of every upstream stream, and the tree was the
 * largest cost of relaying one.
 *
 * <p>A chunk that carries a top-level {@code error} is not a chunk: {@link #read} answers {@code null} and the
 * caller classifies the error from the tree (rare, so it may be slow).
 */
public final class OpenAiChunkReader {
  private static final JsonFactory JSON = new JsonFactory();

  private final String upstream;
  private final JsonFields.Blame errors;

  /** A reader of chunks from {@code upstream} (its name, for error messages). */
  public OpenAiChunkReader(String upstream) {
    this.upstream = upstream;
    this.errors = JsonFields.upstream(upstream);
  }

  /**
   * The chunk in {@code json}, or {@code null} when it is an error event. Fails with a protocol error when
   * {@code json} is not a JSON object or a known field has the wrong type.
   */
  public ChatChunk read(String json) {
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw notAnObject(json, null);
      String id = null;
      String model = null;
      String fingerprint = null;
      long created = 0;
      List<ChatChunk.Delta> deltas = List.of();
      Usage usage = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "id" -> id = string(p, t, "id");
          case "model" -> model = string(p, t, "model");
          case "system_fingerprint" -> fingerprint = string(p, t, "system_fingerprint");
          case "created" -> created = t == JsonToken.VALUE_NULL ? 0 : longValue(p, t, "created");
          case "choices" -> deltas = choices(p, t);
          case "usage" -> usage = t == JsonToken.VALUE_NULL ? null : usage(p, t);
          case "error" -> {
            if (t != JsonToken.VALUE_NULL) return null;
          }
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) throw notAnObject(json, null);
      return new ChatChunk(id, created, model, deltas, usage, fingerprint);
    } catch (JsonProcessingException e) {
      throw notAnObject(json, e);
    } catch (IOException e) {
      throw notAnObject(json, e); // reading a String does no I/O
    }
  }

  private List<ChatChunk.Delta> choices(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) return List.of();
    if (t != JsonToken.START_ARRAY) throw wrong("choices", "an array", t);
    List<ChatChunk.Delta> out = new ArrayList<>(1);
    int i = 0;
    for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken(), i++) {
      if (e != JsonToken.START_OBJECT) throw wrong("choices[" + i + "]", "an object", e);
      out.add(choice(p, i));
    }
    return out;
  }

  private ChatChunk.Delta choice(JsonParser p, int i) throws IOException {
    String path = "choices[" + i + "]";
    Integer index = null;
    String finish = null;
    JsonObject logprobs = null;
    Role role = null;
    String content = null;
    List<ChatChunk.ToolCallDelta> calls = List.of();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "index" -> index = integer(p, t, path + ".index");
        case "finish_reason" -> finish = string(p, t, path + ".finish_reason");
        case "logprobs" -> logprobs = object(p, t, path + ".logprobs");
        case "delta" -> {
          if (t == JsonToken.VALUE_NULL) break;
          if (t != JsonToken.START_OBJECT) throw wrong(path + ".delta", "an object", t);
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
              case "role" -> role = Role.fromWire(string(p, v, path + ".role"));
              case "content" -> content = string(p, v, path + ".delta.content");
              case "tool_calls" -> calls = toolCalls(p, v, path + ".delta.tool_calls");
              default -> p.skipChildren();
            }
          }
        }
        default -> p.skipChildren();
      }
    }
    return new ChatChunk.Delta(index == null ? i : index, role, content, calls, finish, logprobs);
  }

  private List<ChatChunk.ToolCallDelta> toolCalls(JsonParser p, JsonToken t, String path) throws IOException {
    if (t == JsonToken.VALUE_NULL) return List.of();
    if (t != JsonToken.START_ARRAY) throw wrong(path, "an array", t);
    List<ChatChunk.ToolCallDelta> out = new ArrayList<>(1);
    int i = 0;
    for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken(), i++) {
      String at = path + "[" + i + "]";
      if (e != JsonToken.START_OBJECT) throw wrong(at, "an object", e);
      Integer index = null;
      String id = null;
      String name = null;
      String arguments = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "index" -> index = integer(p, v, at + ".index");
          case "id" -> id = string(p, v, at + ".id");
          case "function" -> {
            if (v == JsonToken.VALUE_NULL) break;
            if (v != JsonToken.START_OBJECT) throw wrong(at + ".function", "an object", v);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String f = p.currentName();
              JsonToken w = p.nextToken();
              switch (f) {
                case "name" -> name = string(p, w, at + ".function.name");
                case "arguments" -> arguments = string(p, w, at + ".function.arguments");
                default -> p.skipChildren();
              }
            }
          }
          default -> p.skipChildren();
        }
      }
      out.add(new ChatChunk.ToolCallDelta(index == null ? i : index, id, name, arguments));
    }
    return out.isEmpty() ? List.of() : out;
  }

  private Usage usage(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_OBJECT) throw wrong("usage", "an object", t);
    int prompt = 0;
    int completion = 0;
    Integer total = null;
    int cached = 0;
    int reasoning = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "prompt_tokens" -> prompt = count(p, v, "usage.prompt_tokens");
        case "completion_tokens" -> completion = count(p, v, "usage.completion_tokens");
        case "total_tokens" -> total = integer(p, v, "usage.total_tokens");
        case "prompt_tokens_details" -> cached = detail(p, v, "usage.prompt_tokens_details", "cached_tokens");
        case "completion_tokens_details" ->
            reasoning = detail(p, v, "usage.completion_tokens_details", "reasoning_tokens");
        default -> p.skipChildren();
      }
    }
    return new Usage(prompt, completion, total == null ? prompt + completion : total, cached, 0, reasoning);
  }

  /** The count {@code key} inside the details object at {@code path}; 0 when absent. */
  private int detail(JsonParser p, JsonToken t, String path, String key) throws IOException {
    if (t == JsonToken.VALUE_NULL) return 0;
    if (t != JsonToken.START_OBJECT) throw wrong(path, "an object", t);
    int value = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if (field.equals(key)) value = count(p, v, path + "." + key);
      else p.skipChildren();
    }
    return value;
  }

  // ---- typed values, with JsonFields' rules and messages ----

  private String string(JsonParser p, JsonToken t, String path) throws IOException {
    if (t == JsonToken.VALUE_NULL) return null;
    if (t == JsonToken.VALUE_STRING) return p.getText();
    throw wrong(path, "a string", t);
  }

  private Integer integer(JsonParser p, JsonToken t, String path) throws IOException {
    if (t == JsonToken.VALUE_NULL) return null;
    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) return p.getIntValue();
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      double d = p.getDoubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 2e9) return (int) d;
      throw errors.at(path, "expected an integer, got a number " + p.getText());
    }
    throw wrong(path, "an integer", t);
  }

  private int count(JsonParser p, JsonToken t, String path) throws IOException {
    Integer i = integer(p, t, path);
    if (i != null && i < 0) throw errors.at(path, "cannot be negative");
    return i == null ? 0 : i;
  }

  private long longValue(JsonParser p, JsonToken t, String path) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      return p.getLongValue();
    }
    throw wrong(path, "an integer", t);
  }

  /** A rare pass-through object (logprobs): read as a tree. */
  private JsonObject object(JsonParser p, JsonToken t, String path) throws IOException {
    if (t == JsonToken.VALUE_NULL) return null;
    if (t != JsonToken.START_OBJECT) throw wrong(path, "an object", t);
    java.io.StringWriter copy = new java.io.StringWriter();
    try (com.fasterxml.jackson.core.JsonGenerator g = JSON.createGenerator(copy)) {
      g.copyCurrentStructure(p);
    }
    return new JsonObject(copy.toString());
  }

  private GatewayError wrong(String path, String expected, JsonToken got) {
    return errors.at(path, "expected " + expected + ", got " + kind(got));
  }

  private static String kind(JsonToken t) {
    if (t == null) return "nothing";
    return switch (t) {
      case VALUE_NULL -> "null";
      case VALUE_STRING -> "a string";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case START_ARRAY -> "an array";
      case START_OBJECT -> "an object";
      default -> t.asString();
    };
  }

  private GatewayError notAnObject(String json, Exception cause) {
    String shown = json.length() > 200 ? json.substring(0, 200) + "..." : json;
    return GatewayError.protocol(upstream + " sent a stream chunk that is not a JSON object: " + shown, cause);
  }
}
