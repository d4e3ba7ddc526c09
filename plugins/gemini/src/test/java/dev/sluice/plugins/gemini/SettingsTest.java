package dev.sluice.plugins.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.ConfigError;
import dev.sluice.api.PluginContext;
import dev.sluice.api.Provider;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class SettingsTest {

  private static ConfigError geminiFails(Vertx vertx, JsonObject values) {
    PluginContext context = () -> vertx;
    try {
      Provider p = new GeminiProviderFactory().create(Harness.settings("gemini", values), context);
      p.close();
      throw new AssertionError("expected a ConfigError for " + values);
    } catch (ConfigError e) {
      return e;
    }
  }

  private static ConfigError vertexFails(Vertx vertx, JsonObject values) {
    PluginContext context = () -> vertx;
    try {
      Provider p = new VertexProviderFactory().create(Harness.settings("vertex", values), context);
      p.close();
      throw new AssertionError("expected a ConfigError for " + values);
    } catch (ConfigError e) {
      return e;
    }
  }

  @Test
  void typesAreStable() {
    assertThat(new GeminiProviderFactory().type()).isEqualTo("gemini");
    assertThat(new VertexProviderFactory().type()).isEqualTo("vertex");
  }

  @Test
  void geminiNeedsAnApiKey(Vertx vertx) {
    ConfigError e = geminiFails(vertx, new JsonObject());
    assertThat(e.path()).isEqualTo("providers[3].api_key");
  }

  @Test
  void unknownKeysAndBadValuesNameTheKeyAndValue(Vertx vertx) {
    assertThat(geminiFails(vertx, new JsonObject().put("api_key", "k").put("projekt", "x")).getMessage())
        .startsWith("providers[3].projekt: unknown key").contains("api_key");
    assertThat(geminiFails(vertx, new JsonObject().put("api_key", "k").put("base_url", "ftp://x")).getMessage())
        .startsWith("providers[3].base_url: invalid value 'ftp://x'");
    assertThat(geminiFails(vertx, new JsonObject().put("api_key", "k").put("connect_timeout", 5)).path())
        .isEqualTo("providers[3].connect_timeout");
    assertThat(geminiFails(vertx, new JsonObject().put("api_key", "k").put("max_connections", 0)).getMessage())
        .startsWith("providers[3].max_connections: invalid value 0");
  }

  @Test
  void vertexValidatesProjectLocationAndToken(Vertx vertx) {
    JsonObject good = new JsonObject().put("project", "p-1").put("access_token", "t");
    assertThat(vertexFails(vertx, good.copy().put("location", "Europe West")).getMessage())
        .startsWith("providers[3].location: invalid value 'Europe West'");
    assertThat(vertexFails(vertx, good.copy().put("project", "my/../proj")).path()).isEqualTo("providers[3].project");
    assertThat(vertexFails(vertx, good.copy().putNull("access_token")).path()).isEqualTo("providers[3].access_token");
    assertThat(vertexFails(vertx, new JsonObject().put("access_token", "t")).path()).isEqualTo("providers[3].project");
  }

  @Test
  void validSettingsBuildAProviderThatRedactsItsCredential(Vertx vertx) {
    Provider p = new VertexProviderFactory().create(Harness.settings("vertex", new JsonObject().put("project", "p-1")
        .put("access_token", "secret-token").put("headers", new JsonObject().put("x-team", "a"))
        .put("connect_timeout", "2s").put("max_connections", 8)), () -> vertx);
    assertThat(p.toString()).contains("us-central1-aiplatform.googleapis.com").doesNotContain("secret-token");
    p.close();
  }
}
