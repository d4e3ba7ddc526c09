package dev.sluice.gateway.admin;

import dev.sluice.api.GatewayError;
import dev.sluice.gateway.governance.KeyAdmin;
import dev.sluice.gateway.governance.Role;
import dev.sluice.gateway.governance.VirtualKey;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * {@code /admin/keys}: list, create ({@code 201} with the secret, shown once), read, update ({@code PATCH}),
 * delete, {@code POST /admin/keys/{id}/rotate}. A team_admin sees and manages only its team's non-admin keys.
 */
final class KeysResource {
  private final KeyAdmin admin;
  private final String actor;
  private final Role role;
  private final String team;

  KeysResource(KeyAdmin admin, String actor, Role role, String team) {
    this.admin = admin;
    this.actor = actor;
    this.role = role;
    this.team = team;
  }

  Future<AdminReply> handle(HttpServerRequest req, String[] parts) {
    HttpMethod m = req.method();
    if (parts.length == 1) {
      if (m == HttpMethod.GET) return Future.succeededFuture(AdminReply.ok(new JsonObject().put("data", admin.keys(team))));
      if (m == HttpMethod.POST) return AdminReply.body(req).compose(this::create);
      return AdminApi.notAllowed(req);
    }
    VirtualKey k = admin.key(parts[1]);
    if (k == null || (team != null && !team.equals(k.team()))) {
      return Future.failedFuture(GatewayError.notFound("No key with id '" + parts[1] + "'" + (team == null ? "" : " in team "
          + team) + "."));
    }
    if (parts.length == 3 && parts[2].equals("rotate") && m == HttpMethod.POST) {
      return guard(k).compose(v -> admin.rotateKey(actor, k)).map(AdminReply::ok);
    }
    if (parts.length != 2) return AdminApi.notAllowed(req);
    if (m == HttpMethod.GET) return Future.succeededFuture(AdminReply.ok(k.toJson()));
    if (m == HttpMethod.DELETE) {
      return guard(k).compose(v -> admin.deleteKey(actor, k)).map(v -> AdminReply.ok(new JsonObject()
          .put("id", k.id()).put("deleted", true)));
    }
    if (m == HttpMethod.PATCH) {
      return guard(k).compose(v -> AdminReply.body(req)).compose(body -> checkScope(body)
          .compose(v -> admin.updateKey(actor, k, body))).map(AdminReply::ok);
    }
    return AdminApi.notAllowed(req);
  }

  private Future<AdminReply> create(JsonObject body) {
    if (team != null) {
      if (body.getValue("team") == null) body.put("team", team);
    }
    return checkScope(body).compose(v -> admin.createKey(actor, body)).map(AdminReply::created);
  }

  /** A team_admin may not touch admin keys. */
  private Future<Void> guard(VirtualKey k) {
    if (team != null && k.role() == Role.ADMIN) return AdminApi.forbidden("admin keys");
    return Future.succeededFuture();
  }

  /** A team_admin may only give keys its own team and no role above its own. */
  private Future<Void> checkScope(JsonObject body) {
    if (role != Role.TEAM_ADMIN) return Future.succeededFuture();
    if (body.containsKey("team") && !team.equals(body.getValue("team"))) return AdminApi.forbidden("team " + body.getValue("team"));
    if ("admin".equals(body.getValue("role"))) return AdminApi.forbidden("admin keys");
    return Future.succeededFuture();
  }
}
