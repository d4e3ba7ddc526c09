package dev.sluice.plugins.demo;

import dev.sluice.api.ConfigError;
import dev.sluice.api.Durations;
import dev.sluice.api.ProviderSettings;
import java.time.Duration;
import java.util.List;

/**
 * The settings of one {@code type: demo} provider. Defaults make the embedded config feel like a fast hosted
 * model: a non-streamed answer after 300ms, a streamed one starting after 150ms at 250 tokens per second.
 *
 * @param latency time until a non-streamed answer (and an embedding) arrives ({@code latency}, default 300ms)
 * @param firstToken time until the first streamed chunk ({@code first_token}, default 150ms)
 * @param tokensPerSecond streaming pace; 0 streams as fast as the reader takes it ({@code tokens_per_second},
 *     default 250)
 * @param maxOutputTokens the answer cap when a request sets no {@code max_tokens} ({@code max_output_tokens},
 *     default 1024)
 * @param embeddingDimensions vector size when a request does not ask for one ({@code embedding_dimensions},
 *     default 384)
 * @param seed varies every answer and vector while keeping them deterministic ({@code seed}, default 0)
 * @param contextWindow prompt plus requested completion tokens beyond which a request fails with
 *     {@code context_length_exceeded} ({@code context_window}, default 128000)
 * @param promptCacheTtl how long a prompt prefix marked with a cache breakpoint stays cached after its last use
 *     ({@code prompt_cache_ttl}, default 5m; 0s: no prompt cache); see {@link PromptCache}
 */
record DemoSettings(Duration latency, Duration firstToken, int tokensPerSecond, int maxOutputTokens,
                    int embeddingDimensions, int seed, int contextWindow, Duration promptCacheTtl) {
  static final Duration DEFAULT_LATENCY = Duration.ofMillis(300);
  static final Duration DEFAULT_FIRST_TOKEN = Duration.ofMillis(150);
  static final int DEFAULT_TOKENS_PER_SECOND = 250;
  static final int DEFAULT_MAX_OUTPUT_TOKENS = 1024;
  static final int DEFAULT_EMBEDDING_DIMENSIONS = 384;
  static final int DEFAULT_CONTEXT_WINDOW = 128_000;
  static final Duration MAX_DELAY = Duration.ofMinutes(10);
  static final Duration DEFAULT_PROMPT_CACHE_TTL = Duration.ofMinutes(5);

  static final List<String> KEYS = List.of("latency", "first_token", "tokens_per_second", "max_output_tokens",
      "embedding_dimensions", "seed", "context_window", "prompt_cache_ttl");

  static DemoSettings defaults() {
    return new DemoSettings(DEFAULT_LATENCY, DEFAULT_FIRST_TOKEN, DEFAULT_TOKENS_PER_SECOND,
        DEFAULT_MAX_OUTPUT_TOKENS, DEFAULT_EMBEDDING_DIMENSIONS, 0, DEFAULT_CONTEXT_WINDOW, DEFAULT_PROMPT_CACHE_TTL);
  }

  /** Reads and validates one {@code providers[]} entry; a {@link ConfigError} names the bad key and value. */
  static DemoSettings from(ProviderSettings s) {
    s.allowOnly(KEYS);
    return new DemoSettings(
        delay(s, "latency", DEFAULT_LATENCY),
        delay(s, "first_token", DEFAULT_FIRST_TOKEN),
        s.integer("tokens_per_second", DEFAULT_TOKENS_PER_SECOND, 0, 1_000_000),
        s.integer("max_output_tokens", DEFAULT_MAX_OUTPUT_TOKENS, 1, 1_000_000),
        s.integer("embedding_dimensions", DEFAULT_EMBEDDING_DIMENSIONS, 1, 8192),
        s.integer("seed", 0, Integer.MIN_VALUE, Integer.MAX_VALUE),
        s.integer("context_window", DEFAULT_CONTEXT_WINDOW, 16, 100_000_000),
        s.duration("prompt_cache_ttl", DEFAULT_PROMPT_CACHE_TTL));
  }

  private static Duration delay(ProviderSettings s, String key, Duration defaultValue) {
    Duration d = s.duration(key, defaultValue);
    if (d.compareTo(MAX_DELAY) > 0) {
      throw s.invalid(key, "expected a duration of at most " + Durations.format(MAX_DELAY));
    }
    return d;
  }

  /** The pause between two streamed chunks of {@code tokensPerChunk} tokens. */
  Duration chunkGap(int tokensPerChunk) {
    return tokensPerSecond == 0 ? Duration.ZERO : Duration.ofMillis(Math.round(tokensPerChunk * 1000.0 / tokensPerSecond));
  }
}
