package dev.sluice.gateway.admin;

import dev.sluice.api.GatewayError;
import io.vertx.core.http.HttpMethod;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every route under {@code /admin/}, with what a caller needs to use it. Dispatch goes through {@link #resolve}:
 * a route not listed here is unreachable, and the tenancy matrix test enumerates this list, so a new route
 * cannot be added without saying who may call it.
 */
public final class AdminRoutes {

  /** Who may call a route; {@link Scope} decides it, and checks the target of every write. */
  public enum Access {
    /** Any admin role; a team_admin, and a viewer of a team, see only their team's data. */
    READ,
    /** Keys whose scope is every team: the master key, admin keys and viewers without a team. */
    GLOBAL_READ,
    /** Admin keys anywhere; a team_admin within its own team, checked against the target. */
    TEAM_WRITE,
    /** The master key and admin keys only. */
    ADMIN
  }

  /** One route: {@code template} segments in braces match any one path segment. */
  public record Route(HttpMethod method, String template, Access access) {
    boolean matches(String[] segments) {
      String[] t = template.substring(1).split("/");
      if (t.length != segments.length) return false;
      for (int i = 0; i < t.length; i++) {
        if (!t[i].startsWith("{") && !t[i].equals(segments[i])) return false;
      }
      return true;
    }

    /** {@code GET /admin/keys/{id}}. */
    public String name() {
      return method.name() + " " + template;
    }
  }

  public static final List<Route> ALL = List.of(
      new Route(HttpMethod.GET, "/admin/keys", Access.READ),
      new Route(HttpMethod.POST, "/admin/keys", Access.TEAM_WRITE),
      new Route(HttpMethod.GET, "/admin/keys/{id}", Access.READ),
      new Route(HttpMethod.PATCH, "/admin/keys/{id}", Access.TEAM_WRITE),
      new Route(HttpMethod.DELETE, "/admin/keys/{id}", Access.TEAM_WRITE),
      new Route(HttpMethod.POST, "/admin/keys/{id}/rotate", Access.TEAM_WRITE),
      new Route(HttpMethod.GET, "/admin/teams", Access.READ),
      new Route(HttpMethod.POST, "/admin/teams", Access.ADMIN),
      new Route(HttpMethod.GET, "/admin/users", Access.READ),
      new Route(HttpMethod.POST, "/admin/users", Access.TEAM_WRITE),
      new Route(HttpMethod.GET, "/admin/orgs", Access.READ),
      new Route(HttpMethod.POST, "/admin/orgs", Access.ADMIN),
      new Route(HttpMethod.GET, "/admin/spend", Access.READ),
      new Route(HttpMethod.GET, "/admin/savings", Access.READ),
      new Route(HttpMethod.GET, "/admin/audit", Access.GLOBAL_READ),
      new Route(HttpMethod.GET, "/admin/prices", Access.READ),
      new Route(HttpMethod.GET, "/admin/session", Access.READ),
      new Route(HttpMethod.GET, "/admin/requests", Access.READ),
      new Route(HttpMethod.GET, "/admin/requests/{id}", Access.READ),
      new Route(HttpMethod.GET, "/admin/stats", Access.READ),
      new Route(HttpMethod.GET, "/admin/deployments", Access.READ),
      new Route(HttpMethod.GET, "/admin/budgets", Access.READ),
      new Route(HttpMethod.GET, "/admin/cache", Access.ADMIN),
      new Route(HttpMethod.DELETE, "/admin/cache", Access.ADMIN),
      new Route(HttpMethod.GET, "/admin/models", Access.ADMIN),
      new Route(HttpMethod.POST, "/admin/config/reload", Access.ADMIN));

  private AdminRoutes() {}

  /** The route {@code method path} names: a 404 for a path no route has, a 400 for a method it does not take. */
  public static Route resolve(HttpMethod method, String path) {
    String[] segments = path.substring(1).split("/");
    Set<String> methods = new LinkedHashSet<>();
    for (Route r : ALL) {
      if (!r.matches(segments)) continue;
      if (r.method().equals(method)) return r;
      methods.add(r.method().name());
    }
    if (methods.isEmpty()) {
      Set<String> paths = new LinkedHashSet<>();
      for (Route r : ALL) paths.add(r.template());
      throw GatewayError.notFound("Unknown admin path " + path + ". Sluice serves " + String.join(", ", paths) + ".");
    }
    throw GatewayError.of(GatewayError.Kind.BAD_REQUEST, method + " is not allowed on " + path + "; use "
        + String.join(" or ", methods) + ".");
  }
}
