package dev.sluice.plugins.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Builds a JSON value that validates against a JSON Schema of the usual shapes: objects with
 * {@code properties} and {@code required}, {@code type} string, number, integer, boolean, array, null (or a
 * list of types), {@code enum}, {@code const}, {@code anyOf}/{@code oneOf}/{@code allOf}, local {@code $ref}s,
 * string {@code format}s and length bounds, numeric bounds, array item counts. Strings come from the user's
 * message, chosen by the property's name.
 */
final class SchemaJson {
  private static final int MAX_DEPTH = 8;
  private static final Pattern PROSE = Pattern.compile(
      ".*(description|summary|answer|text|reason|explanation|content|message|body|comment|notes?|details?).*");
  private static final Pattern TITLE = Pattern.compile(".*(name|title|topic|subject|label|heading).*");
  private static final Pattern QUERY = Pattern.compile("(q|query|question|prompt|search|search_?term|input)");
  private static final Pattern PLACE = Pattern.compile(".*(location|city|place|country|address|region|destination).*");

  private final JsonObject root;
  private final Keywords kw;
  private final String userText;
  private final Rng rng;
  private final boolean allProperties;
  private int nextWord;

  private SchemaJson(JsonObject root, Keywords kw, String userText, Rng rng, boolean allProperties) {
    this.root = root;
    this.kw = kw;
    this.userText = userText;
    this.rng = rng;
    this.allProperties = allProperties;
  }

  /**
   * A value for {@code schema}. With {@code allProperties} every declared property is filled (an answer
   * format); without, only the required ones, or all when none is required (tool arguments).
   */
  static Object generate(JsonObject schema, Keywords kw, String userText, Rng rng, boolean allProperties) {
    JsonObject s = schema == null ? new JsonObject() : schema;
    return new SchemaJson(s, kw, userText, rng, allProperties).value(s, "", 0);
  }

  private Object value(JsonObject schema, String name, int depth) {
    if (depth > MAX_DEPTH) return null;
    JsonObject s = resolve(schema, depth);
    if (s.containsKey("const")) return s.getValue("const");
    JsonArray choices = s.getJsonArray("enum");
    if (choices != null && !choices.isEmpty()) return choices.getValue(rng.nextInt(choices.size()));
    for (String key : List.of("anyOf", "oneOf")) {
      JsonArray options = s.getJsonArray(key);
      if (options != null && !options.isEmpty()) return value(firstNotNull(options), name, depth + 1);
    }
    switch (type(s)) {
      case "object": return object(s, depth);
      case "array": return array(s, name, depth);
      case "integer": return integer(s);
      case "number": return number(s);
      case "boolean": return rng.nextBoolean();
      case "null": return null;
      default: return string(s, name);
    }
  }

  private JsonObject resolve(JsonObject schema, int depth) {
    String ref = schema.getString("$ref");
    JsonObject s = schema;
    if (ref != null && ref.startsWith("#")) {
      Object target = root;
      for (String part : ref.substring(1).split("/")) {
        if (part.isEmpty()) continue;
        target = target instanceof JsonObject o ? o.getValue(part.replace("~1", "/").replace("~0", "~")) : null;
      }
      s = target instanceof JsonObject o ? o : new JsonObject();
    }
    JsonArray all = s.getJsonArray("allOf");
    if (all == null || depth > MAX_DEPTH) return s;
    JsonObject merged = s.copy();
    merged.remove("allOf");
    JsonObject props = merged.getJsonObject("properties", new JsonObject()).copy();
    JsonArray required = merged.getJsonArray("required", new JsonArray()).copy();
    for (int i = 0; i < all.size(); i++) {
      JsonObject part = resolve(all.getJsonObject(i), depth + 1);
      part.getJsonObject("properties", new JsonObject()).forEach(e -> props.put(e.getKey(), e.getValue()));
      part.getJsonArray("required", new JsonArray()).forEach(required::add);
      if (!merged.containsKey("type") && part.containsKey("type")) merged.put("type", part.getValue("type"));
    }
    if (!props.isEmpty()) merged.put("properties", props);
    if (!required.isEmpty()) merged.put("required", required);
    return merged;
  }

  private static JsonObject firstNotNull(JsonArray options) {
    for (int i = 0; i < options.size(); i++) {
      JsonObject o = options.getJsonObject(i);
      if (!"null".equals(o.getValue("type"))) return o;
    }
    return options.getJsonObject(0);
  }

  private static String type(JsonObject s) {
    Object t = s.getValue("type");
    if (t instanceof String str) return str;
    if (t instanceof JsonArray types) {
      for (int i = 0; i < types.size(); i++) {
        if (!"null".equals(types.getValue(i))) return String.valueOf(types.getValue(i));
      }
      return "null";
    }
    if (s.containsKey("properties")) return "object";
    if (s.containsKey("items")) return "array";
    return "string";
  }

  private JsonObject object(JsonObject s, int depth) {
    JsonObject props = s.getJsonObject("properties", new JsonObject());
    JsonArray required = s.getJsonArray("required", new JsonArray());
    JsonObject out = new JsonObject();
    for (String key : props.fieldNames()) {
      if (allProperties || required.isEmpty() || required.contains(key)) {
        Object p = props.getValue(key);
        out.put(key, value(p instanceof JsonObject o ? o : new JsonObject(), key, depth + 1));
      }
    }
    for (int i = 0; i < required.size(); i++) {
      String key = String.valueOf(required.getValue(i));
      if (!out.containsKey(key)) out.put(key, string(new JsonObject(), key));
    }
    return out;
  }

  private JsonArray array(JsonObject s, String name, int depth) {
    Object items = s.getValue("items");
    JsonObject itemSchema = items instanceof JsonObject o ? o : new JsonObject();
    int min = s.getInteger("minItems", 0);
    int max = s.getInteger("maxItems", Math.max(min, 3));
    int count = Math.max(min, Math.min(max, rng.between(1, 3)));
    boolean unique = Boolean.TRUE.equals(s.getBoolean("uniqueItems"));
    JsonArray out = new JsonArray();
    for (int attempt = 0; out.size() < count && attempt < count * 4; attempt++) {
      Object v = value(itemSchema, singular(name), depth + 1);
      if (!unique || !out.contains(v)) out.add(v);
    }
    return out;
  }

  private long integer(JsonObject s) {
    long min = bound(s, "minimum", "exclusiveMinimum", 1, true);
    long max = bound(s, "maximum", "exclusiveMaximum", Math.max(min, 100), false);
    if (max < min) max = min;
    long span = max - min + 1;
    return min + (span <= 0 ? 0 : Math.floorMod(rng.nextLong(), span));
  }

  private static long bound(JsonObject s, String inclusive, String exclusive, long fallback, boolean lower) {
    Object ex = s.getValue(exclusive);
    if (ex instanceof Number n) return lower ? (long) Math.floor(n.doubleValue()) + 1 : (long) Math.ceil(n.doubleValue()) - 1;
    Object in = s.getValue(inclusive);
    if (in instanceof Number n) return lower ? (long) Math.ceil(n.doubleValue()) : (long) Math.floor(n.doubleValue());
    return fallback;
  }

  private double number(JsonObject s) {
    double min = s.getValue("minimum") instanceof Number n ? n.doubleValue() : 0;
    double max = s.getValue("maximum") instanceof Number n ? n.doubleValue() : Math.max(min + 1, 100);
    if (s.getValue("exclusiveMinimum") instanceof Number n) min = n.doubleValue();
    if (s.getValue("exclusiveMaximum") instanceof Number n) max = n.doubleValue();
    if (max < min) max = min;
    if (max == min) return min;
    double v = Math.round((min + (max - min) * (0.05 + 0.9 * rng.nextDouble())) * 100) / 100.0;
    return v <= min || v >= max ? (min + max) / 2 : v;
  }

  private String string(JsonObject s, String name) {
    String v = byFormat(s.getString("format"));
    if (v == null) v = byName(name.toLowerCase(Locale.ROOT));
    int minLength = s.getInteger("minLength", 0);
    int maxLength = s.getInteger("maxLength", Integer.MAX_VALUE);
    StringBuilder sb = new StringBuilder(v);
    while (sb.length() < minLength) sb.append(sb.length() == 0 ? "example" : " " + kw.word(nextWord++, "example"));
    return sb.length() > maxLength ? sb.substring(0, maxLength) : sb.toString();
  }

  private String byFormat(String format) {
    if (format == null) return null;
    switch (format) {
      case "date": return String.format(Locale.ROOT, "2025-%02d-%02d", rng.between(1, 12), rng.between(1, 28));
      case "date-time": return String.format(Locale.ROOT, "2025-%02d-%02dT%02d:%02d:00Z", rng.between(1, 12),
          rng.between(1, 28), rng.between(0, 23), rng.between(0, 59));
      case "time": return String.format(Locale.ROOT, "%02d:%02d:00", rng.between(0, 23), rng.between(0, 59));
      case "email": return slug(kw.word(nextWord++, "user")) + "@example.com";
      case "uri", "url": return "https://example.com/" + slug(kw.word(nextWord++, "page"));
      case "uuid": {
        String h = rng.hex(32);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-4" + h.substring(13, 16) + "-a" + h.substring(17, 20)
            + "-" + h.substring(20);
      }
      default: return null;
    }
  }

  private String byName(String name) {
    if (QUERY.matcher(name).matches()) return userText.length() > 200 ? userText.substring(0, 200) : userText;
    if (PROSE.matcher(name).matches()) return Prose.sentence(kw, rng);
    if (TITLE.matcher(name).matches()) return kw.topic().isEmpty() ? "Example" : kw.topic();
    if (PLACE.matcher(name).matches()) return kw.isEmpty() ? "Paris" : kw.main();
    if (name.equals("id") || name.endsWith("_id")) return "id_" + rng.hex(12);
    if (name.contains("email")) return slug(kw.word(nextWord++, "user")) + "@example.com";
    if (name.contains("url") || name.contains("link")) return "https://example.com/" + slug(kw.word(nextWord++, "page"));
    return kw.word(nextWord++, "example");
  }

  private static String slug(String word) {
    return word.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }

  private static String singular(String name) {
    return name.endsWith("s") && name.length() > 3 ? name.substring(0, name.length() - 1) : name;
  }
}
