package dev.sluice.gateway.admin;

import dev.sluice.api.GatewayError;
import dev.sluice.gateway.governance.Account;
import dev.sluice.gateway.governance.Governance;
import dev.sluice.gateway.governance.KeyAdmin;
import dev.sluice.gateway.governance.Role;
import dev.sluice.gateway.governance.VirtualKey;
import dev.sluice.gateway.pipeline.Principal;
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
 * {@code /admin/*}: keys, teams, users, orgs, spend, prices, audit. Roles: the master key and {@code admin} keys
 * do everything; {@code viewer} keys read everything; {@code team_admin} keys read and manage only their own
 * team (its keys and users, never admin keys); other keys get 403.
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
    Role role = admin.role(caller);
    if (role == Role.USER) {
      return Future.failedFuture(GatewayError.of(GatewayError.Kind.PERMISSION, "This key has no admin role; the "
          + "admin API needs the master key or an admin, team_admin or viewer key."));
    }
    // A team_admin, and a viewer that belongs to a team, see only that team.
    String team = role == Role.TEAM_ADMIN || role == Role.VIEWER ? teamOf(caller) : null;
    String actor = caller.keyId() + " (" + caller.keyPrefix() + ")";
    String[] parts = req.path().substring("/admin/".length()).split("/");
    boolean read = req.method() == HttpMethod.GET;
    if (!read && role == Role.VIEWER) {
      return Future.failedFuture(GatewayError.of(GatewayError.Kind.PERMISSION, "A viewer key may only read."));
    }
    return switch (parts[0]) {
      case "keys" -> new KeysResource(admin, actor, role, team).handle(req, parts);
      case "teams" -> accounts(req, Account.Kind.TEAM, actor, role, team, parts);
      case "users" -> accounts(req, Account.Kind.USER, actor, role, team, parts);
      case "orgs" -> accounts(req, Account.Kind.ORG, actor, role, team, parts);
      case "spend" -> read ? spend.query(req.params(), team).map(AdminReply::ok) : notAllowed(req);
      case "savings" -> read ? savings.query(req.params(), team).map(AdminReply::ok) : notAllowed(req);
      case "audit" -> read && team == null ? spend.audit(req.params()).map(AdminReply::ok)
          : read ? forbidden("the audit log") : notAllowed(req);
      case "prices" -> read ? Future.succeededFuture(AdminReply.ok(governance.priceReport(catalog))) : notAllowed(req);
      case "session" -> read ? Future.succeededFuture(AdminReply.ok(session(caller, role, team))) : notAllowed(req);
      case "requests" -> !read ? notAllowed(req) : !governance.requestLog().enabled()
          ? Future.succeededFuture(AdminReply.ok(new JsonObject().put("enabled", false).put("data", new JsonArray())
              .put("message", "The request log is off (observability.request_log.enabled: false).")))
          : parts.length == 1 ? query(() -> requests.list(req.params(), team))
          : parts.length == 2 ? requests.one(parts[1], team).map(AdminReply::ok) : notAllowed(req);
      case "stats" -> read ? query(() -> stats.stats(req.params(), team)) : notAllowed(req);
      case "deployments" -> read ? query(() -> stats.deployments(req.params(), team)) : notAllowed(req);
      case "budgets" -> read ? query(() -> stats.budgets(admin.accounts(Account.Kind.TEAM, team),
          b -> Budget.fromJson(b).periodStart(governance.clock().millis()))) : notAllowed(req);
      default -> Future.failedFuture(GatewayError.notFound("Unknown admin path " + req.path() + ". Sluice serves "
          + "/admin/keys, /admin/teams, /admin/users, /admin/orgs, /admin/spend, /admin/savings, /admin/prices, "
          + "/admin/audit, /admin/session, /admin/requests, /admin/stats, /admin/deployments, /admin/budgets."));
    };
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

  private String teamOf(Principal caller) {
    VirtualKey k = admin.key(caller.keyId());
    return k == null ? null : k.team();
  }

  private Future<AdminReply> accounts(HttpServerRequest req, Account.Kind kind, String actor, Role role, String team,
                                      String[] parts) {
    if (req.method() == HttpMethod.GET && parts.length == 1) {
      return Future.succeededFuture(AdminReply.ok(new JsonObject().put("data", admin.accounts(kind, team))));
    }
    if (req.method() != HttpMethod.POST || parts.length != 1) return notAllowed(req);
    return AdminReply.body(req).compose(body -> {
      if (team != null) {
        if (kind != Account.Kind.USER) return forbidden("teams and orgs");
        if (body.containsKey("team") && !team.equals(body.getValue("team"))) return forbidden("team " + body.getValue("team"));
        body.put("team", team);
      }
      return admin.putAccount(actor, kind, body).map(AdminReply::created);
    });
  }

  static <T> Future<T> forbidden(String what) {
    return Future.failedFuture(GatewayError.of(GatewayError.Kind.PERMISSION, "This key may not manage " + what
        + ": a team_admin key manages only its own team."));
  }

  static <T> Future<T> notAllowed(HttpServerRequest req) {
    return Future.failedFuture(GatewayError.of(GatewayError.Kind.BAD_REQUEST, req.method() + " is not allowed on "
        + req.path() + "."));
  }
}
