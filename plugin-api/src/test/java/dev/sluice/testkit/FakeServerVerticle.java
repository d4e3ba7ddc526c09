package dev.sluice.testkit;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/** One event loop's server; several instances share the port and the {@link FakeState}. */
final class FakeServerVerticle extends VerticleBase {
  private final FakeState state;
  private final String host;
  private final int port;
  private HttpServer server;

  FakeServerVerticle(FakeState state, String host, int port) {
    this.state = state;
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setTcpNoDelay(true)
        .setCompressionSupported(false));
    return server.requestHandler(new FakeHandler(vertx, state)).listen();
  }

  int actualPort() {
    return server.actualPort();
  }
}
