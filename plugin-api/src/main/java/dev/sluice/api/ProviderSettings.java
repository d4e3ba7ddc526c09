package dev.sluice.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One {@code providers[]} entry of {@code config.yaml}, variables already resolved. Every getter validates and
 * throws a {@link ConfigError} naming the full path ({@code providers[2].base_url}) and the bad value.
 */
public final class ProviderSettings {
  private final String path;
  private final String id;
  private final String type;
  private final JsonObject values;

  public ProviderSettings(String path, String id, String type, JsonObject values) {
    this.path = path;
    this.id = id;
    this.type = type;
    this.values = values.copy();
  }

  public String id() {
    return id;
  }

  public String type() {
    return type;
  }

  /** Where the entry is, e.g. {@code providers[2]}. */
  public String path() {
    return path;
  }

  public String pathOf(String key) {
    return path + "." + key;
  }

  /** Fails on any key outside {@code known} (plus {@code id} and {@code type}), naming it and the known ones. */
  public ProviderSettings allowOnly(Collection<String> known) {
    Set<String> all = new TreeSet<>(known);
    all.add("id");
    all.add("type");
    for (String key : values.fieldNames()) {
      if (!all.contains(key)) throw ConfigError.unknownKey(pathOf(key), all);
    }
    return this;
  }

  public boolean has(String key) {
    return values.getValue(key) != null;
  }

  public String string(String key, String defaultValue) {
    Object v = values.getValue(key);
    if (v == null) return defaultValue;
    if (!(v instanceof String s)) throw ConfigError.invalid(pathOf(key), v, "expected a string");
    return s;
  }

  public String requireString(String key, String expected) {
    String s = string(key, null);
    if (s == null || s.isBlank()) throw ConfigError.missing(pathOf(key), expected);
    return s;
  }

  /** An absolute http or https URL, without a trailing slash. */
  public String url(String key, String defaultValue) {
    String s = string(key, defaultValue);
    if (s == null) return null;
    try {
      URI uri = new URI(s);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw ConfigError.invalid(pathOf(key), s, "expected an http:// or https:// URL with a host");
      }
    } catch (java.net.URISyntaxException e) {
      throw ConfigError.invalid(pathOf(key), s, "not a URL (" + e.getReason() + ")");
    }
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  public int integer(String key, int defaultValue, int min, int max) {
    Object v = values.getValue(key);
    if (v == null) return defaultValue;
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min
        || ((Number) v).longValue() > max) {
      throw ConfigError.invalid(pathOf(key), v, "expected a whole number from " + min + " to " + max);
    }
    return ((Number) v).intValue();
  }

  public double number(String key, double defaultValue, double min, double max) {
    Object v = values.getValue(key);
    if (v == null) return defaultValue;
    if (!(v instanceof Number n) || n.doubleValue() < min || n.doubleValue() > max) {
      throw ConfigError.invalid(pathOf(key), v, "expected a number from " + min + " to " + max);
    }
    return n.doubleValue();
  }

  public boolean bool(String key, boolean defaultValue) {
    Object v = values.getValue(key);
    if (v == null) return defaultValue;
    if (!(v instanceof Boolean b)) throw ConfigError.invalid(pathOf(key), v, "expected true or false");
    return b;
  }

  public Duration duration(String key, Duration defaultValue) {
    Object v = values.getValue(key);
    return v == null ? defaultValue : Durations.parse(pathOf(key), v);
  }

  public List<String> strings(String key) {
    Object v = values.getValue(key);
    if (v == null) return List.of();
    if (!(v instanceof JsonArray a)) throw ConfigError.invalid(pathOf(key), v, "expected a list of strings");
    List<String> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      Object item = a.getValue(i);
      if (!(item instanceof String s)) throw ConfigError.invalid(pathOf(key) + "[" + i + "]", item, "expected a string");
      out.add(s);
    }
    return out;
  }

  /** A map of string to string, e.g. extra headers. */
  public Map<String, String> stringMap(String key) {
    Object v = values.getValue(key);
    if (v == null) return Map.of();
    if (!(v instanceof JsonObject o)) throw ConfigError.invalid(pathOf(key), v, "expected a map of strings");
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : o.fieldNames()) {
      Object item = o.getValue(name);
      if (!(item instanceof String || item instanceof Number || item instanceof Boolean)) {
        throw ConfigError.invalid(pathOf(key) + "." + name, item, "expected a string");
      }
      out.put(name, String.valueOf(item));
    }
    return out;
  }

  /** A nested map, returned as settings of its own so its getters name the nested path. */
  public ProviderSettings section(String key) {
    Object v = values.getValue(key);
    if (v == null) return new ProviderSettings(pathOf(key), id, type, new JsonObject());
    if (!(v instanceof JsonObject o)) throw ConfigError.invalid(pathOf(key), v, "expected a map");
    return new ProviderSettings(pathOf(key), id, type, o);
  }

  /** Throws a {@link ConfigError} for {@code key} with its current value. */
  public ConfigError invalid(String key, String expected) {
    return ConfigError.invalid(pathOf(key), values.getValue(key), expected);
  }
}
