package dev.sluice.wire.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.Usage;
import dev.sluice.api.wire.JsonFields;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  private final String upstream;
  private final JsonFields.Blame errors;
  /** The usual chunk, read without Jackson; anything else falls through to it. */
  private final PlainChunkReader plain = new PlainChunkReader();

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
      return chunk(p, json);
    } catch (JsonProcessingException e) {
      throw notAnObject(json, e);
    } catch (IOException e) {
      throw notAnObject(json, e); // reading a String does no I/O
    }
  }

  /**
   * The chunk in the UTF-8 bytes {@code json[offset, offset + length)}: always the same answer, or the same
   * failure, as {@link #read(String)} on their decoded text, without decoding them first. Bytes that are not
   * strict UTF-8 (which decoding would replace), or that hold a NUL (which could make Jackson guess another
   * encoding), and anything that fails, take the text path, so its rules and messages stay the only ones. The
   * usual chunk is read by hand ({@link PlainChunkReader}), which answers only when Jackson would answer the same.
   * A reader is confined to one stream's thread.
   */
  public ChatChunk read(byte[] json, int offset, int length) {
    if (length == 0 || json[offset] != '{' || !strictUtf8WithoutNul(json, offset, length)) {
      return read(new String(json, offset, length, StandardCharsets.UTF_8));
    }
    ChatChunk usual = plain.read(json, offset, length);
    if (usual != null) return usual;
    try (JsonParser p = JSON.createParser(json, offset, length)) {
      return chunk(p, null);
    } catch (IOException | RuntimeException e) {
      return read(new String(json, offset, length, StandardCharsets.UTF_8));
    }
  }

  /** The chunk {@code p} reads; {@code text} is the source for error messages (null: the caller falls back). */
  private ChatChunk chunk(JsonParser p, String text) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) throw notAnObject(text, null);
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
    if (p.nextToken() != null) throw notAnObject(text, null);
    return new ChatChunk(id, created, model, deltas, usage, fingerprint);
  }

  /**
   * Whether {@code b[offset, offset + length)} is UTF-8 that Java decodes without replacing anything (no stray
   * continuation bytes, overlong forms, surrogates or code points over U+10FFFF, nothing truncated) and holds
   * no NUL byte.
   */
  static boolean strictUtf8WithoutNul(byte[] b, int offset, int length) {
    int end = offset + length;
    int i = offset;
    // Eight bytes at a time while they are ASCII without NUL (almost always): no byte with its top bit set, none 0.
    for (; i + 8 <= end; i += 8) {
      long x = (long) LONGS.get(b, i);
      if ((x & 0x8080808080808080L) != 0 || ((x - 0x0101010101010101L) & ~x & 0x8080808080808080L) != 0) break;
    }
    while (i < end) {
      int c = b[i];
      if (c > 0) {
        i++;
        continue;
      }
      if (c == 0) return false;
      int lead = c & 0xFF;
      if (lead < 0xC2) return false;
      if (lead < 0xE0) {
        if (end - i < 2 || !continuation(b[i + 1])) return false;
        i += 2;
      } else if (lead < 0xF0) {
        if (end - i < 3 || !continuation(b[i + 1]) || !continuation(b[i + 2])) return false;
        int second = b[i + 1] & 0xFF;
        if (lead == 0xE0 && second < 0xA0 || lead == 0xED && second >= 0xA0) return false;
        i += 3;
      } else if (lead < 0xF5) {
        if (end - i < 4 || !continuation(b[i + 1]) || !continuation(b[i + 2]) || !continuation(b[i + 3])) {
          return false;
        }
        int second = b[i + 1] & 0xFF;
        if (lead == 0xF0 && second < 0x90 || lead == 0xF4 && second >= 0x90) return false;
        i += 4;
      } else {
        return false;
      }
    }
    return true;
  }

  private static boolean continuation(byte b) {
    return (b & 0xC0) == 0x80;
  }

  private List<ChatChunk.Delta> choices(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) return List.of();
    if (t != JsonToken.START_ARRAY) throw wrong("choices", "an array", t);
    List<ChatChunk.Delta> out = null;
    int i = 0;
    for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken(), i++) {
      if (e != JsonToken.START_OBJECT) throw wrong("choices[" + i + "]", "an object", e);
      ChatChunk.Delta d = choice(p, i);
      out = OneOrMore.plus(out, d);
    }
    return out == null ? List.of() : out;
  }

  private ChatChunk.Delta choice(JsonParser p, int i) throws IOException {
    // Paths in error messages are built only when there is an error: this runs for every event of every stream.
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
        case "index" -> index = integer(p, t, "choices", i, ".index");
        case "finish_reason" -> finish = string(p, t, "choices", i, ".finish_reason");
        case "logprobs" -> logprobs = object(p, t, "choices", i, ".logprobs");
        case "delta" -> {
          if (t == JsonToken.VALUE_NULL) break;
          if (t != JsonToken.START_OBJECT) throw wrong(path("choices", i, ".delta"), "an object", t);
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
              case "role" -> role = Role.fromWire(string(p, v, "choices", i, ".role"));
              case "content" -> content = string(p, v, "choices", i, ".delta.content");
              case "tool_calls" -> calls = toolCalls(p, v, "choices[" + i + "].delta.tool_calls");
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
      if (e != JsonToken.START_OBJECT) throw wrong(path(path, i, ""), "an object", e);
      Integer index = null;
      String id = null;
      String name = null;
      String arguments = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "index" -> index = integer(p, v, path, i, ".index");
          case "id" -> id = string(p, v, path, i, ".id");
          case "function" -> {
            if (v == JsonToken.VALUE_NULL) break;
            if (v != JsonToken.START_OBJECT) throw wrong(path(path, i, ".function"), "an object", v);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String f = p.currentName();
              JsonToken w = p.nextToken();
              switch (f) {
                case "name" -> name = string(p, w, path, i, ".function.name");
                case "arguments" -> arguments = string(p, w, path, i, ".function.arguments");
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

  /** {@code head[index]tail}, or {@code tail} alone when there is no head. */
  private static String path(String head, int index, String tail) {
    return head == null ? tail : head + "[" + index + "]" + tail;
  }

  private String string(JsonParser p, JsonToken t, String path) throws IOException {
    return string(p, t, null, 0, path);
  }

  private String string(JsonParser p, JsonToken t, String head, int index, String tail) throws IOException {
    if (t == JsonToken.VALUE_NULL) return null;
    if (t == JsonToken.VALUE_STRING) return p.getText();
    throw wrong(path(head, index, tail), "a string", t);
  }

  private Integer integer(JsonParser p, JsonToken t, String head, int index, String tail) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) return p.getIntValue();
    return integer(p, t, path(head, index, tail));
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
  private JsonObject object(JsonParser p, JsonToken t, String head, int index, String tail) throws IOException {
    if (t == JsonToken.VALUE_NULL) return null;
    if (t != JsonToken.START_OBJECT) throw wrong(path(head, index, tail), "an object", t);
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
    if (json == null) return GatewayError.protocol(upstream + " sent a stream chunk that is not a JSON object", cause);
    String shown = json.length() > 200 ? json.substring(0, 200) + "..." : json;
    return GatewayError.protocol(upstream + " sent a stream chunk that is not a JSON object: " + shown, cause);
  }
}
