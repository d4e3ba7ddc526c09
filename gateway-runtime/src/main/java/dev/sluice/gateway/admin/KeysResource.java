package dev.sluice.gateway.admin;

import dev.sluice.api.GatewayError;
import dev.sluice.gateway.governance.KeyAdmin;
import dev.sluice.gateway.governance.VirtualKey;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * {@code /admin/keys}: list, create ({@code 201} with the secret, shown once), read, update ({@code PATCH}),
 * delete, {@code POST /admin/keys/{id}/rotate}. What the caller may see and change is its {@link Scope}'s call.
 */
final class KeysResource {
  private final KeyAdmin admin;
  private final String actor;
  private final Scope scope;

  KeysResource(KeyAdmin admin, String actor, Scope scope) {
    this.admin = admin;
    this.actor = actor;
    this.scope = scope;
  }

  Future<AdminReply> handle(HttpServerRequest req, AdminRoutes.Route route, String[] parts) {
    return switch (route.name()) {
      case "GET /admin/keys" -> Future.succeededFuture(AdminReply.ok(new JsonObject().put("data",
          admin.keys(scope.team()))));
      case "POST /admin/keys" -> AdminReply.body(req).compose(body -> {
        // A team-scoped caller's keys belong to its team unless it names one (which the scope then checks).
        if (scope.team() != null && body.getValue("team") == null) body.put("team", scope.team());
        return admin.createKey(actor, body, scope::key);
      }).map(AdminReply::created);
      default -> one(req, route, parts[1]);
    };
  }

  private Future<AdminReply> one(HttpServerRequest req, AdminRoutes.Route route, String id) {
    VirtualKey k = admin.key(id);
    if (k == null || !scope.sees(k.team())) {
      return Future.failedFuture(GatewayError.notFound("No key with id '" + id + "'" + (scope.team() == null ? ""
          : " in team " + scope.team()) + "."));
    }
    try {
      return switch (route.name()) {
        case "GET /admin/keys/{id}" -> Future.succeededFuture(AdminReply.ok(k.toJson()));
        case "PATCH /admin/keys/{id}" -> AdminReply.body(req).compose(body -> admin.updateKey(actor, k, body,
            scope::key)).map(AdminReply::ok);
        case "DELETE /admin/keys/{id}" -> {
          scope.key(k, k);
          yield admin.deleteKey(actor, k).map(v -> AdminReply.ok(new JsonObject().put("id", k.id())
              .put("deleted", true)));
        }
        case "POST /admin/keys/{id}/rotate" -> {
          scope.key(k, k);
          yield admin.rotateKey(actor, k).map(AdminReply::ok);
        }
        default -> Future.failedFuture(GatewayError.notFound("No handler for " + route.name() + "."));
      };
    } catch (GatewayError e) {
      return Future.failedFuture(e);
    }
  }
}
