package dev.sluice.api.wire;

import dev.sluice.api.GatewayError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Typed reads of JSON fields. A wrong type fails with the field's full path, blamed on whoever sent the JSON:
 * the client ({@link #CLIENT}: a 400 naming the parameter) or an upstream ({@link #upstream}: a protocol error).
 * Shared by the OpenAI codec and provider plugins.
 */
public final class JsonFields {
  /** Makes the error for a bad field. */
  public interface Blame {
    GatewayError at(String path, String message);
  }

  /** Bad client input: 400 naming the parameter. */
  public static final Blame CLIENT = (path, message) -> GatewayError.badParam(path, "Invalid '" + path + "': " + message);

  /** Bad output of the upstream {@code who} (e.g. "Anthropic"): a protocol error naming the field. */
  public static Blame upstream(String who) {
    return (path, message) -> GatewayError.protocol(who + " sent a malformed response at '" + path + "': " + message);
  }

  private JsonFields() {}

  public static String path(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  public static String string(JsonObject o, String key, String parent, Blame errors) {
    Object v = o.getValue(key);
    if (v == null || v instanceof String) return (String) v;
    throw errors.at(path(parent, key), "expected a string, got " + typeOf(v));
  }

  public static String requireString(JsonObject o, String key, String parent, Blame errors) {
    String s = string(o, key, parent, errors);
    if (s == null) throw errors.at(path(parent, key), "is required");
    return s;
  }

  public static Boolean bool(JsonObject o, String key, String parent, Blame errors) {
    Object v = o.getValue(key);
    if (v == null || v instanceof Boolean) return (Boolean) v;
    throw errors.at(path(parent, key), "expected a boolean, got " + typeOf(v));
  }

  public static Integer integer(JsonObject o, String key, String parent, Blame errors) {
    Object v = o.getValue(key);
    if (v == null) return null;
    if (v instanceof Integer i) return i;
    if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) return l.intValue();
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 2e9) {
      return n.intValue();
    }
    throw errors.at(path(parent, key), "expected an integer, got " + typeOf(v) + " " + v);
  }

  public static int count(JsonObject o, String key, String parent, Blame errors) {
    Integer i = integer(o, key, parent, errors);
    if (i != null && i < 0) throw errors.at(path(parent, key), "cannot be negative");
    return i == null ? 0 : i;
  }

  public static Long longValue(JsonObject o, String key, String parent, Blame errors) {
    Object v = o.getValue(key);
    if (v == null) return null;
    if (v instanceof Integer || v instanceof Long) return ((Number) v).longValue();
    throw errors.at(path(parent, key), "expected an integer, got " + typeOf(v) + " " + v);
  }

  public static Double number(JsonObject o, String key, String parent, Blame errors) {
    Object v = o.getValue(key);
    if (v == null) return null;
    if (v instanceof Number n) return n.doubleValue();
    throw errors.at(path(parent, key), "expected a number, got " + typeOf(v));
  }

  public static JsonObject object(JsonObject o, String key, String parent, Blame errors) {
    Object v = o.getValue(key);
    if (v == null || v instanceof JsonObject) return (JsonObject) v;
    throw errors.at(path(parent, key), "expected an object, got " + typeOf(v));
  }

  public static JsonArray array(JsonObject o, String key, String parent, Blame errors) {
    Object v = o.getValue(key);
    if (v == null || v instanceof JsonArray) return (JsonArray) v;
    throw errors.at(path(parent, key), "expected an array, got " + typeOf(v));
  }

  public static JsonObject objectAt(JsonArray a, int i, String path, Blame errors) {
    Object v = a.getValue(i);
    if (v instanceof JsonObject o) return o;
    throw errors.at(path + "[" + i + "]", "expected an object, got " + typeOf(v));
  }

  public static String typeOf(Object v) {
    if (v == null) return "null";
    if (v instanceof String) return "a string";
    if (v instanceof Boolean) return "a boolean";
    if (v instanceof Number) return "a number";
    if (v instanceof JsonArray) return "an array";
    if (v instanceof JsonObject) return "an object";
    return v.getClass().getSimpleName();
  }
}
