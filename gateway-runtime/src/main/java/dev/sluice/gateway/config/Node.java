package dev.sluice.gateway.config;

import dev.sluice.api.ConfigError;
import dev.sluice.api.Durations;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A map in the config tree with its path; typed reads throw {@link ConfigError} naming path and value. */
final class Node {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|mb|gb)?", Pattern.CASE_INSENSITIVE);

  final String path;
  final JsonObject values;

  Node(String path, JsonObject values) {
    this.path = path;
    this.values = values == null ? new JsonObject() : values;
  }

  String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  void allowOnly(String... known) {
    Set<String> keys = new TreeSet<>(List.of(known));
    for (String key : values.fieldNames()) {
      if (!keys.contains(key)) throw ConfigError.unknownKey(pathOf(key), keys);
    }
  }

  boolean has(String key) {
    return values.getValue(key) != null;
  }

  Object raw(String key) {
    return values.getValue(key);
  }

  Node child(String key) {
    Object v = values.getValue(key);
    if (v == null) return new Node(pathOf(key), new JsonObject());
    if (!(v instanceof JsonObject o)) throw ConfigError.invalid(pathOf(key), v, "expected a map");
    return new Node(pathOf(key), o);
  }

  List<Node> list(String key) {
    Object v = values.getValue(key);
    if (v == null) return List.of();
    if (!(v instanceof JsonArray a)) throw ConfigError.invalid(pathOf(key), v, "expected a list");
    List<Node> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      String p = pathOf(key) + "[" + i + "]";
      if (!(a.getValue(i) instanceof JsonObject o)) throw ConfigError.invalid(p, a.getValue(i), "expected a map");
      out.add(new Node(p, o));
    }
    return out;
  }

  String string(String key, String defaultValue) {
    Object v = values.getValue(key);
    if (v == null) return defaultValue;
    if (v instanceof String s) return s;
    if (v instanceof Number || v instanceof Boolean) return String.valueOf(v);
    throw ConfigError.invalid(pathOf(key), v, "expected a string");
  }

  String requireString(String key, String expected) {
    String s = string(key, null);
    if (s == null || s.isBlank()) throw ConfigError.missing(pathOf(key), expected);
    return s;
  }

  String oneOf(String key, String defaultValue, String... allowed) {
    String s = string(key, defaultValue);
    for (String a : allowed) {
      if (a.equals(s)) return s;
    }
    throw ConfigError.invalid(pathOf(key), s, "expected one of " + String.join(", ", allowed));
  }

  int integer(String key, int defaultValue, int min, int max) {
    Object v = values.getValue(key);
    if (v == null) return defaultValue;
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min || ((Number) v).longValue() > max) {
      throw ConfigError.invalid(pathOf(key), v, "expected a whole number from " + min + " to " + max);
    }
    return ((Number) v).intValue();
  }

  boolean bool(String key, boolean defaultValue) {
    Object v = values.getValue(key);
    if (v == null) return defaultValue;
    if (!(v instanceof Boolean b)) throw ConfigError.invalid(pathOf(key), v, "expected true or false");
    return b;
  }

  Duration duration(String key, Duration defaultValue) {
    Object v = values.getValue(key);
    return v == null ? defaultValue : Durations.parse(pathOf(key), v);
  }

  /** A byte size: a number of bytes, or {@code 512KB}, {@code 16MB}, {@code 1GB}. */
  long bytes(String key, long defaultValue) {
    Object v = values.getValue(key);
    if (v == null) return defaultValue;
    Matcher m = SIZE.matcher(String.valueOf(v).trim());
    if (!(v instanceof String || v instanceof Integer || v instanceof Long) || !m.matches()) {
      throw ConfigError.invalid(pathOf(key), v, "expected a size such as 1048576, 512KB or 16MB");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    long bytes = switch (unit) {
      case "kb" -> n * 1024;
      case "mb" -> n * 1024 * 1024;
      case "gb" -> n * 1024 * 1024 * 1024;
      default -> n;
    };
    if (bytes < 1) throw ConfigError.invalid(pathOf(key), v, "must be at least 1 byte");
    return bytes;
  }
}
