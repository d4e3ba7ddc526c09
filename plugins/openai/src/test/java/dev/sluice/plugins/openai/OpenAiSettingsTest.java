package dev.sluice.plugins.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.ConfigError;
import dev.sluice.api.ProviderSettings;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpenAiSettingsTest {

  private static ProviderSettings settings(String type, JsonObject values) {
    return new ProviderSettings("providers[3]", "p", type, values);
  }

  @Test
  void openAiDefaults() {
    OpenAiSettings s = OpenAiSettings.openAi(settings("openai", new JsonObject().put("api_key", "sk-x")));
    assertThat(s.baseUrl().toString()).isEqualTo("https://api.openai.com/v1");
    assertThat(s.maxTokensField()).isEqualTo("max_completion_tokens");
    assertThat(s.maxConnections()).isEqualTo(512);
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.port()).isEqualTo(443);
    assertThat(s.ssl()).isTrue();
    assertThat(s.pathPrefix()).isEqualTo("/v1");
    assertThat(s.toString()).doesNotContain("sk-x");
  }

  @Test
  void compatibleServersNeedNoKeyAndTakeMaxTokens() {
    OpenAiSettings s = OpenAiSettings.openAi(settings("openai",
        new JsonObject().put("base_url", "http://10.0.0.5:8000/v1/")));
    assertThat(s.apiKey()).isNull();
    assertThat(s.maxTokensField()).isEqualTo("max_tokens");
    assertThat(s.port()).isEqualTo(8000);
    assertThat(s.pathPrefix()).isEqualTo("/v1");
  }

  @Test
  void azureDefaultsToAGaApiVersion() {
    OpenAiSettings s = OpenAiSettings.azure(settings("azure", new JsonObject()
        .put("base_url", "https://res.openai.azure.com").put("api_key", "k")));
    assertThat(s.apiVersion()).isEqualTo("2024-10-21");
    assertThat(s.maxTokensField()).isEqualTo("max_completion_tokens");
    assertThat(s.pathPrefix()).isEmpty();
  }

  @Test
  void errorsNameThePathAndTheBadValue() {
    assertError("openai", new JsonObject().put("api_key", "k").put("temperature", 1), "providers[3].temperature",
        "unknown key");
    assertError("openai", new JsonObject().put("base_url", "ftp://x"), "providers[3].base_url", "'ftp://x'");
    assertError("openai", new JsonObject(), "providers[3].api_key", "api.openai.com needs an API key");
    assertError("openai", new JsonObject().put("api_key", "  "), "providers[3].api_key", "expected a key");
    assertError("openai", new JsonObject().put("api_key", "k").put("max_tokens_field", "max_output"),
        "providers[3].max_tokens_field", "'max_output'");
    assertError("openai", new JsonObject().put("api_key", "k").put("max_connections", 0),
        "providers[3].max_connections", "invalid value 0");
    assertError("openai", new JsonObject().put("api_key", "k").put("connect_timeout", "0s"),
        "providers[3].connect_timeout", "'0s'");
    assertError("openai", new JsonObject().put("api_key", "k").put("http2", "yes"), "providers[3].http2", "'yes'");
    assertError("openai", new JsonObject().put("api_key", "k").put("headers", new JsonObject().put("bad name", "v")),
        "providers[3].headers", "'bad name'");
    assertError("openai", new JsonObject().put("api_key", "k").put("api_version", "2024-10-21"),
        "providers[3].api_version", "unknown key");
    assertError("azure", new JsonObject().put("api_key", "k"), "providers[3].base_url", "resource endpoint");
    assertError("azure", new JsonObject().put("base_url", "https://r.openai.azure.com"), "providers[3].api_key",
        "is required");
    assertError("azure", new JsonObject().put("base_url", "https://r.openai.azure.com").put("api_key", "k")
        .put("api_version", "latest"), "providers[3].api_version", "'latest'");
    assertError("azure", new JsonObject().put("base_url", "https://r.openai.azure.com").put("api_key", "k")
        .put("organization", "org"), "providers[3].organization", "unknown key");
  }

  @Test
  void azureAcceptsABearerHeaderInsteadOfAKey() {
    OpenAiSettings s = OpenAiSettings.azure(settings("azure", new JsonObject()
        .put("base_url", "https://r.openai.azure.com")
        .put("headers", new JsonObject().put("Authorization", "Bearer entra-token"))));
    assertThat(s.apiKey()).isNull();
    assertThat(s.headers()).containsEntry("Authorization", "Bearer entra-token");
  }

  private static void assertError(String type, JsonObject values, String path, String says) {
    assertThatThrownBy(() -> {
      if (type.equals("azure")) {
        OpenAiSettings.azure(settings(type, values));
      } else {
        OpenAiSettings.openAi(settings(type, values));
      }
    }).isInstanceOf(ConfigError.class)
        .satisfies(e -> assertThat(((ConfigError) e).path()).isEqualTo(path))
        .hasMessageContaining(says);
  }
}
