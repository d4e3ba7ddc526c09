package dev.sluice.plugins.anthropic;

import dev.sluice.api.ConfigError;
import dev.sluice.api.ProviderSettings;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One {@code type: anthropic} provider entry, validated. Every bad value fails with its path, e.g.
 * {@code providers[2].max_connections: invalid value 0: expected a whole number from 1 to 10000}.
 *
 * @param baseUrl the API root without {@code /v1}, as Anthropic's SDKs take it
 * @param defaultMaxTokens the operator's default for requests without {@code max_tokens}, or null to use
 *     {@link ModelLimits}
 */
record AnthropicSettings(String apiKey, String baseUrl, String anthropicVersion, List<String> betas,
                         Integer defaultMaxTokens, Map<String, String> headers, Duration connectTimeout,
                         int maxConnections) {
  static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
  static final String DEFAULT_VERSION = "2023-06-01";
  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final int DEFAULT_MAX_CONNECTIONS = 64;
  static final Set<String> KEYS = Set.of("api_key", "base_url", "anthropic_version", "beta", "default_max_tokens",
      "headers", "connect_timeout", "max_connections");
  /** Headers the plugin owns; setting them through {@code headers} would silently break the call. */
  private static final Set<String> RESERVED_HEADERS = Set.of("x-api-key", "anthropic-version", "content-type",
      "content-length", "host");

  AnthropicSettings {
    betas = List.copyOf(betas);
    headers = Map.copyOf(headers);
  }

  static AnthropicSettings from(ProviderSettings s) {
    s.allowOnly(KEYS);
    String apiKey = s.requireString("api_key", "an Anthropic API key (sk-ant-...), e.g. ${ANTHROPIC_API_KEY}");
    String baseUrl = s.url("base_url", DEFAULT_BASE_URL);
    if (baseUrl.endsWith("/v1")) {
      throw s.invalid("base_url", "give the API root without /v1 (Sluice appends /v1/messages), e.g. "
          + baseUrl.substring(0, baseUrl.length() - 3));
    }
    String version = s.string("anthropic_version", DEFAULT_VERSION);
    if (version.isBlank()) throw s.invalid("anthropic_version", "expected a version date such as " + DEFAULT_VERSION);
    List<String> betas = s.strings("beta");
    for (int i = 0; i < betas.size(); i++) {
      if (betas.get(i).isBlank() || betas.get(i).contains(",")) {
        throw ConfigError.invalid(s.pathOf("beta") + "[" + i + "]", betas.get(i),
            "expected one beta name per entry, e.g. prompt-caching-2024-07-31");
      }
    }
    Integer defaultMaxTokens = s.has("default_max_tokens") ? s.integer("default_max_tokens", 0, 1, 1_000_000) : null;
    Map<String, String> headers = s.stringMap("headers");
    for (String name : headers.keySet()) {
      if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        throw ConfigError.invalid(s.pathOf("headers") + "." + name, headers.get(name).isEmpty() ? "" : "***",
            "Sluice sets " + name + " itself; use api_key or anthropic_version instead");
      }
    }
    Duration connectTimeout = s.duration("connect_timeout", DEFAULT_CONNECT_TIMEOUT);
    if (connectTimeout.isZero() || connectTimeout.toMillis() > Integer.MAX_VALUE) {
      throw s.invalid("connect_timeout", "expected a positive duration such as 10s");
    }
    int maxConnections = s.integer("max_connections", DEFAULT_MAX_CONNECTIONS, 1, 10_000);
    return new AnthropicSettings(apiKey, baseUrl, version, betas, defaultMaxTokens, headers, connectTimeout,
        maxConnections);
  }

  /** {@code max_tokens} for a request that gave none: the operator's default, never above the model's limit. */
  int defaultMaxTokens(String model) {
    int limit = ModelLimits.maxOutputTokens(model);
    return defaultMaxTokens == null ? limit : Math.min(defaultMaxTokens, limit);
  }

  @Override
  public String toString() {
    return "AnthropicSettings{baseUrl=" + baseUrl + ", apiKey=***, anthropicVersion=" + anthropicVersion
        + ", betas=" + betas + ", maxConnections=" + maxConnections + "}";
  }
}
