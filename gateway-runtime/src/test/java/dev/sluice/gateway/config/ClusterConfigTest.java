package dev.sluice.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code cluster:} section: off unless asked for, every key validated with its path and bad value. */
class ClusterConfigTest {
  private static final String BASE = """
      server: {master_key: sk-test-123456}
      providers: [{id: demo, type: demo}]
      models: [{name: m1, deployments: [{provider: demo}]}]
      """;

  private static GatewayConfig parse(String cluster, Path home, Map<String, String> env) {
    return ConfigLoader.parse(BASE + cluster, "test.yaml", env::get, home);
  }

  @Test
  void offByDefaultAndInTheRepositoryConfig(@TempDir Path home) {
    ClusterConfig off = parse("", home, Map.of()).cluster();
    assertThat(off.enabled()).isFalse();
    assertThat(off.hazelcast()).isEqualTo(home.resolve("hazelcast.xml"));
    Path root = Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath();
    assertThat(ConfigLoader.load(root.resolve("config.yaml"), n -> null, root).cluster().enabled()).isFalse();
  }

  @Test
  void enabledReadsTheHazelcastFileAndOverrides(@TempDir Path home) throws Exception {
    Files.writeString(home.resolve("members.xml"), "<hazelcast/>");
    ClusterConfig c = parse("cluster: {enabled: true, hazelcast: members.xml, name: prod-eu, port: 5801, "
        + "members: \"${MEMBERS}\", share_breakers: false}\n", home, Map.of("MEMBERS", "10.0.0.5, 10.0.0.6:5801"))
        .cluster();
    assertThat(c.enabled()).isTrue();
    assertThat(c.hazelcast()).isEqualTo(home.resolve("members.xml"));
    assertThat(c.name()).isEqualTo("prod-eu");
    assertThat(c.port()).isEqualTo(5801);
    assertThat(c.members()).isEqualTo(List.of("10.0.0.5", "10.0.0.6:5801"));
    assertThat(c.shareBreakers()).isFalse();
    assertThat(parse("cluster: {enabled: true, hazelcast: members.xml, members: [a, \"b:5701\"]}\n", home, Map.of())
        .cluster().members()).containsExactly("a", "b:5701");
  }

  @Test
  void everyBadValueIsNamedWithItsPath(@TempDir Path home) {
    assertThatThrownBy(() -> parse("cluster: {enabled: true, hazelcast: nowhere.xml}\n", home, Map.of()))
        .hasMessageContaining("cluster.hazelcast: invalid value").hasMessageContaining("nowhere.xml");
    assertThatThrownBy(() -> parse("cluster: {enabled: yes please}\n", home, Map.of()))
        .hasMessageContaining("cluster.enabled");
    assertThatThrownBy(() -> parse("cluster: {name: \"two words\"}\n", home, Map.of()))
        .hasMessageContaining("cluster.name: invalid value 'two words'");
    assertThatThrownBy(() -> parse("cluster: {port: 70000}\n", home, Map.of()))
        .hasMessageContaining("cluster.port: invalid value 70000");
    assertThatThrownBy(() -> parse("cluster: {members: [\"ok\", \"bad host\"]}\n", home, Map.of()))
        .hasMessageContaining("cluster.members[1]: invalid value 'bad host'");
    assertThatThrownBy(() -> parse("cluster: {enable: true}\n", home, Map.of()))
        .hasMessageContaining("cluster.enable: unknown key");
  }

  @Test
  void aClusterCannotUseAnEmbeddedPostgreSqlPerNode(@TempDir Path home) throws Exception {
    Files.writeString(home.resolve("hazelcast.xml"), "<hazelcast/>");
    assertThatThrownBy(() -> parse("storage: {postgres: embedded}\ncluster: {enabled: true}\n", home, Map.of()))
        .hasMessageContaining("storage.postgres: invalid value 'embedded'").hasMessageContaining("cluster");
    assertThat(parse("storage: {postgres: \"postgres://db:5432/sluice\"}\ncluster: {enabled: true}\n", home,
        Map.of()).cluster().enabled()).isTrue();
  }
}
