package dev.sluice.api.model;

import io.vertx.core.json.JsonObject;

/** The shape of the answer: plain text, any JSON object, or JSON matching a schema. */
public record ResponseFormat(Type type, String name, JsonObject schema, Boolean strict) {
  public enum Type { TEXT, JSON_OBJECT, JSON_SCHEMA }

  public static final ResponseFormat TEXT = new ResponseFormat(Type.TEXT, null, null, null);
  public static final ResponseFormat JSON_OBJECT = new ResponseFormat(Type.JSON_OBJECT, null, null, null);

  public ResponseFormat {
    if (type == null) throw new IllegalArgumentException("response format needs a type");
    if (type == Type.JSON_SCHEMA && schema == null) throw new IllegalArgumentException("json_schema needs a schema");
  }
}
