package dev.sluice.gateway.http;

import dev.sluice.gateway.config.ServerLimits;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** One event loop's HTTP server; every instance listens on the same port and shares {@link Routes}. */
public final class HttpVerticle extends VerticleBase {
  private final Routes routes;
  private final String host;
  private final int port;
  private final Duration drainTimeout;
  private final ServerLimits limits;
  private final AtomicInteger openConnections;
  private HttpServer server;
  private ConnectionGuard guard;
  private long clock = -1;

  /** @param openConnections the node's open connections, shared by every instance (server.max_connections) */
  public HttpVerticle(Routes routes, String host, int port, Duration drainTimeout, ServerLimits limits,
                      AtomicInteger openConnections) {
    this.routes = routes;
    this.host = host;
    this.port = port;
    this.drainTimeout = drainTimeout;
    this.limits = limits;
    this.openConnections = openConnections;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port).setTcpNoDelay(true)
        .setCompressionSupported(false).setDecompressionSupported(true)
        .setMaxInitialLineLength(limits.maxUrlLength()).setMaxHeaderSize(limits.maxHeaderSize())
        // HTTP/1.1 only: with cleartext HTTP/2 on, Vert.x makes a connection's object only once a whole request has
        // arrived, so a connection that sends half its headers (or nothing) would escape every limit here.
        .setHttp2ClearTextEnabled(false);
    ProtocolErrors errors = new ProtocolErrors(limits, routes::formatFor);
    guard = new ConnectionGuard(limits, openConnections, req -> {
      if (!errors.unsupportedVersion(req)) routes.handle(req);
    }, routes::formatFor, System::nanoTime);
    clock = guard.start(vertx);
    server = vertx.createHttpServer(options).requestHandler(guard::request).invalidRequestHandler(errors::invalid)
        .connectionHandler(this::connected);
    return server.listen();
  }

  private void connected(HttpConnection conn) {
    // Vert.x answers an unknown HTTP version (HTTP/9.9) with an empty 501 before the request handler sees it; the
    // connection's own handler is replaced so that such a request gets an error body like any other.
    if (conn instanceof io.vertx.core.http.impl.HttpServerConnection c) c.handler(guard::request);
    guard.connected(conn);
  }

  /** Stops taking connections and lets in-flight requests finish, up to the drain timeout. */
  @Override
  public Future<?> stop() {
    if (clock >= 0) vertx.cancelTimer(clock);
    return server == null ? Future.succeededFuture() : server.shutdown(drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
