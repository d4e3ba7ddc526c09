package dev.sluice.gateway.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${VAR}} and {@code ${VAR:-default}} in every string value of a parsed config tree. Values,
 * not the YAML text, are interpolated, so a variable can never change the file's structure. A {@code ${VAR}}
 * whose variable is unset and has no default resolves to null and is reported as {@link Unresolved}.
 */
final class Interpolator {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  /** A value that named an unset variable without a default. */
  record Unresolved(String path, String variable) {}

  private final Function<String, String> env;
  private final List<Unresolved> unresolved = new ArrayList<>();

  Interpolator(Function<String, String> env) {
    this.env = env;
  }

  List<Unresolved> unresolved() {
    return unresolved;
  }

  JsonObject resolve(JsonObject tree) {
    return (JsonObject) resolveValue(tree, "");
  }

  private Object resolveValue(Object value, String path) {
    if (value instanceof JsonObject o) {
      JsonObject out = new JsonObject();
      for (String key : o.fieldNames()) out.put(key, resolveValue(o.getValue(key), path.isEmpty() ? key : path + "." + key));
      return out;
    }
    if (value instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      for (int i = 0; i < a.size(); i++) out.add(resolveValue(a.getValue(i), path + "[" + i + "]"));
      return out;
    }
    if (value instanceof String s && s.contains("${")) return resolveString(s, path);
    return value;
  }

  private Object resolveString(String s, String path) {
    Matcher m = VARIABLE.matcher(s);
    StringBuilder out = new StringBuilder();
    boolean missing = false;
    while (m.find()) {
      String name = m.group(1);
      String fallback = m.group(2);
      String v = env.apply(name);
      if (v == null || (v.isEmpty() && fallback != null)) v = fallback;
      if (v == null) {
        unresolved.add(new Unresolved(path, name));
        missing = true;
        v = "";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    if (missing) return null;
    String text = out.toString();
    // A whole-value variable keeps YAML's scalar typing: "${PORT:-4000}" is the number 4000.
    if (m.reset().matches()) return scalar(text);
    return text;
  }

  private static Object scalar(String text) {
    if (text.matches("-?\\d{1,18}")) return Long.parseLong(text) <= Integer.MAX_VALUE && Long.parseLong(text)
        >= Integer.MIN_VALUE ? (Object) Integer.parseInt(text) : (Object) Long.parseLong(text);
    if (text.equals("true") || text.equals("false")) return Boolean.parseBoolean(text);
    return text;
  }
}
