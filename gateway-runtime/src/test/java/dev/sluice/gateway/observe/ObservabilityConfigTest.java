package dev.sluice.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.config.ConfigException;
import dev.sluice.gateway.config.ObservabilityConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code observability:} defaults and validation: every bad value is named with its path. */
class ObservabilityConfigTest {

  @Test
  void defaultsServeMetricsOpenlyLogAccessWithoutPromptsAndTraceNothing() {
    ObservabilityConfig o = TestGateway.config("").observability();
    assertThat(o.metrics().enabled()).isTrue();
    assertThat(o.metrics().requireKey()).isFalse();
    assertThat(o.accessLog().enabled()).isTrue();
    assertThat(o.logPrompts()).isFalse();
    assertThat(o.tracing().enabled()).isFalse();
    assertThat(o.tracing().endpoint()).isEqualTo("http://127.0.0.1:4318/v1/traces");
    assertThat(o.tracing().sampleRatio()).isEqualTo(1.0);
  }

  @Test
  void everyKeyIsRead() {
    ObservabilityConfig o = TestGateway.config("""
        observability:
          metrics: {enabled: false, require_key: true}
          access_log: {enabled: false}
          log_prompts: true
          tracing: {enabled: true, endpoint: "https://otel.example:4318/v1/traces", sample_ratio: 0.25,
                    service_name: gw, headers: {api-key: secret-value}, timeout: 3s}
        """).observability();
    assertThat(o.metrics()).isEqualTo(new ObservabilityConfig.Metrics(false, true));
    assertThat(o.accessLog().enabled()).isFalse();
    assertThat(o.logPrompts()).isTrue();
    assertThat(o.tracing().sampleRatio()).isEqualTo(0.25);
    assertThat(o.tracing().serviceName()).isEqualTo("gw");
    assertThat(o.tracing().timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(o.tracing().headers()).containsEntry("api-key", "secret-value");
    assertThat(o.tracing().toString()).doesNotContain("secret-value");
  }

  @Test
  void badValuesAreNamedWithTheirPath() {
    assertProblem("observability: {metrics: {require_key: maybe}}", "observability.metrics.require_key", "maybe");
    assertProblem("observability: {tracing: {sample_ratio: 1.5}}", "observability.tracing.sample_ratio", "1.5");
    assertProblem("observability: {tracing: {sample_ratio: lots}}", "observability.tracing.sample_ratio", "lots");
    assertProblem("observability: {tracing: {endpoint: \"ftp://x/v1/traces\"}}", "observability.tracing.endpoint",
        "ftp://x/v1/traces");
    assertProblem("observability: {tracing: {endpoint: \"not a url\"}}", "observability.tracing.endpoint",
        "not a url");
    assertProblem("observability: {log_prompt: true}", "observability.log_prompt", "log_prompts");
    assertProblem("observability: {tracing: {timeout: 0s}}", "observability.tracing.timeout", "0s");
    assertProblem("observability: {tracing: {headers: {\"bad header\": x}}}", "observability.tracing.headers",
        "bad header");
    assertProblem("observability: {access_log: {enabled: 1}}", "observability.access_log.enabled", "1");
  }

  private static void assertProblem(String yaml, String path, String shown) {
    assertThatThrownBy(() -> TestGateway.config(yaml)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(path).hasMessageContaining(shown);
  }
}
