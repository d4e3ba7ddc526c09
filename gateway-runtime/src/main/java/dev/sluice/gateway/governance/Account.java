package dev.sluice.gateway.governance;

import io.vertx.core.json.JsonObject;

/** A team, user or organization: what it belongs to and its own limits and budget. */
public record Account(Kind kind, String id, String org, String team, Limits limits, Budget budget) {
  public enum Kind { ORG, TEAM, USER }

  public Account {
    limits = limits == null ? Limits.NONE : limits;
  }

  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("id", id);
    if (kind != Kind.ORG) j.put("org", org);
    if (kind == Kind.USER) j.put("team", team);
    if (kind != Kind.ORG) j.put("limits", limits.any() ? limits.toJson() : null);
    return j.put("budget", budget == null ? null : budget.toJson());
  }
}
