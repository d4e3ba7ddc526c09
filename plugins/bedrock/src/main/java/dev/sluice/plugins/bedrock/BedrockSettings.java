package dev.sluice.plugins.bedrock;

import dev.sluice.api.ConfigError;
import dev.sluice.api.ProviderSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One {@code providers[]} entry of type {@code bedrock}, validated.
 *
 * <pre>
 * - id: bedrock
 *   type: bedrock
 *   region: us-east-1              # else AWS_REGION (or AWS_DEFAULT_REGION)
 *   access_key_id: ${KEY}          # with secret_access_key; else AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
 *   secret_access_key: ${SECRET}
 *   session_token: ${TOKEN}        # optional; else AWS_SESSION_TOKEN (only with env credentials)
 *   endpoint: https://...          # default https://bedrock-runtime.{region}.amazonaws.com
 *   headers: {x-extra: v}          # sent (and signed) on every request
 *   connect_timeout: 10s
 *   max_connections: 50
 * </pre>
 */
record BedrockSettings(String region, URI endpoint, Credentials credentials, Map<String, String> headers,
                       Duration connectTimeout, int maxConnections) {
  static final List<String> KEYS = List.of("region", "access_key_id", "secret_access_key", "session_token",
      "endpoint", "headers", "connect_timeout", "max_connections");
  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final int DEFAULT_MAX_CONNECTIONS = 50;
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+)+-\\d+");

  /** AWS credentials; {@link #toString()} never shows the secret or the token. */
  record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
    @Override
    public String toString() {
      return "Credentials{" + accessKeyId + ", secret=***" + (sessionToken == null ? "" : ", token=***") + "}";
    }
  }

  static BedrockSettings from(ProviderSettings s, Function<String, String> env) {
    s.allowOnly(KEYS);
    String region = s.string("region", null);
    if (region == null) region = nonBlank(env.apply("AWS_REGION"));
    if (region == null) region = nonBlank(env.apply("AWS_DEFAULT_REGION"));
    if (region == null) {
      throw ConfigError.missing(s.pathOf("region"), "an AWS region such as us-east-1 (or set AWS_REGION)");
    }
    if (!REGION.matcher(region).matches()) {
      throw ConfigError.invalid(s.pathOf("region"), region, "expected an AWS region such as us-east-1");
    }
    String endpoint = s.url("endpoint", "https://bedrock-runtime." + region + ".amazonaws.com");
    Duration connectTimeout = s.duration("connect_timeout", DEFAULT_CONNECT_TIMEOUT);
    if (connectTimeout.isZero() || connectTimeout.isNegative()) throw s.invalid("connect_timeout", "a positive duration");
    return new BedrockSettings(region, URI.create(endpoint), credentials(s, env), s.stringMap("headers"),
        connectTimeout, s.integer("max_connections", DEFAULT_MAX_CONNECTIONS, 1, 10_000));
  }

  private static Credentials credentials(ProviderSettings s, Function<String, String> env) {
    String keyId = s.string("access_key_id", null);
    String secret = s.string("secret_access_key", null);
    String token = s.string("session_token", null);
    if (keyId != null || secret != null) {
      // Keys from the config go together; a token from the environment belongs to other keys.
      if (keyId == null || keyId.isBlank()) {
        throw ConfigError.missing(s.pathOf("access_key_id"), "secret_access_key is set, so access_key_id must be too");
      }
      if (secret == null || secret.isBlank()) {
        throw ConfigError.missing(s.pathOf("secret_access_key"), "access_key_id is set, so secret_access_key must be too");
      }
      return new Credentials(keyId, secret, nonBlank(token));
    }
    keyId = nonBlank(env.apply("AWS_ACCESS_KEY_ID"));
    secret = nonBlank(env.apply("AWS_SECRET_ACCESS_KEY"));
    if (keyId == null || secret == null) {
      throw ConfigError.missing(s.pathOf("access_key_id"), "AWS credentials: set access_key_id and "
          + "secret_access_key (and session_token for temporary credentials), or AWS_ACCESS_KEY_ID and "
          + "AWS_SECRET_ACCESS_KEY in the environment");
    }
    return new Credentials(keyId, secret, token != null ? nonBlank(token) : nonBlank(env.apply("AWS_SESSION_TOKEN")));
  }

  private static String nonBlank(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
