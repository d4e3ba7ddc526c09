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
 * @param savings what the request would have cost with no gateway lever, and what each lever saved
 */
public record SpendRecord(String requestId, long atMillis, String keyId, String team, String user, String org,
                          String model, String provider, String deployment, int promptTokens, int completionTokens,
                          int cachedTokens, Double costUsd, double savingUsd, boolean unpriced,
                          boolean tokensCounted, String cache, int status, double latencyMs, String routedGroup,
                          String routeReason, Double difficulty, Savings savings) {

  public SpendRecord {
    savings = savings == null ? Savings.NONE : savings;
  }

  /** A record without routing decision or savings figures. */
  public SpendRecord(String requestId, long atMillis, String keyId, String team, String user, String org,
                     String model, String provider, String deployment, int promptTokens, int completionTokens,
                     int cachedTokens, Double costUsd, double savingUsd, boolean unpriced, boolean tokensCounted,
                     String cache, int status, double latencyMs) {
    this(requestId, atMillis, keyId, team, user, org, model, provider, deployment, promptTokens, completionTokens,
        cachedTokens, costUsd, savingUsd, unpriced, tokensCounted, cache, status, latencyMs, null, null, null,
        Savings.NONE);
  }

  /** A record without savings figures. */
  public SpendRecord(String requestId, long atMillis, String keyId, String team, String user, String org,
                     String model, String provider, String deployment, int promptTokens, int completionTokens,
                     int cachedTokens, Double costUsd, double savingUsd, boolean unpriced, boolean tokensCounted,
                     String cache, int status, double latencyMs, String routedGroup, String routeReason,
                     Double difficulty) {
    this(requestId, atMillis, keyId, team, user, org, model, provider, deployment, promptTokens, completionTokens,
        cachedTokens, costUsd, savingUsd, unpriced, tokensCounted, cache, status, latencyMs, routedGroup,
        routeReason, difficulty, Savings.NONE);
  }

  /**
   * The request's counterfactual, in USD with at most nine decimals (whole nano-dollars), such that
   * {@code cost + exactCache + semanticCache + routing + shaping + providerCache = baselineUsd} exactly.
   *
   * @param baselineUsd what the request would have cost as requested with no gateway lever; null when it cannot
   *     be priced
   * @param shaping what compaction and compression saved, less what their summary calls cost
   * @param tokensSaved prompt tokens compaction and compression took out
   */
  public record Savings(Double baselineUsd, double exactCache, double semanticCache, double routing, double shaping,
                        double providerCache, int tokensSaved) {
    public static final Savings NONE = new Savings(null, 0, 0, 0, 0, 0, 0);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", requestId).put("at", atMillis).put("key", keyId).put("team", team)
        .put("user", user).put("org", org).put("model", model).put("provider", provider).put("deployment", deployment)
        .put("in", promptTokens).put("out", completionTokens).put("cached", cachedTokens).put("cost", costUsd)
        .put("saving", savingUsd).put("unpriced", unpriced).put("counted", tokensCounted).put("cache", cache)
        .put("status", status).put("ms", latencyMs).put("group", routedGroup).put("route", routeReason)
        .put("difficulty", difficulty).put("base", savings.baselineUsd()).put("s_exact", savings.exactCache())
        .put("s_sem", savings.semanticCache()).put("s_route", savings.routing()).put("s_shape", savings.shaping())
        .put("s_pcache", savings.providerCache()).put("tsaved", savings.tokensSaved());
  }

  public static SpendRecord fromJson(JsonObject j) {
    return new SpendRecord(j.getString("id"), j.getLong("at"), j.getString("key"), j.getString("team"),
        j.getString("user"), j.getString("org"), j.getString("model"), j.getString("provider"),
        j.getString("deployment"), j.getInteger("in", 0), j.getInteger("out", 0), j.getInteger("cached", 0),
        j.getDouble("cost"), j.getDouble("saving", 0.0), j.getBoolean("unpriced", false),
        j.getBoolean("counted", false), j.getString("cache"), j.getInteger("status"), j.getDouble("ms", 0.0),
        j.getString("group"), j.getString("route"), j.getDouble("difficulty"),
        new Savings(j.getDouble("base"), j.getDouble("s_exact", 0.0), j.getDouble("s_sem", 0.0),
            j.getDouble("s_route", 0.0), j.getDouble("s_shape", 0.0), j.getDouble("s_pcache", 0.0),
            j.getInteger("tsaved", 0)));
  }
}
