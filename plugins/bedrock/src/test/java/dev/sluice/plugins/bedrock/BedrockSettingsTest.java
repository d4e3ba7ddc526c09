package dev.sluice.plugins.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.ConfigError;
import dev.sluice.api.ProviderSettings;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BedrockSettingsTest {
  private static final Map<String, String> ENV = Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "AKIAENV",
      "AWS_SECRET_ACCESS_KEY", "envsecret", "AWS_SESSION_TOKEN", "envtoken");

  private static BedrockSettings parse(JsonObject values, Map<String, String> env) {
    return BedrockSettings.from(new ProviderSettings("providers[3]", "bedrock", "bedrock", values), env::get);
  }

  @Test
  void defaultsComeFromTheEnvironment() {
    BedrockSettings s = parse(new JsonObject(), ENV);
    assertThat(s.region()).isEqualTo("eu-west-1");
    assertThat(s.endpoint().toString()).isEqualTo("https://bedrock-runtime.eu-west-1.amazonaws.com");
    assertThat(s.credentials()).isEqualTo(new BedrockSettings.Credentials("AKIAENV", "envsecret", "envtoken"));
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.maxConnections()).isEqualTo(50);
    assertThat(s.credentials().toString()).doesNotContain("envsecret", "envtoken");
  }

  @Test
  void configuredKeysWinAndDoNotBorrowTheEnvironmentToken() {
    BedrockSettings s = parse(new JsonObject().put("region", "us-west-2").put("access_key_id", "AKIACFG")
        .put("secret_access_key", "cfgsecret").put("max_connections", 8).put("connect_timeout", "2s")
        .put("endpoint", "http://localhost:9000/"), ENV);
    assertThat(s.region()).isEqualTo("us-west-2");
    assertThat(s.credentials()).isEqualTo(new BedrockSettings.Credentials("AKIACFG", "cfgsecret", null));
    assertThat(s.endpoint().toString()).isEqualTo("http://localhost:9000");
    assertThat(s.maxConnections()).isEqualTo(8);
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void missingRegionNamesTheKey() {
    assertThatThrownBy(() -> parse(new JsonObject(), Map.of("AWS_ACCESS_KEY_ID", "a", "AWS_SECRET_ACCESS_KEY", "b")))
        .isInstanceOf(ConfigError.class).hasMessageContaining("providers[3].region").hasMessageContaining("AWS_REGION");
  }

  @Test
  void missingCredentialsNameTheKeys() {
    assertThatThrownBy(() -> parse(new JsonObject().put("region", "us-east-1"), Map.of()))
        .isInstanceOf(ConfigError.class).hasMessageContaining("providers[3].access_key_id")
        .hasMessageContaining("secret_access_key").hasMessageContaining("AWS_ACCESS_KEY_ID");
    assertThatThrownBy(() -> parse(new JsonObject().put("access_key_id", "AKIA"), ENV))
        .isInstanceOf(ConfigError.class).hasMessageContaining("providers[3].secret_access_key");
  }

  @Test
  void badValuesAreNamed() {
    assertThatThrownBy(() -> parse(new JsonObject().put("region", "Mars"), ENV))
        .hasMessageContaining("providers[3].region").hasMessageContaining("'Mars'");
    assertThatThrownBy(() -> parse(new JsonObject().put("endpoint", "ftp://x"), ENV))
        .hasMessageContaining("providers[3].endpoint");
    assertThatThrownBy(() -> parse(new JsonObject().put("max_connections", 0), ENV))
        .hasMessageContaining("providers[3].max_connections");
    assertThatThrownBy(() -> parse(new JsonObject().put("connect_timeout", 5), ENV))
        .hasMessageContaining("providers[3].connect_timeout");
    assertThatThrownBy(() -> parse(new JsonObject().put("api_key", "x"), ENV))
        .hasMessageContaining("providers[3].api_key").hasMessageContaining("unknown key");
  }
}
