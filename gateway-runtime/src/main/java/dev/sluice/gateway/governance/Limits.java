package dev.sluice.gateway.governance;

import io.vertx.core.json.JsonObject;

/** Rate limits of one scope (key, team, user, model); 0 means unlimited. */
public record Limits(long rpm, long tpm, long concurrency) {
  public static final Limits NONE = new Limits(0, 0, 0);

  public boolean any() {
    return rpm > 0 || tpm > 0 || concurrency > 0;
  }

  public JsonObject toJson() {
    return new JsonObject().put("rpm", rpm).put("tpm", tpm).put("concurrency", concurrency);
  }

  /** From stored JSON (already validated when written); null or empty means no limits. */
  public static Limits fromJson(JsonObject j) {
    if (j == null) return NONE;
    return new Limits(j.getLong("rpm", 0L), j.getLong("tpm", 0L), j.getLong("concurrency", 0L));
  }
}
