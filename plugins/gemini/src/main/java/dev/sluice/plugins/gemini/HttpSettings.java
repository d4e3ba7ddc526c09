package dev.sluice.plugins.gemini;

import dev.sluice.api.ProviderSettings;
import java.time.Duration;
import java.util.Map;

/** The connection settings both provider types share: extra headers, connect timeout, pool size. */
record HttpSettings(Map<String, String> headers, Duration connectTimeout, int maxConnections) {
  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final int DEFAULT_MAX_CONNECTIONS = 100;

  HttpSettings {
    headers = Map.copyOf(headers);
  }

  static HttpSettings of(ProviderSettings settings) {
    Map<String, String> headers = settings.stringMap("headers");
    Duration connectTimeout = settings.duration("connect_timeout", DEFAULT_CONNECT_TIMEOUT);
    if (connectTimeout.isZero() || connectTimeout.toMillis() > Integer.MAX_VALUE) {
      throw settings.invalid("connect_timeout", "expected a duration from 1ms to 24d, e.g. 10s");
    }
    int maxConnections = settings.integer("max_connections", DEFAULT_MAX_CONNECTIONS, 1, 10_000);
    return new HttpSettings(headers, connectTimeout, maxConnections);
  }
}
