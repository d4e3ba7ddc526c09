package dev.sluice.gateway.http;

import dev.sluice.api.GatewayError;
import dev.sluice.gateway.identity.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Supplier;

/**
 * {@code GET /metrics}: the Prometheus text format. Open like the health endpoints unless
 * {@code observability.metrics.require_key} asks for the master key or an admin key. Rendering runs on a worker.
 */
public final class MetricsRoute {
  static final String PATH = "/metrics";
  private static final CharSequence TEXT_FORMAT = HttpHeaders.createOptimized("text/plain; version=0.0.4; charset=utf-8");

  private final Supplier<String> scrape;
  private final boolean requireKey;

  public MetricsRoute(Supplier<String> scrape, boolean requireKey) {
    this.scrape = scrape;
    this.requireKey = requireKey;
  }

  void handle(HttpServerRequest req, Authenticator auth) {
    if (req.method() != HttpMethod.GET) {
      req.response().putHeader("allow", "GET");
      throw GatewayError.badRequest(req.method() + " is not allowed on " + PATH + "; use GET.");
    }
    if (requireKey) {
      Principal p = auth.authenticate(req);
      if (!p.admin()) {
        throw GatewayError.of(GatewayError.Kind.PERMISSION, "Scraping " + PATH + " needs the master key or an admin"
            + " key (observability.metrics.require_key is true).");
      }
    }
    Vertx vertx = Vertx.currentContext().owner();
    Future<String> text = vertx.executeBlocking(scrape::get, false);
    text.onComplete(ar -> {
      if (ar.failed()) {
        Routes.fail(req.response(), OpenAiFormat.INSTANCE, ar.cause());
        return;
      }
      req.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, TEXT_FORMAT)
          .end(Buffer.buffer(ar.result()));
    });
  }
}
