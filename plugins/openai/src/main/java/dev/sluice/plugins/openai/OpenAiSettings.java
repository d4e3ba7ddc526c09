package dev.sluice.plugins.openai;

import dev.sluice.api.ConfigError;
import dev.sluice.api.ProviderSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One {@code providers[]} entry of type {@code openai} or {@code azure}, validated: every problem names the
 * setting's path and its bad value.
 *
 * @param azure whether requests use Azure's deployment URLs and {@code api-key} header
 * @param apiKey the key, or null for servers that need none
 * @param maxTokensField {@code max_tokens} or {@code max_completion_tokens}
 */
record OpenAiSettings(String id, boolean azure, URI baseUrl, String apiKey, String organization, String project,
                      Map<String, String> headers, String apiVersion, String maxTokensField, Duration connectTimeout,
                      int maxConnections, boolean http2) {

  static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
  /** The newest generally available Azure OpenAI inference API version for deployment URLs. */
  static final String DEFAULT_AZURE_API_VERSION = "2024-10-21";
  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** Enough pooled HTTP/1.1 connections for hundreds of concurrent streams to one upstream. */
  static final int DEFAULT_MAX_CONNECTIONS = 512;

  private static final List<String> COMMON_KEYS = List.of("base_url", "api_key", "headers", "max_tokens_field",
      "connect_timeout", "max_connections", "http2");
  private static final Pattern API_VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}(-preview)?");
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  static OpenAiSettings openAi(ProviderSettings s) {
    s.allowOnly(concat(COMMON_KEYS, "organization", "project"));
    URI base = URI.create(s.url("base_url", DEFAULT_BASE_URL));
    boolean official = "api.openai.com".equalsIgnoreCase(base.getHost());
    String apiKey = apiKey(s);
    if (apiKey == null && official) {
      throw ConfigError.missing(s.pathOf("api_key"), "api.openai.com needs an API key (sk-...); "
          + "leave it out only for servers that need none, such as a local vLLM or Ollama");
    }
    return new OpenAiSettings(s.id(), false, base, apiKey, optional(s, "organization"), optional(s, "project"),
        headers(s), null, maxTokensField(s, official), connectTimeout(s),
        s.integer("max_connections", DEFAULT_MAX_CONNECTIONS, 1, 100_000), s.bool("http2", false));
  }

  static OpenAiSettings azure(ProviderSettings s) {
    s.allowOnly(concat(COMMON_KEYS, "api_version"));
    String url = s.url("base_url", null);
    if (url == null) {
      throw ConfigError.missing(s.pathOf("base_url"), "the Azure OpenAI resource endpoint, "
          + "e.g. https://my-resource.openai.azure.com");
    }
    Map<String, String> headers = headers(s);
    String apiKey = apiKey(s);
    boolean bearer = headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("authorization"));
    if (apiKey == null && !bearer) {
      throw ConfigError.missing(s.pathOf("api_key"), "the resource's key (or an Authorization header in headers "
          + "for Entra ID tokens)");
    }
    String version = s.string("api_version", DEFAULT_AZURE_API_VERSION);
    if (!API_VERSION.matcher(version).matches()) {
      throw s.invalid("api_version", "expected an Azure API version such as " + DEFAULT_AZURE_API_VERSION
          + " or 2025-04-01-preview");
    }
    return new OpenAiSettings(s.id(), true, URI.create(url), apiKey, null, null, headers, version,
        maxTokensField(s, true), connectTimeout(s), s.integer("max_connections", DEFAULT_MAX_CONNECTIONS, 1, 100_000),
        s.bool("http2", false));
  }

  private static String apiKey(ProviderSettings s) {
    String key = s.string("api_key", null);
    if (key != null && key.isBlank()) {
      throw s.invalid("api_key", "expected a key; leave api_key out for servers that need none");
    }
    return key == null ? null : key.strip();
  }

  private static String optional(ProviderSettings s, String key) {
    String value = s.string(key, null);
    if (value != null && value.isBlank()) throw s.invalid(key, "expected a non-empty value, or leave it out");
    return value;
  }

  private static Map<String, String> headers(ProviderSettings s) {
    Map<String, String> headers = s.stringMap("headers");
    for (Map.Entry<String, String> h : headers.entrySet()) {
      if (!HEADER_NAME.matcher(h.getKey()).matches()) {
        throw ConfigError.invalid(s.pathOf("headers"), h.getKey(), "not a valid HTTP header name");
      }
      if (h.getValue().indexOf('\n') >= 0 || h.getValue().indexOf('\r') >= 0) {
        throw ConfigError.invalid(s.pathOf("headers") + "." + h.getKey(), h.getValue(),
            "a header value cannot hold a line break");
      }
    }
    return Map.copyOf(headers);
  }

  private static String maxTokensField(ProviderSettings s, boolean officialDefault) {
    String field = s.string("max_tokens_field", officialDefault ? "max_completion_tokens" : "max_tokens");
    if (!field.equals("max_tokens") && !field.equals("max_completion_tokens")) {
      throw s.invalid("max_tokens_field", "expected max_tokens or max_completion_tokens");
    }
    return field;
  }

  private static Duration connectTimeout(ProviderSettings s) {
    Duration d = s.duration("connect_timeout", DEFAULT_CONNECT_TIMEOUT);
    if (d.isZero() || d.compareTo(Duration.ofMinutes(5)) > 0) {
      throw s.invalid("connect_timeout", "expected a duration from 1ms to 5m, e.g. 10s");
    }
    return d;
  }

  private static List<String> concat(List<String> keys, String... more) {
    java.util.ArrayList<String> all = new java.util.ArrayList<>(keys);
    all.addAll(List.of(more));
    return all;
  }

  /** How messages name this upstream: {@code provider 'azure-east'}. */
  String displayName() {
    return "provider '" + id + "'";
  }

  boolean ssl() {
    return "https".equals(baseUrl.getScheme().toLowerCase(Locale.ROOT));
  }

  int port() {
    return baseUrl.getPort() > 0 ? baseUrl.getPort() : ssl() ? 443 : 80;
  }

  /** The base URL's path without a trailing slash ({@code /v1}, or empty). */
  String pathPrefix() {
    String p = baseUrl.getRawPath();
    return p == null ? "" : p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  @Override
  public String toString() {
    return "OpenAiSettings{" + id + ", " + baseUrl + (apiKey == null ? "" : ", api_key=****") + "}";
  }
}
