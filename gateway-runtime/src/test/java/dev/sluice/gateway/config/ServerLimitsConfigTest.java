package dev.sluice.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** server: header/body/idle timeouts, max_connections and the HTTP line and header sizes: defaults and checks. */
class ServerLimitsConfigTest {
  private static GatewayConfig parse(String server) {
    return ConfigLoader.parse("server: {master_key: sk-test-123456" + server + "}\n", "t.yaml",
        Map.<String, String>of()::get, Path.of("."));
  }

  @Test
  void defaultsAreSafeAndEveryKeyIsRead() {
    assertThat(parse("").server().limits()).isEqualTo(ServerLimits.DEFAULT);
    assertThat(ServerLimits.DEFAULT.headerTimeout()).isEqualTo(Duration.ofSeconds(10));
    ServerLimits l = parse(", header_timeout: 2s, body_timeout: 30s, idle_timeout: 5s, max_connections: 100, "
        + "max_url_length: 2KB, max_header_size: 32KB").server().limits();
    assertThat(l).isEqualTo(new ServerLimits(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(5),
        100, 2048, 32 * 1024));
  }

  @Test
  void badValuesNameTheirKeyAndValue() {
    Map<String, String> bad = Map.of("header_timeout", "0s", "body_timeout", "2h", "idle_timeout", "soon",
        "max_connections", "0", "max_url_length", "10", "max_header_size", "2MB");
    bad.forEach((key, value) -> assertThatThrownBy(() -> parse(", " + key + ": " + value))
        .isInstanceOf(ConfigException.class).hasMessageContaining("server." + key).hasMessageContaining(value));
  }
}
