package dev.sluice.gateway.http;

import dev.sluice.api.GatewayError;
import dev.sluice.gateway.config.ConfigException;
import dev.sluice.gateway.redact.Redactor;
import dev.sluice.gateway.routing.Router;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * {@code GET /admin/models} (each deployment's breaker, latency, error rate, in-flight, cooldown) and
 * {@code POST /admin/config/reload} (re-reads the config file; a bad one answers 400 with its problems and the
 * old routing keeps serving). Admin keys only, as the admin route table says.
 */
public final class RoutingAdmin {
  static final String MODELS = "/admin/models";
  static final String RELOAD = "/admin/config/reload";
  private final Router router;
  private final Supplier<Future<JsonObject>> reload;

  /** @param reload re-reads config and swaps routing; fails with a {@link ConfigException} on a bad config */
  public RoutingAdmin(Router router, Supplier<Future<JsonObject>> reload) {
    this.router = router;
    this.reload = reload;
  }

  boolean handles(String path) {
    return path.equals(MODELS) || path.equals(RELOAD);
  }

  /** Serves a caller the admin route table ({@code AdminRoutes}) has already admitted. */
  void handle(HttpServerRequest req) {
    if (req.path().equals(MODELS)) {
      if (req.method() != HttpMethod.GET) throw wrongMethod(req, "GET");
      Replies.json(req.response(), 200, router.health().describe());
      return;
    }
    if (req.method() != HttpMethod.POST) throw wrongMethod(req, "POST");
    reload.get().onComplete(ar -> {
      if (ar.succeeded()) {
        Replies.json(req.response(), 200, ar.result());
      } else if (ar.cause() instanceof ConfigException e) {
        Replies.json(req.response(), 400, new JsonObject().put("error", new JsonObject()
            .put("message", "The new config is invalid; the current one keeps serving.")
            .put("type", "invalid_request_error").put("code", "invalid_config").putNull("param")
            .put("problems", new JsonArray(e.problems().stream().map(Redactor.active()::scrub).toList()))));
      } else {
        Routes.fail(req.response(), OpenAiFormat.INSTANCE, ar.cause());
      }
    });
  }

  private static GatewayError wrongMethod(HttpServerRequest req, String allowed) {
    req.response().putHeader("allow", allowed);
    return GatewayError.of(GatewayError.Kind.BAD_REQUEST, req.method() + " is not allowed on " + req.path()
        + "; use " + allowed + ".");
  }
}
