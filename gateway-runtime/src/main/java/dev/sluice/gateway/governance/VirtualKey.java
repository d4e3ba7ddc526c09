package dev.sluice.gateway.governance;

import dev.sluice.gateway.identity.Principal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Set;

/**
 * A virtual key as stored: its secret is never kept, only the SHA-256 {@code hash} and a short {@code prefix}.
 *
 * @param models the models it may use; null means every model
 * @param expiresAt null when it never expires
 */
public record VirtualKey(String id, String name, String hash, String prefix, Role role, String team, String user,
                         String org, Set<String> models, Instant expiresAt, boolean blocked, JsonObject metadata,
                         Limits limits, Budget budget, String source) {

  public VirtualKey {
    models = models == null ? null : Set.copyOf(models);
    metadata = metadata == null ? new JsonObject() : metadata.copy();
    limits = limits == null ? Limits.NONE : limits;
  }

  Principal principal() {
    return new Principal(id, prefix, team, user, org, role == Role.ADMIN);
  }

  boolean allows(String model) {
    return models == null || models.contains(model);
  }

  /** The key as the admin API shows it: everything but the hash. */
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("name", name).put("prefix", prefix).put("role", role.wire())
        .put("team", team).put("user", user).put("org", org)
        .put("models", models == null ? null : new JsonArray(new ArrayList<>(new java.util.TreeSet<>(models))))
        .put("expires_at", expiresAt == null ? null : expiresAt.toString()).put("blocked", blocked)
        .put("metadata", metadata).put("limits", limits.any() ? limits.toJson() : null)
        .put("budget", budget == null ? null : budget.toJson()).put("source", source);
  }
}
