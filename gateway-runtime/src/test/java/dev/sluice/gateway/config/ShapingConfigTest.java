package dev.sluice.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shaping keys of routing rules: defaults, and every bad value named with its path. */
class ShapingConfigTest {
  private static final String BASE = """
      server: {master_key: sk-test-123456}
      providers: [{id: demo, type: demo}]
      models:
        - {name: big, deployments: [{provider: demo, model: big}], price: {input: 3, output: 15, cached_input: 0.3, cache_write: 3.75}}
        - {name: small, deployments: [{provider: demo, model: small}]}
      routing:
        rules:
      """;

  private static GatewayConfig parse(String rules) {
    return ConfigLoader.parse(BASE + rules, "test.yaml", Map.<String, String>of()::get, Path.of("/opt/sluice"));
  }

  private static String problems(String rules) {
    try {
      parse(rules);
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("config was accepted:\n" + rules);
  }

  @Test
  void readsEveryPartWithDefaults() {
    GatewayConfig c = parse("""
            - when: {team: support}
              compaction: {fit_window: true, summarize_with: small}
              compression: {lossy: [filler]}
              prompt_cache: {}
        """);
    ShapingConfig s = c.routing().rules().get(0).shaping();
    assertThat(s.compaction()).isEqualTo(new ShapingConfig.Compaction(0, true, 4, 200, "small", 512));
    assertThat(s.compression()).isEqualTo(new ShapingConfig.Compression(Set.of("filler"), 2000));
    assertThat(s.promptCache()).isEqualTo(new ShapingConfig.PromptCache(1024, 4));
    assertThat(c.routing().rules().get(0).route()).isNull();
  }

  @Test
  void enabledFalseTurnsAPartOff() {
    ShapingConfig s = parse("""
            - {when: {team: a}, route: big, compaction: {enabled: false}, prompt_cache: {enabled: false}}
        """).routing().rules().get(0).shaping();
    assertThat(s.any()).isFalse();
  }

  @Test
  void badValuesNameTheirPath() {
    assertThat(problems("    - {when: {team: a}, compaction: {keep_recent_turns: 2}}\n"))
        .contains("routing.rules[0].compaction.max_tokens").contains("fit_window");
    assertThat(problems("    - {when: {team: a}, compaction: {max_tokens: 9000, summarize_with: nope}}\n"))
        .contains("routing.rules[0].compaction.summarize_with").contains("nope");
    assertThat(problems("    - {when: {team: a}, compaction: {max_tokens: 10}}\n"))
        .contains("routing.rules[0].compaction.max_tokens").contains("10");
    assertThat(problems("    - {when: {team: a}, compression: {lossy: [filler, rewrite]}}\n"))
        .contains("routing.rules[0].compression.lossy[1]").contains("rewrite");
    assertThat(problems("    - {when: {team: a}, prompt_cache: {max_breakpoints: 5}}\n"))
        .contains("routing.rules[0].prompt_cache.max_breakpoints").contains("5");
    assertThat(problems("    - {when: {team: a}, prompt_cache: {ttl: 5m}}\n"))
        .contains("routing.rules[0].prompt_cache.ttl");
  }
}
