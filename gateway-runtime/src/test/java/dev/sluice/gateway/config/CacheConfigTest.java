package dev.sluice.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code cache:} validation: defaults, and every bad value named with its path. */
class CacheConfigTest {
  private static final String BASE = "server: {master_key: sk-test-123456}\n";

  private static GatewayConfig parse(String cache) {
    return ConfigLoader.parse(BASE + cache, "test.yaml", Map.<String, String>of()::get, Path.of("/opt/sluice"));
  }

  @Test
  void cachingIsOffUnlessConfigured() {
    assertThat(parse("").cache().enabled()).isFalse();
  }

  /** bench/semantic-cache reports its "default" row with exactly these (bench/RESULTS.md, "Caching"). */
  @Test
  void theSemanticDefaultsAreTheBenchmarkedOnes() {
    CacheConfig.Semantic s = parse("cache: {semantic: {enabled: true}}").cache().semantic();
    assertThat(s.threshold()).isEqualTo(0.9);
    assertThat(s.guard()).isTrue();
  }

  @Test
  void readsEveryKey() {
    CacheConfig c = parse("""
        storage: {redis: "redis://127.0.0.1:6379/0"}
        cache:
          exact: {enabled: true, backend: redis, ttl: 30m, max_size: 64MB, scope: key}
          semantic: {enabled: true, threshold: 0.93, ttl: 2h, embeddings: local, guard: false, max_entries: 5000, scope: global}
        """).cache();
    assertThat(c.exact()).isEqualTo(new CacheConfig.Exact(true, "redis", Duration.ofMinutes(30), 64L << 20, "key"));
    assertThat(c.semantic()).isEqualTo(new CacheConfig.Semantic(true, 0.93, Duration.ofHours(2), "local", false,
        5000, "global"));
  }

  @Test
  void badValuesNameTheirPath() {
    assertThatThrownBy(() -> parse("cache: {exact: {scope: tenant}}")).hasMessageContaining("cache.exact.scope")
        .hasMessageContaining("'tenant'");
    assertThatThrownBy(() -> parse("cache: {semantic: {threshold: 1.5}}"))
        .hasMessageContaining("cache.semantic.threshold").hasMessageContaining("1.5");
    assertThatThrownBy(() -> parse("cache: {exact: {ttl: 0s}}")).hasMessageContaining("cache.exact.ttl");
    assertThatThrownBy(() -> parse("cache: {exact: {max_size: lots}}")).hasMessageContaining("cache.exact.max_size");
    assertThatThrownBy(() -> parse("cache: {exact: {enabled: yes please}}")).hasMessageContaining("cache.exact.enabled");
    assertThatThrownBy(() -> parse("cache: {exact: {colour: red}}")).hasMessageContaining("cache.exact.colour");
    assertThatThrownBy(() -> parse("storage: {redis: localhost}")).hasMessageContaining("storage.redis");
  }
}
