package dev.sluice.gateway.config;

import dev.sluice.api.ConfigError;
import java.time.Duration;

/** Reads the connection limits of {@code server:}; every bad value is a {@link ConfigError} naming its path. */
final class ServerSection {
  static final String[] KEYS = {"header_timeout", "body_timeout", "idle_timeout", "max_connections",
      "max_url_length", "max_header_size"};
  private static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
  private static final Duration MAX_TIMEOUT = Duration.ofHours(1);

  private ServerSection() {}

  static ServerLimits limits(Node s) {
    ServerLimits d = ServerLimits.DEFAULT;
    return new ServerLimits(timeout(s, "header_timeout", d.headerTimeout()), timeout(s, "body_timeout", d.bodyTimeout()),
        timeout(s, "idle_timeout", d.idleTimeout()), s.integer("max_connections", d.maxConnections(), 1, 1_000_000),
        size(s, "max_url_length", d.maxUrlLength(), 256), size(s, "max_header_size", d.maxHeaderSize(), 1024));
  }

  private static Duration timeout(Node s, String key, Duration defaultValue) {
    Duration d = s.duration(key, defaultValue);
    if (d.compareTo(MIN_TIMEOUT) < 0 || d.compareTo(MAX_TIMEOUT) > 0) {
      throw ConfigError.invalid(s.pathOf(key), s.raw(key), "expected a duration from 100ms to 1h, e.g. 10s");
    }
    return d;
  }

  private static int size(Node s, String key, int defaultValue, int min) {
    long bytes = s.bytes(key, defaultValue);
    if (bytes < min || bytes > 1024 * 1024) {
      throw ConfigError.invalid(s.pathOf(key), s.raw(key), "expected a size from " + min + " bytes to 1MB, e.g. 16KB");
    }
    return (int) bytes;
  }
}
