package dev.sluice.gateway.admin;

import dev.sluice.api.GatewayError;
import dev.sluice.gateway.governance.Account;
import dev.sluice.gateway.governance.KeyAdmin;
import dev.sluice.gateway.governance.Role;
import dev.sluice.gateway.governance.VirtualKey;
import dev.sluice.gateway.identity.Principal;
import java.util.Objects;

/**
 * What one caller of the admin API may read and write: the one place every admin route, and the target of every
 * admin write, is checked. The master key and admin keys reach everything; a viewer reads everything, or only its
 * team's data when it has a team; a team_admin reads and writes its own team only: its keys (never an admin key),
 * its users, and nothing billed to another team, org or user; other keys reach nothing.
 *
 * @param team the one team the caller sees, or null for every team
 * @param teamOrg the organization {@code team} belongs to, or null
 */
record Scope(Role role, String team, String teamOrg, KeyAdmin lookup) {

  /** The caller's scope, from its key as stored now (the master key is an admin). */
  static Scope of(KeyAdmin admin, Principal caller) {
    Role role = admin.role(caller);
    VirtualKey k = admin.key(caller.keyId());
    String team = (role == Role.TEAM_ADMIN || role == Role.VIEWER) && k != null ? k.team() : null;
    Account t = team == null ? null : admin.account(Account.Kind.TEAM, team);
    return new Scope(role, team, t == null ? null : t.org(), admin);
  }

  /** Without storage there are no virtual keys: the master key is the only admin. */
  static Scope unstored(Principal caller) {
    return new Scope(caller.admin() ? Role.ADMIN : Role.USER, null, null, null);
  }

  /** Fails with a 403 unless the caller's role may use {@code route} at all. */
  void enter(AdminRoutes.Route route) {
    if (role == Role.USER) {
      throw GatewayError.of(GatewayError.Kind.PERMISSION, "This key has no admin role; the admin API needs the "
          + "master key or an admin, team_admin or viewer key.");
    }
    boolean allowed = switch (route.access()) {
      case READ -> true;
      case GLOBAL_READ -> role == Role.ADMIN || (role == Role.VIEWER && team == null);
      case TEAM_WRITE -> role == Role.ADMIN || role == Role.TEAM_ADMIN;
      case ADMIN -> role == Role.ADMIN;
    };
    if (allowed) return;
    if (role == Role.VIEWER && route.method() != io.vertx.core.http.HttpMethod.GET) {
      throw GatewayError.of(GatewayError.Kind.PERMISSION, "A viewer key may only read; " + route.name()
          + " needs an admin key.");
    }
    throw GatewayError.of(GatewayError.Kind.PERMISSION, route.name() + " needs the master key or an admin key"
        + (team == null ? "." : "; this key's role is limited to team " + team + "."));
  }

  /** Whether the caller sees data of {@code owner} (a team, or null for no team). */
  boolean sees(String owner) {
    return team == null || team.equals(owner);
  }

  /** Fails with a 403 unless the caller may change key {@code before} (null: a new key) into {@code after}. */
  void key(VirtualKey before, VirtualKey after) {
    if (role == Role.ADMIN) return;
    writer();
    if (before != null) {
      if (!team.equals(before.team())) throw denied("key " + before.id(), "it is not in team " + team);
      if (before.role() == Role.ADMIN) throw denied("key " + before.id(), "it is an admin key");
    }
    if (!team.equals(after.team())) throw denied("team " + after.team(), "a team_admin key manages only team " + team);
    if (after.role() == Role.ADMIN) throw denied("admin keys", "a team_admin key may not make or keep one");
    if (!Objects.equals(before == null ? null : before.org(), after.org())) billedToOwnOrg(after.org());
    if (after.user() != null && !(before != null && after.user().equals(before.user()))) ownUser(after.user());
  }

  /** Fails with a 403 unless the caller may create or change user {@code after} ({@code before}: as stored, or null). */
  void user(Account before, Account after) {
    if (role == Role.ADMIN) return;
    writer();
    if (before != null && !team.equals(before.team())) {
      throw denied("user " + before.id(), "it is not in team " + team);
    }
    if (!team.equals(after.team())) throw denied("team " + after.team(), "a team_admin key manages only team " + team);
    if (!Objects.equals(before == null ? null : before.org(), after.org())) billedToOwnOrg(after.org());
  }

  private void writer() {
    if (role != Role.TEAM_ADMIN || team == null) {
      throw GatewayError.of(GatewayError.Kind.PERMISSION, "This key may not change keys, users or budgets.");
    }
  }

  private void billedToOwnOrg(String org) {
    if (org != null && !org.equals(teamOrg)) {
      throw denied("org " + org, teamOrg == null ? "team " + team + " belongs to no org"
          : "team " + team + " belongs to org " + teamOrg);
    }
  }

  private void ownUser(String user) {
    Account u = lookup.account(Account.Kind.USER, user);
    if (u != null && !team.equals(u.team())) throw denied("user " + user, "it is not in team " + team);
  }

  /** The 403 for a read of {@code what} by a caller that sees only {@code team}. */
  static GatewayError notVisible(String what, String team) {
    return denied(what, "this key sees only team " + team);
  }

  private static GatewayError denied(String what, String why) {
    return GatewayError.of(GatewayError.Kind.PERMISSION, "This key may not manage " + what + ": " + why + ".");
  }
}
