package dev.sluice.gateway.http;

import dev.sluice.api.GatewayError;
import dev.sluice.gateway.cache.ChatCache;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * {@code /admin/cache}: {@code GET} answers the cache's counters and size; {@code DELETE} flushes one scope
 * ({@code ?scope=team:research}, {@code key:<key id>}, {@code global}) or, without one, everything. Who may
 * call it is the admin route table's call ({@code AdminRoutes}): admins only.
 */
final class AdminCacheEndpoint {
  private static final Pattern SCOPE = Pattern.compile("global|(team|key):[^\\s]{1,200}");
  private final ChatCache cache;

  AdminCacheEndpoint(ChatCache cache) {
    this.cache = cache;
  }

  /** Serves a caller the admin route table ({@code AdminRoutes}) has already admitted. */
  void handle(HttpServerRequest req) {
    if (req.method() == HttpMethod.GET) {
      cache.stats().onComplete(ar -> answer(req, ar.succeeded() ? ar.result() : null, ar.cause()));
    } else if (req.method() == HttpMethod.DELETE) {
      String scope = req.getParam("scope");
      if (scope != null && !SCOPE.matcher(scope).matches()) {
        throw GatewayError.badParam("scope", "The scope '" + scope + "' is not one; send team:<team>, key:<key id>"
            + " or global, or no scope to flush everything.");
      }
      cache.flush(scope).onComplete(ar -> answer(req, ar.succeeded()
          ? new JsonObject().put("flushed", ar.result()).put("scope", scope == null ? "all" : scope) : null,
          ar.cause()));
    } else {
      req.response().putHeader("allow", "GET, DELETE");
      throw GatewayError.of(GatewayError.Kind.BAD_REQUEST, req.method() + " is not allowed on /admin/cache; use"
          + " GET (stats) or DELETE (flush).");
    }
  }

  private static void answer(HttpServerRequest req, JsonObject body, Throwable failure) {
    if (body != null) {
      Replies.json(req.response(), 200, body);
    } else {
      Routes.fail(req.response(), OpenAiFormat.INSTANCE, GatewayError.unavailable("The cache backend did not"
          + " answer: " + failure.getMessage() + ". Try again once it is reachable.", failure));
    }
  }
}
