package dev.sluice.gateway.admin;

import dev.sluice.api.GatewayError;
import dev.sluice.gateway.governance.Account;
import dev.sluice.gateway.governance.Governance;
import dev.sluice.gateway.governance.KeyAdmin;
import dev.sluice.gateway.governance.Role;
import dev.sluice.gateway.identity.Principal;
import dev.sluice.gateway.routing.ModelCatalog;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;
import dev.sluice.api.Durations;
import dev.sluice.gateway.config.GovernanceConfig;
import dev.sluice.gateway.governance.Budget;

/**
 * {@code /admin/*}: keys, teams, users, orgs, spend, prices, audit. Every route is listed in {@link AdminRoutes};
 * who may call it, and whether the target of a write is within the caller's reach, is {@link Scope}'s call: the
 * master key and {@code admin} keys do everything; {@code viewer} keys read (their team's data when they have a
 * team); {@code team_admin} keys read and manage only their own team; other keys get 403.
 */
public final class AdminApi {
  private final KeyAdmin admin;
  private final SpendQuery spend;
  private final SavingsQuery savings;
  private final Governance governance;
  private final ModelCatalog catalog;
  private final RequestsQuery requests;
  private StatsQuery stats;

  public AdminApi(Governance governance, ModelCatalog catalog) {
    this.admin = new KeyAdmin(governance);
    this.spend = new SpendQuery(governance.database().pool());
    this.savings = new SavingsQuery(governance.database().pool());
    this.governance = governance;
    this.catalog = catalog;
    this.requests = new RequestsQuery(governance.database().pool());
    this.stats = new StatsQuery(governance.database().pool(), governance.requestLog().enabled(), null);
  }

  /** Adds live deployment health (the router's view) to {@code /admin/deployments}; call before serving. */
  public AdminApi withHealth(Supplier<JsonObject> health) {
    this.stats = new StatsQuery(governance.database().pool(), governance.requestLog().enabled(), health);
    return this;
  }

  /** Answers the request (JSON) or fails with a {@link GatewayError} for the caller to answer. */
  public Future<AdminReply> handle(HttpServerRequest req, Principal caller) {
    Scope scope = Scope.of(admin, caller);
    AdminRoutes.Route route;
    try {
      route = AdminRoutes.resolve(req.method(), req.path());
      scope.enter(route);
    } catch (GatewayError e) {
      return Future.failedFuture(e);
    }
    String team = scope.team();
    String actor = caller.keyId() + " (" + caller.keyPrefix() + ")";
    String[] parts = req.path().substring("/admin/".length()).split("/");
    return switch (route.name()) {
      case "GET /admin/teams" -> list(Account.Kind.TEAM, team);
      case "GET /admin/users" -> list(Account.Kind.USER, team);
      case "GET /admin/orgs" -> list(Account.Kind.ORG, team);
      case "POST /admin/teams" -> put(req, Account.Kind.TEAM, actor, scope);
      case "POST /admin/users" -> put(req, Account.Kind.USER, actor, scope);
      case "POST /admin/orgs" -> put(req, Account.Kind.ORG, actor, scope);
      case "GET /admin/spend" -> spend.query(req.params(), team).map(AdminReply::ok);
      case "GET /admin/savings" -> savings.query(req.params(), team).map(AdminReply::ok);
      case "GET /admin/audit" -> spend.audit(req.params()).map(AdminReply::ok);
      case "GET /admin/prices" -> Future.succeededFuture(AdminReply.ok(governance.priceReport(catalog)));
      case "GET /admin/session" -> Future.succeededFuture(AdminReply.ok(session(caller, scope.role(), team)));
      case "GET /admin/requests", "GET /admin/requests/{id}" -> !governance.requestLog().enabled()
          ? Future.succeededFuture(AdminReply.ok(new JsonObject().put("enabled", false).put("data", new JsonArray())
              .put("message", "The request log is off (observability.request_log.enabled: false).")))
          : parts.length == 1 ? query(() -> requests.list(req.params(), team))
          : requests.one(parts[1], team).map(AdminReply::ok);
      case "GET /admin/stats" -> query(() -> stats.stats(req.params(), team));
      case "GET /admin/deployments" -> query(() -> stats.deployments(req.params(), team));
      case "GET /admin/budgets" -> query(() -> stats.budgets(admin.accounts(Account.Kind.TEAM, team),
          b -> Budget.fromJson(b).periodStart(governance.clock().millis())));
      default -> route.template().startsWith("/admin/keys") ? new KeysResource(admin, actor, scope)
          .handle(req, route, parts) : Future.failedFuture(GatewayError.notFound("The admin API serves "
          + route.name() + " on another listener; this node has no handler for it."));
    };
  }

  /**
   * Fails with a 403 (or 404/400 for an unknown route) unless {@code caller} may use {@code method path}: for the
   * admin routes served outside this class ({@code /admin/cache}, {@code /admin/models}, {@code /admin/config/reload}).
   * {@code api} is null when there is no storage, where the master key is the only admin.
   */
  public static void authorize(AdminApi api, HttpMethod method, String path, Principal caller) {
    Scope scope = api == null ? Scope.unstored(caller) : Scope.of(api.admin, caller);
    scope.enter(AdminRoutes.resolve(method, path));
  }

  /** Runs a query, turning a bad parameter thrown while building it into a failed future. */
  private static Future<AdminReply> query(Supplier<Future<JsonObject>> q) {
    try {
      return q.get().map(AdminReply::ok);
    } catch (GatewayError e) {
      return Future.failedFuture(e);
    }
  }

  /** Who is signed in and what the dashboard can show them. */
  private JsonObject session(Principal caller, Role role, String team) {
    GovernanceConfig.RequestLog log = governance.requestLog();
    return new JsonObject().put("key_id", caller.keyId()).put("key_prefix", caller.keyPrefix())
        .put("role", role.wire()).put("team", team).put("storage", true)
        .put("request_log", new JsonObject().put("enabled", log.enabled()).put("bodies", log.enabled() && log.bodies())
            .put("retention", Durations.format(log.retention())));
  }

  private Future<AdminReply> list(Account.Kind kind, String team) {
    return Future.succeededFuture(AdminReply.ok(new JsonObject().put("data", admin.accounts(kind, team))));
  }

  private Future<AdminReply> put(HttpServerRequest req, Account.Kind kind, String actor, Scope scope) {
    return AdminReply.body(req).compose(body -> {
      // A team-scoped caller's users belong to its team unless it names one (which the scope then checks).
      if (kind == Account.Kind.USER && scope.team() != null && body.getValue("team") == null) {
        body.put("team", scope.team());
      }
      return admin.putAccount(actor, kind, body, kind == Account.Kind.USER ? scope::user : (before, after) -> { });
    }).map(AdminReply::created);
  }
}
