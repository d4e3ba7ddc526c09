package dev.sluice.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code observability.request_log}: defaults follow storage, every key is validated with its path. */
class RequestLogConfigTest {
  private static final String BASE = """
      server: {master_key: sk-test-123456}
      providers: [{id: demo, type: demo}]
      models: [{name: m1, deployments: [{provider: demo, model: d1}]}]
      """;

  private static GatewayConfig parse(String yaml) {
    return ConfigLoader.parse(BASE + yaml, "test.yaml", Map.<String, String>of()::get, Path.of("/opt/sluice"));
  }

  private static String problems(String yaml) {
    try {
      parse(yaml);
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("config was accepted:\n" + yaml);
  }

  @Test
  void onByDefaultWithPostgresWithoutBodiesForThirtyDays() {
    GovernanceConfig.RequestLog log = parse("storage: {postgres: embedded}\n").governance().requestLog();
    assertThat(log.enabled()).isTrue();
    assertThat(log.bodies()).isFalse();
    assertThat(log.retention()).isEqualTo(Duration.ofDays(30));
    assertThat(log.maxBodyBytes()).isEqualTo(64 * 1024);
  }

  @Test
  void offWithoutPostgresAndAnErrorWhenAskedFor() {
    assertThat(parse("storage: {postgres: none}\n").governance().requestLog().enabled()).isFalse();
    assertThat(problems("storage: {postgres: none}\nobservability: {request_log: {enabled: true}}\n"))
        .contains("observability.request_log.enabled").contains("needs a database");
  }

  @Test
  void everyKeyIsChecked() {
    GovernanceConfig.RequestLog log = parse("storage: {postgres: embedded}\nobservability: {request_log: "
        + "{enabled: true, bodies: true, retention: 7d, max_body_size: 1MB}}\n").governance().requestLog();
    assertThat(log.bodies()).isTrue();
    assertThat(log.retention()).isEqualTo(Duration.ofDays(7));
    assertThat(log.maxBodyBytes()).isEqualTo(1024 * 1024);
    String pre = "storage: {postgres: embedded}\nobservability: {request_log: ";
    assertThat(problems(pre + "{retention: forever}}\n")).contains("observability.request_log.retention")
        .contains("forever");
    assertThat(problems(pre + "{retention: 10s}}\n")).contains("observability.request_log.retention")
        .contains("at least 1m");
    assertThat(problems(pre + "{bodies: yes please}}\n")).contains("observability.request_log.bodies");
    assertThat(problems(pre + "{max_body_size: 1GB}}\n")).contains("observability.request_log.max_body_size");
    assertThat(problems(pre + "{keep: 3}}\n")).contains("observability.request_log.keep");
    assertThat(problems("observability: {bogus: {}}\n")).contains("observability.bogus");
  }
}
