package dev.sluice.gateway.storage;

import io.vertx.core.json.JsonObject;

/**
 * What one request cost and who pays: written to the journal before the response completes, then to PostgreSQL
 * exactly once (keyed by {@code requestId}).
 *
 * @param costUsd null when the model has no known price ({@code unpriced}); never silently zero
 * @param tokensCounted the upstream reported no usage, so Sluice counted the tokens itself
 * @param status the HTTP status the client got
 * @param model the model the client asked for (e.g. {@code auto})
 * @param routedGroup the model group a cheapest-capable rule chose; null when no such rule routed the request
 * @param routeReason that rule's reason ({@code x-sluice-route-reason}); null likewise
 * @param difficulty the difficulty percentile its estimator gave the request, 0 to 1; null likewise
 */
public record SpendRecord(String requestId, long atMillis, String keyId, String team, String user, String org,
                          String model, String provider, String deployment, int promptTokens, int completionTokens,
                          int cachedTokens, Double costUsd, double savingUsd, boolean unpriced,
                          boolean tokensCounted, String cache, int status, double latencyMs, String routedGroup,
                          String routeReason, Double difficulty) {

  public SpendRecord(String requestId, long atMillis, String keyId, String team, String user, String org,
                     String model, String provider, String deployment, int promptTokens, int completionTokens,
                     int cachedTokens, Double costUsd, double savingUsd, boolean unpriced, boolean tokensCounted,
                     String cache, int status, double latencyMs) {
    this(requestId, atMillis, keyId, team, user, org, model, provider, deployment, promptTokens, completionTokens,
        cachedTokens, costUsd, savingUsd, unpriced, tokensCounted, cache, status, latencyMs, null, null, null);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", requestId).put("at", atMillis).put("key", keyId).put("team", team)
        .put("user", user).put("org", org).put("model", model).put("provider", provider).put("deployment", deployment)
        .put("in", promptTokens).put("out", completionTokens).put("cached", cachedTokens).put("cost", costUsd)
        .put("saving", savingUsd).put("unpriced", unpriced).put("counted", tokensCounted).put("cache", cache)
        .put("status", status).put("ms", latencyMs).put("group", routedGroup).put("route", routeReason)
        .put("difficulty", difficulty);
  }

  public static SpendRecord fromJson(JsonObject j) {
    return new SpendRecord(j.getString("id"), j.getLong("at"), j.getString("key"), j.getString("team"),
        j.getString("user"), j.getString("org"), j.getString("model"), j.getString("provider"),
        j.getString("deployment"), j.getInteger("in", 0), j.getInteger("out", 0), j.getInteger("cached", 0),
        j.getDouble("cost"), j.getDouble("saving", 0.0), j.getBoolean("unpriced", false),
        j.getBoolean("counted", false), j.getString("cache"), j.getInteger("status"), j.getDouble("ms", 0.0),
        j.getString("group"), j.getString("route"), j.getDouble("difficulty"));
  }
}
