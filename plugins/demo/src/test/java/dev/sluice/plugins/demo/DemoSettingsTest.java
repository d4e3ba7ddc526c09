package dev.sluice.plugins.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.ConfigError;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoSettingsTest {

  @Test
  void defaults() {
    DemoSettings s = DemoSettings.from(Demo.settings(new JsonObject()));
    assertThat(s).isEqualTo(DemoSettings.defaults());
    assertThat(s.latency()).isEqualTo(Duration.ofMillis(300));
    assertThat(s.firstToken()).isEqualTo(Duration.ofMillis(150));
    assertThat(s.tokensPerSecond()).isEqualTo(250);
    assertThat(s.maxOutputTokens()).isEqualTo(1024);
    assertThat(s.embeddingDimensions()).isEqualTo(384);
    assertThat(s.contextWindow()).isEqualTo(128_000);
    assertThat(s.chunkGap(3)).isEqualTo(Duration.ofMillis(12));
  }

  @Test
  void readsEveryKey() {
    DemoSettings s = DemoSettings.from(Demo.settings(new JsonObject().put("latency", "1s").put("first_token", "40ms")
        .put("tokens_per_second", 0).put("max_output_tokens", 64).put("embedding_dimensions", 8).put("seed", -3)
        .put("context_window", 4096)));
    assertThat(s).isEqualTo(new DemoSettings(Duration.ofSeconds(1), Duration.ofMillis(40), 0, 64, 8, -3, 4096,
        DemoSettings.DEFAULT_PROMPT_CACHE_TTL));
    assertThat(s.chunkGap(3)).isZero();
  }

  @Test
  void errorsNameTheKeyAndTheValue() {
    assertRejected(new JsonObject().put("latency", 300), "providers[3].latency", "300");
    assertRejected(new JsonObject().put("first_token", "soon"), "providers[3].first_token", "'soon'");
    assertRejected(new JsonObject().put("first_token", "11m"), "providers[3].first_token", "'11m'");
    assertRejected(new JsonObject().put("tokens_per_second", -1), "providers[3].tokens_per_second", "-1");
    assertRejected(new JsonObject().put("max_output_tokens", 0), "providers[3].max_output_tokens", "0");
    assertRejected(new JsonObject().put("embedding_dimensions", "big"), "providers[3].embedding_dimensions", "'big'");
    assertRejected(new JsonObject().put("context_window", 2.5), "providers[3].context_window", "2.5");
    assertRejected(new JsonObject().put("latancy", "1s"), "providers[3].latancy", "known keys");
  }

  private static void assertRejected(JsonObject values, String path, String quoted) {
    assertThatThrownBy(() -> new DemoProviderFactory().create(Demo.settings(values), () -> null))
        .isInstanceOfSatisfying(ConfigError.class, e -> assertThat(e.path()).isEqualTo(path))
        .hasMessageStartingWith(path)
        .hasMessageContaining(quoted);
  }
}
