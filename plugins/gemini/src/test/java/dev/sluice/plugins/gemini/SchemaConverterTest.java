package dev.sluice.plugins.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.GatewayError;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SchemaConverterTest {

  private static JsonObject convert(String schema) {
    return SchemaConverter.convert(new JsonObject(schema), "tools[0].function.parameters");
  }

  @Test
  void keepsWhatGeminiKnowsAndDropsTheRest() {
    assertThat(convert("""
        {"type":"object","title":"T","additionalProperties":false,"$schema":"x","strict":true,
         "properties":{"n":{"type":"number","format":"double","minimum":0,"exclusiveMinimum":0,"examples":[1]}}}"""))
        .isEqualTo(new JsonObject("""
            {"type":"OBJECT","title":"T","properties":{"n":{"type":"NUMBER","format":"double","minimum":0}}}"""));
  }

  @Test
  void unionsBecomeNullableOrAnyOf() {
    assertThat(convert("""
        {"oneOf":[{"type":"string"},{"type":"integer"}]}"""))
        .isEqualTo(new JsonObject("""
            {"anyOf":[{"type":"STRING"},{"type":"INTEGER"}]}"""));
    assertThat(convert("""
        {"anyOf":[{"type":"string"},{"type":"null"}]}"""))
        .isEqualTo(new JsonObject("""
            {"type":"STRING","nullable":true}"""));
    assertThat(convert("""
        {"type":["string","integer"]}"""))
        .isEqualTo(new JsonObject("""
            {"anyOf":[{"type":"STRING"},{"type":"INTEGER"}]}"""));
  }

  @Test
  void constAndNonStringEnumsStayUsable() {
    assertThat(convert("""
        {"const":"fixed"}""")).isEqualTo(new JsonObject("""
            {"type":"STRING","enum":["fixed"]}"""));
    assertThat(convert("""
        {"type":"integer","enum":[1,2],"description":"Level."}""")).isEqualTo(new JsonObject("""
            {"type":"INTEGER","description":"Level. One of: 1, 2."}"""));
  }

  @Test
  void allOfMergesObjectParts() {
    assertThat(convert("""
        {"allOf":[{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]},
                  {"properties":{"b":{"type":"boolean"}},"required":["b"]}]}"""))
        .isEqualTo(new JsonObject("""
            {"type":"OBJECT","properties":{"a":{"type":"STRING"},"b":{"type":"BOOLEAN"}},"required":["a","b"]}"""));
  }

  @Test
  void recursiveAndRemoteReferencesFailNamingTheParameter() {
    assertThatThrownBy(() -> convert("""
        {"$defs":{"node":{"type":"object","properties":{"next":{"$ref":"#/$defs/node"}}}},"$ref":"#/$defs/node"}"""))
        .isInstanceOfSatisfying(GatewayError.class, e -> {
          assertThat(e.param()).isEqualTo("tools[0].function.parameters");
          assertThat(e.getMessage()).contains("recursive");
        });
    assertThatThrownBy(() -> convert("""
        {"$ref":"https://example.com/schema.json"}""")).isInstanceOf(GatewayError.class)
        .hasMessageContaining("https://example.com/schema.json");
  }

  @Test
  void anEmptyObjectIsRecognised() {
    assertThat(SchemaConverter.isEmptyObject(convert("{\"type\":\"object\",\"properties\":{}}"))).isTrue();
    assertThat(SchemaConverter.isEmptyObject(convert("{\"type\":\"object\",\"properties\":{\"a\":{}}}"))).isFalse();
  }
}
