package dev.sluice.plugins.gemini;

import dev.sluice.api.GatewayError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Typed reads of Gemini's answers; anything off-protocol is a {@link GatewayError#protocol} naming the field. */
final class Wire {
  private Wire() {}

  static JsonObject parse(Buffer body, String what) {
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      throw GatewayError.protocol("Gemini sent " + what + " that is not a JSON object: " + excerpt(body.toString()));
    }
  }

  static JsonObject object(JsonObject o, String key, String path) {
    Object v = o.getValue(key);
    if (v == null || v instanceof JsonObject) return (JsonObject) v;
    throw malformed(path + "." + key, "an object", v);
  }

  static JsonArray array(JsonObject o, String key, String path) {
    Object v = o.getValue(key);
    if (v == null || v instanceof JsonArray) return (JsonArray) v;
    throw malformed(path + "." + key, "an array", v);
  }

  static JsonObject objectAt(JsonArray a, int i, String path) {
    Object v = a.getValue(i);
    if (v instanceof JsonObject o) return o;
    throw malformed(path + "[" + i + "]", "an object", v);
  }

  static String string(JsonObject o, String key, String path) {
    Object v = o.getValue(key);
    if (v == null || v instanceof String) return (String) v;
    throw malformed(path + "." + key, "a string", v);
  }

  /** A token count: Gemini omits zero counts, and proto3 JSON may quote 64-bit numbers. */
  static int count(JsonObject o, String key, String path) {
    Object v = o.getValue(key);
    if (v == null) return 0;
    try {
      long n = v instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue()) ? num.longValue()
          : v instanceof String s ? Long.parseLong(s) : -1;
      if (n >= 0 && n <= Integer.MAX_VALUE) return (int) n;
    } catch (NumberFormatException ignored) {
      // falls through to the error below
    }
    throw malformed(path + "." + key, "a token count", v);
  }

  static GatewayError malformed(String path, String expected, Object value) {
    return GatewayError.protocol("Gemini response is malformed at '" + path + "': expected " + expected + ", got "
        + excerpt(String.valueOf(value)));
  }

  static String excerpt(String text) {
    String s = text.strip();
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
