package dev.sluice.gateway.config;

import java.time.Duration;

/**
 * What one client connection may hold before it has authenticated: how long it may take to send its headers and
 * its body, how long it may sit idle between requests, how long its request line and headers may be, and how many
 * connections a node keeps open at once. Read from {@code server:}; every value validated by {@link ServerSection}.
 *
 * @param headerTimeout a new connection's time to send its first request's headers; then it is closed
 * @param bodyTimeout a request's time, from its headers, to send its whole body; then 408 and the connection closes
 * @param idleTimeout a kept-alive connection's time between the end of one answer and the next request's headers
 * @param maxConnections connections open at once on a node; one more is closed as soon as it is accepted
 * @param maxUrlLength the request line's bytes (method, URL, version); longer is answered 414
 * @param maxHeaderSize all header lines' bytes; more is answered 431
 */
public record ServerLimits(Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int maxConnections,
                           int maxUrlLength, int maxHeaderSize) {
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_CONNECTIONS = 4096;
  public static final int DEFAULT_MAX_URL_LENGTH = 8 * 1024;
  public static final int DEFAULT_MAX_HEADER_SIZE = 16 * 1024;

  public static final ServerLimits DEFAULT = new ServerLimits(DEFAULT_HEADER_TIMEOUT, DEFAULT_BODY_TIMEOUT,
      DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_URL_LENGTH, DEFAULT_MAX_HEADER_SIZE);

  /** The shortest of the three timeouts: the clock that enforces them ticks a tenth of it. */
  public Duration shortestTimeout() {
    Duration d = headerTimeout.compareTo(bodyTimeout) < 0 ? headerTimeout : bodyTimeout;
    return d.compareTo(idleTimeout) < 0 ? d : idleTimeout;
  }
}
