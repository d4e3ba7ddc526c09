package dev.sluice.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;

/** One event loop's HTTP server; every instance listens on the same port and shares {@link Routes}. */
public final class HttpVerticle extends VerticleBase {
  private final Routes routes;
  private final String host;
  private final int port;
  private final Duration drainTimeout;
  private HttpServer server;

  public HttpVerticle(Routes routes, String host, int port, Duration drainTimeout) {
    this.routes = routes;
    this.host = host;
    this.port = port;
    this.drainTimeout = drainTimeout;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port).setTcpNoDelay(true)
        .setCompressionSupported(false).setDecompressionSupported(true);
    server = vertx.createHttpServer(options).requestHandler(routes);
    return server.listen();
  }

  /** Stops taking connections and lets in-flight requests finish, up to the drain timeout. */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(drainTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }
}
