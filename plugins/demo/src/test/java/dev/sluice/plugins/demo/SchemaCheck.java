package dev.sluice.plugins.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** A small JSON Schema validator for the shapes the tests use; returns what is wrong, empty when valid. */
final class SchemaCheck {
  private final JsonObject root;
  private final List<String> problems = new ArrayList<>();

  private SchemaCheck(JsonObject root) {
    this.root = root;
  }

  static List<String> problems(JsonObject schema, Object value) {
    SchemaCheck c = new SchemaCheck(schema);
    c.check(schema, value, "$");
    return c.problems;
  }

  private void check(JsonObject s, Object v, String path) {
    if (s.containsKey("$ref")) {
      String[] parts = s.getString("$ref").substring(2).split("/");
      JsonObject target = root;
      for (String p : parts) target = target.getJsonObject(p);
      check(target, v, path);
      return;
    }
    if (s.containsKey("anyOf")) {
      JsonArray options = s.getJsonArray("anyOf");
      for (int i = 0; i < options.size(); i++) {
        if (problems(options.getJsonObject(i), v).isEmpty()) return;
      }
      problems.add(path + ": matches no anyOf option");
      return;
    }
    if (s.containsKey("enum") && !s.getJsonArray("enum").contains(v)) problems.add(path + ": not in enum: " + v);
    Object type = s.getValue("type");
    if (type instanceof JsonArray types) {
      boolean any = false;
      for (int i = 0; i < types.size(); i++) any |= is(types.getString(i), v);
      if (!any) problems.add(path + ": not any of " + types + ": " + v);
      if (v == null) return;
      type = types.getString(0);
    } else if (type instanceof String t && !is(t, v)) {
      problems.add(path + ": expected " + t + ", got " + v);
      return;
    }
    if (v instanceof JsonObject o) {
      JsonObject props = s.getJsonObject("properties", new JsonObject());
      for (Object r : s.getJsonArray("required", new JsonArray())) {
        if (!o.containsKey((String) r)) problems.add(path + ": missing required " + r);
      }
      for (String k : o.fieldNames()) {
        if (props.containsKey(k)) {
          check(props.getJsonObject(k), o.getValue(k), path + "." + k);
        } else if (Boolean.FALSE.equals(s.getValue("additionalProperties"))) {
          problems.add(path + ": unexpected " + k);
        }
      }
    }
    if (v instanceof JsonArray a) {
      if (a.size() < s.getInteger("minItems", 0)) problems.add(path + ": too few items");
      if (a.size() > s.getInteger("maxItems", Integer.MAX_VALUE)) problems.add(path + ": too many items");
      for (int i = 0; i < a.size(); i++) check(s.getJsonObject("items", new JsonObject()), a.getValue(i), path + "[" + i + "]");
    }
    if (v instanceof Number n) {
      if (s.getValue("minimum") instanceof Number min && n.doubleValue() < min.doubleValue()) problems.add(path + ": < minimum");
      if (s.getValue("maximum") instanceof Number max && n.doubleValue() > max.doubleValue()) problems.add(path + ": > maximum");
    }
    if (v instanceof String str) {
      if (str.length() < s.getInteger("minLength", 0)) problems.add(path + ": shorter than minLength");
      if (str.length() > s.getInteger("maxLength", Integer.MAX_VALUE)) problems.add(path + ": longer than maxLength");
    }
  }

  private static boolean is(String type, Object v) {
    switch (type) {
      case "object": return v instanceof JsonObject;
      case "array": return v instanceof JsonArray;
      case "string": return v instanceof String;
      case "integer": return v instanceof Integer || v instanceof Long;
      case "number": return v instanceof Number;
      case "boolean": return v instanceof Boolean;
      case "null": return v == null;
      default: return false;
    }
  }
}
