package dev.sluice.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  private static final Path HOME = Path.of("/opt/sluice");

  private static GatewayConfig parse(String yaml, Map<String, String> env) {
    return ConfigLoader.parse(yaml, "test.yaml", env::get, HOME);
  }

  private static String problems(String yaml) {
    return problems(yaml, Map.of());
  }

  private static String problems(String yaml, Map<String, String> env) {
    try {
      parse(yaml, env);
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("config was accepted:\n" + yaml);
  }

  private static final String MINIMAL = """
      server: {master_key: sk-test-123456}
      providers:
        - {id: demo, type: demo}
      models:
        - name: m1
          deployments: [{provider: demo, model: d1}]
      """;

  @Test
  void minimalConfigGetsDefaults() {
    GatewayConfig c = parse(MINIMAL, Map.of());
    assertThat(c.server().port()).isEqualTo(4000);
    assertThat(c.server().host()).isEqualTo("127.0.0.1");
    assertThat(c.server().maxBodyBytes()).isEqualTo(16L * 1024 * 1024);
    assertThat(c.server().drainTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.plugins().dir()).isEqualTo(HOME.resolve("target/plugins"));
    assertThat(c.models()).singleElement().satisfies(m -> {
      assertThat(m.name()).isEqualTo("m1");
      assertThat(m.deployments()).singleElement().satisfies(d -> {
        assertThat(d.provider()).isEqualTo("demo");
        assertThat(d.model()).isEqualTo("d1");
        assertThat(d.weight()).isEqualTo(1);
      });
    });
    assertThat(c.server().toString()).doesNotContain("sk-test-123456");
  }

  @Test
  void interpolatesVariablesWithDefaultsAndKeepsScalarTypes() {
    GatewayConfig c = parse("""
        server: {master_key: "${KEY}", port: "${PORT:-4100}", max_body_size: 2MB}
        providers: [{id: p, type: openai, base_url: "http://${HOST:-localhost}:8000/v1"}]
        models: [{name: m, deployments: [{provider: p}]}]
        """, Map.of("KEY", "sk-from-env-1"));
    assertThat(c.server().masterKey()).isEqualTo("sk-from-env-1");
    assertThat(c.server().port()).isEqualTo(4100);
    assertThat(c.server().maxBodyBytes()).isEqualTo(2L * 1024 * 1024);
    assertThat(c.providers().get(0).settings().getString("base_url")).isEqualTo("http://localhost:8000/v1");
    assertThat(c.models().get(0).deployments().get(0).model()).isEqualTo("m");
  }

  @Test
  void variableValuesCannotChangeStructure() {
    GatewayConfig c = parse(MINIMAL.replace("sk-test-123456", "\"${KEY}\""), Map.of("KEY", "a: b\nc: [d]"));
    assertThat(c.server().masterKey()).isEqualTo("a: b\nc: [d]");
  }

  @Test
  void providerWithUnsetKeyIsSkippedWithOneWarningAndItsModelDropped() {
    GatewayConfig c = parse("""
        server: {master_key: sk-test-123456}
        providers:
          - {id: openai, type: openai, api_key: "${OPENAI_API_KEY}"}
          - {id: demo, type: demo}
        models:
          - {name: gpt, deployments: [{provider: openai, model: gpt-4o}]}
          - {name: both, deployments: [{provider: openai}, {provider: demo}]}
        """, Map.of());
    assertThat(c.providers()).extracting(GatewayConfig.ProviderEntry::id).containsExactly("demo");
    assertThat(c.models()).extracting(GatewayConfig.Model::name).containsExactly("both");
    assertThat(c.models().get(0).deployments()).extracting(GatewayConfig.Deployment::provider).containsExactly("demo");
    assertThat(c.warnings()).anySatisfy(w -> assertThat(w).contains("provider 'openai' skipped")
        .contains("OPENAI_API_KEY").contains("providers[0].api_key"));
    assertThat(c.warnings()).anySatisfy(w -> assertThat(w).contains("model 'gpt' is not served"));
  }

  @Test
  void unsetVariableOutsideProvidersIsAnErrorNamingPathAndVariable() {
    assertThat(problems(MINIMAL.replace("sk-test-123456", "\"${NOPE}\"")))
        .contains("server.master_key").contains("NOPE").contains("no default");
  }

  @Test
  void everyProblemIsReportedWithPathAndValue() {
    String message = problems("""
        server: {master_key: sk-test-123456, port: 70000, drain_timeout: 30, colour: blue}
        storage: {postgres: "mysql://db"}
        providers:
          - {id: demo, type: demo}
          - {id: demo, type: demo}
          - {type: openai}
        models:
          - name: m
            deployments: [{provider: nowhere, model: x}]
          - name: w
            deployments: [{provider: demo, weight: 0}]
          - {name: e, deployments: []}
        """);
    assertThat(message)
        .contains("server.colour: unknown key")
        .contains("storage.postgres: invalid value 'mysql://db'")
        .contains("providers[1].id: invalid value 'demo': another provider already has this id")
        .contains("providers[2].id: is required")
        .contains("models[0].deployments[0].provider: invalid value 'nowhere': no provider has this id")
        .contains("models[1].deployments[0].weight: invalid value 0")
        .contains("models[2].deployments: is required");
  }

  @Test
  void portAndDurationErrorsQuoteTheBadValue() {
    assertThat(problems(MINIMAL.replace("master_key: sk-test-123456", "master_key: sk-test-123456, port: 70000")))
        .contains("server.port: invalid value 70000: expected a whole number from 0 to 65535");
    assertThat(problems(MINIMAL.replace("master_key: sk-test-123456", "master_key: sk-test-123456, drain_timeout: 30")))
        .contains("server.drain_timeout: invalid value 30: a duration needs a unit");
    assertThat(problems(MINIMAL.replace("master_key: sk-test-123456", "master_key: sk-test-123456, max_body_size: lots")))
        .contains("server.max_body_size: invalid value 'lots'");
  }

  @Test
  void unknownTopLevelSectionAndBadYamlAreRejected() {
    assertThat(problems(MINIMAL + "bogus_section: {strategy: cost}\n")).contains("bogus_section: unknown key");
    assertThat(problems("server: [unclosed")).contains("not valid YAML").contains("line");
    assertThat(problems("- just\n- a list\n")).contains("top level must be a map");
  }

  @Test
  void shortMasterKeyIsRejected() {
    assertThat(problems(MINIMAL.replace("sk-test-123456", "short"))).contains("server.master_key: must be at least 8");
  }

  @Test
  void defaultConfigOfTheRepositoryIsValid() {
    GatewayConfig c = ConfigLoader.load(Path.of(System.getProperty("sluice.root", "..")).resolve("config.yaml"),
        name -> null, HOME);
    assertThat(c.models()).extracting(GatewayConfig.Model::name).contains("demo");
    assertThat(c.server().masterKey()).isEqualTo("sk-sluice-dev");
  }
}
