package dev.sluice.plugins.gemini;

import dev.sluice.api.GatewayError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * JSON Schema (as OpenAI clients write it) to Gemini's {@code Schema}, the OpenAPI 3.0 subset that function
 * parameters and {@code responseSchema} accept. Keeps what Gemini understands, rewrites what it spells
 * differently ({@code "type": ["string","null"]} → {@code nullable}, {@code oneOf} → {@code anyOf},
 * {@code const} → a one-value {@code enum}, local {@code $ref}s inlined) and drops the rest
 * ({@code additionalProperties}, {@code $schema}, {@code strict}, ...), which Gemini would reject.
 */
final class SchemaConverter {
  private static final int MAX_DEPTH = 32;
  /** Fields copied as they are. */
  private static final Set<String> PLAIN = Set.of("title", "description", "minItems", "maxItems", "minimum",
      "maximum", "minLength", "maxLength", "pattern", "minProperties", "maxProperties", "default", "example",
      "propertyOrdering");
  private static final Set<String> FORMATS = Set.of("enum", "date-time", "date", "time", "float", "double",
      "int32", "int64");
  private static final Set<String> TYPES = Set.of("string", "number", "integer", "boolean", "array", "object");

  private final JsonObject root;
  private final String param;

  private SchemaConverter(JsonObject root, String param) {
    this.root = root;
    this.param = param;
  }

  /** Converts {@code schema}; {@code param} names it in errors ({@code tools[0].function.parameters}). */
  static JsonObject convert(JsonObject schema, String param) {
    return new SchemaConverter(schema, param).schema(schema, 0);
  }

  /** Whether a converted object schema declares no properties (Gemini rejects such function parameters). */
  static boolean isEmptyObject(JsonObject converted) {
    JsonObject props = converted.getJsonObject("properties");
    return "OBJECT".equals(converted.getString("type")) && (props == null || props.isEmpty())
        && converted.getJsonArray("anyOf") == null;
  }

  private JsonObject schema(JsonObject in, int depth) {
    if (depth > MAX_DEPTH) {
      throw GatewayError.badParam(param, "Schema at '" + param + "' is nested deeper than " + MAX_DEPTH
          + " levels or is recursive; Gemini accepts only finite schemas.");
    }
    in = resolve(in);
    JsonObject out = new JsonObject();
    type(in, out);
    for (String key : in.fieldNames()) {
      if (PLAIN.contains(key)) out.put(key, in.getValue(key));
    }
    if (in.getValue("format") instanceof String f && FORMATS.contains(f)) out.put("format", f);
    if (in.getValue("nullable") instanceof Boolean b && b) out.put("nullable", true);
    enumeration(in, out);
    if (in.getValue("items") instanceof JsonObject items) out.put("items", schema(items, depth + 1));
    if (in.getValue("properties") instanceof JsonObject props) {
      JsonObject converted = new JsonObject();
      for (String name : props.fieldNames()) {
        if (props.getValue(name) instanceof JsonObject p) converted.put(name, schema(p, depth + 1));
      }
      out.put("properties", converted);
      if (in.getValue("required") instanceof JsonArray required) {
        JsonArray kept = new JsonArray();
        for (Object name : required) {
          if (name instanceof String s && converted.containsKey(s)) kept.add(s);
        }
        if (!kept.isEmpty()) out.put("required", kept);
      }
    }
    JsonArray alternatives = alternatives(in);
    if (alternatives != null) {
      JsonArray any = new JsonArray();
      for (Object alt : alternatives) {
        if (!(alt instanceof JsonObject a)) continue;
        if ("null".equals(a.getValue("type"))) {
          out.put("nullable", true); // Gemini spells a null branch as nullable
        } else {
          any.add(schema(a, depth + 1));
        }
      }
      if (any.size() == 1 && !out.containsKey("type")) {
        any.getJsonObject(0).forEach(e -> out.put(e.getKey(), e.getValue()));
      } else if (!any.isEmpty()) {
        out.put("anyOf", any);
      }
    }
    if (in.getValue("allOf") instanceof JsonArray all) mergeAllOf(all, out, depth);
    return out;
  }

  /** Inlines a local {@code $ref} ({@code #/$defs/X}, {@code #/definitions/X}); anything else fails clearly. */
  private JsonObject resolve(JsonObject in) {
    Object ref = in.getValue("$ref");
    if (!(ref instanceof String r)) return in;
    String[] path = r.startsWith("#/") ? r.substring(2).split("/") : null;
    Object target = path == null ? null : root;
    for (int i = 0; path != null && i < path.length && target != null; i++) {
      target = target instanceof JsonObject o ? o.getValue(path[i].replace("~1", "/").replace("~0", "~")) : null;
    }
    if (!(target instanceof JsonObject t)) {
      throw GatewayError.badParam(param, "Schema at '" + param + "' has a $ref Sluice cannot resolve for Gemini: '"
          + r + "'. Only local references such as '#/$defs/Name' work.");
    }
    JsonObject merged = t.copy();
    in.forEach(e -> {
      if (!"$ref".equals(e.getKey())) merged.put(e.getKey(), e.getValue());
    });
    return merged;
  }

  private void type(JsonObject in, JsonObject out) {
    Object type = in.getValue("type");
    if (type instanceof String s) {
      putType(out, s);
    } else if (type instanceof JsonArray types) {
      List<String> real = new ArrayList<>();
      for (Object t : types) {
        if ("null".equals(t)) {
          out.put("nullable", true);
        } else if (t instanceof String s) {
          real.add(s);
        }
      }
      if (real.size() == 1) {
        putType(out, real.get(0));
      } else if (real.size() > 1) {
        JsonArray any = new JsonArray();
        for (String t : real) any.add(new JsonObject().put("type", t.toUpperCase(Locale.ROOT)));
        out.put("anyOf", any);
      }
    } else if (in.getValue("properties") instanceof JsonObject) {
      out.put("type", "OBJECT");
    } else if (in.getValue("items") instanceof JsonObject) {
      out.put("type", "ARRAY");
    } else if (in.containsKey("enum") || in.getValue("const") instanceof String) {
      out.put("type", "STRING");
    }
  }

  private void putType(JsonObject out, String type) {
    if ("null".equals(type)) {
      out.put("nullable", true);
      return;
    }
    if (!TYPES.contains(type.toLowerCase(Locale.ROOT))) {
      throw GatewayError.badParam(param, "Schema at '" + param + "' has a type Gemini does not know: '" + type
          + "'. Use string, number, integer, boolean, array or object.");
    }
    out.put("type", type.toUpperCase(Locale.ROOT));
  }

  /**
   * Gemini restricts {@code enum} to strings. A string enum (or {@code const}) is kept; an enum of numbers or
   * booleans keeps its type, so the arguments parse as the client expects, and lists its values in the
   * description instead.
   */
  private static void enumeration(JsonObject in, JsonObject out) {
    JsonArray values = in.getValue("enum") instanceof JsonArray e ? e
        : in.getValue("const") != null ? new JsonArray().add(in.getValue("const")) : null;
    if (values == null) return;
    JsonArray strings = new JsonArray();
    for (Object v : values) {
      if (v != null) strings.add(String.valueOf(v));
    }
    if (!out.containsKey("type") || "STRING".equals(out.getString("type"))) {
      out.put("type", "STRING");
      out.put("enum", strings);
      return;
    }
    String listed = "One of: " + String.join(", ", strings.stream().map(String::valueOf).toList()) + ".";
    String description = out.getString("description");
    out.put("description", description == null || description.isBlank() ? listed : description + " " + listed);
  }

  private static JsonArray alternatives(JsonObject in) {
    if (in.getValue("anyOf") instanceof JsonArray a) return a;
    if (in.getValue("oneOf") instanceof JsonArray o) return o;
    return null;
  }

  /** {@code allOf}: the parts' properties and required names merged into this object schema. */
  private void mergeAllOf(JsonArray all, JsonObject out, int depth) {
    for (Object part : all) {
      if (!(part instanceof JsonObject p)) continue;
      JsonObject converted = schema(p, depth + 1);
      for (String key : converted.fieldNames()) {
        Object value = converted.getValue(key);
        if ("properties".equals(key) && out.getValue(key) instanceof JsonObject props) {
          props.mergeIn((JsonObject) value);
        } else if ("required".equals(key) && out.getValue(key) instanceof JsonArray req) {
          for (Object name : (JsonArray) value) {
            if (!req.contains(name)) req.add(name);
          }
        } else if (!out.containsKey(key)) {
          out.put(key, value);
        }
      }
    }
  }
}
