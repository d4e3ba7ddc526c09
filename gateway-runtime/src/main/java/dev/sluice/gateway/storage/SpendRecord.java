package dev.sluice.gateway.storage;

import io.vertx.core.json.JsonObject;

/**
 * What one request cost and who pays, and how it went: written to the journal before the response completes,
 * then to PostgreSQL exactly once (keyed by {@code requestId}): to {@code spend}, and to {@code request_log}
 * when the request log is on. One record per request feeds both, so the request log is exactly as durable
 * and as batched as spend.
 *
 * @param costUsd null when the model has no known price ({@code unpriced}); never silently zero
 * @param tokensCounted the upstream reported no usage, so Sluice counted the tokens itself
 * @param status the HTTP status the client got
 * @param keyPrefix the first characters of the key, safe to show
 * @param group the model group the request resolved to (the requested name may be an alias), or null
 * @param errorType the error code when the request failed ({@code upstream_timeout}, ...), else null
 * @param attempts upstream attempts made (0 for a cache hit)
 * @param upstreamMs time spent waiting on upstreams, or null when none was called
 * @param ttfbMs time from arrival to the first token (streams) or to the complete answer, or null
 * @param requestBody the request body (cut to the configured size) when bodies are logged, else null
 * @param responseBody the answer's text when bodies are logged, else null
 * @param refused governance refused the request (403, 429): it cost nothing and goes to the request log only
 * @param routedGroup the model group a cheapest-capable rule chose; null when no such rule routed the request
 * @param routeReason that rule's reason ({@code x-sluice-route-reason}); null likewise
 * @param difficulty the difficulty percentile its estimator gave the request, 0 to 1; null likewise
 * @param savings what the request would have cost with no gateway lever, and what each lever saved
 */
public record SpendRecord(String requestId, long atMillis, String keyId, String team, String user, String org,
                          String model, String provider, String deployment, int promptTokens, int completionTokens,
                          int cachedTokens, Double costUsd, double savingUsd, boolean unpriced,
                          boolean tokensCounted, String cache, int status, double latencyMs, String keyPrefix,
                          String group, String errorType, int attempts, Double upstreamMs, Double ttfbMs,
                          String requestBody, String responseBody, boolean refused, String routedGroup,
                          String routeReason, Double difficulty, Savings savings) {

  public SpendRecord {
    savings = savings == null ? Savings.NONE : savings;
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
    JsonObject j = new JsonObject().put("id", requestId).put("at", atMillis).put("key", keyId).put("team", team)
        .put("user", user).put("org", org).put("model", model).put("provider", provider).put("deployment", deployment)
        .put("in", promptTokens).put("out", completionTokens).put("cached", cachedTokens).put("cost", costUsd)
        .put("saving", savingUsd).put("unpriced", unpriced).put("counted", tokensCounted).put("cache", cache)
        .put("status", status).put("ms", latencyMs).put("prefix", keyPrefix).put("group", group)
        .put("err", errorType).put("attempts", attempts).put("up_ms", upstreamMs).put("ttfb_ms", ttfbMs)
        .put("routed", routedGroup).put("route", routeReason).put("difficulty", difficulty)
        .put("base", savings.baselineUsd()).put("s_exact", savings.exactCache())
        .put("s_sem", savings.semanticCache()).put("s_route", savings.routing()).put("s_shape", savings.shaping())
        .put("s_pcache", savings.providerCache()).put("tsaved", savings.tokensSaved());
    if (requestBody != null) j.put("req", requestBody);
    if (responseBody != null) j.put("res", responseBody);
    if (refused) j.put("refused", true);
    return j;
  }

  /** Reads a journal line; lines an older Sluice wrote (without the request-log fields) read with nulls. */
  public static SpendRecord fromJson(JsonObject j) {
    return new SpendRecord(j.getString("id"), j.getLong("at"), j.getString("key"), j.getString("team"),
        j.getString("user"), j.getString("org"), j.getString("model"), j.getString("provider"),
        j.getString("deployment"), j.getInteger("in", 0), j.getInteger("out", 0), j.getInteger("cached", 0),
        j.getDouble("cost"), j.getDouble("saving", 0.0), j.getBoolean("unpriced", false),
        j.getBoolean("counted", false), j.getString("cache"), j.getInteger("status"), j.getDouble("ms", 0.0),
        j.getString("prefix"), j.getString("group"), j.getString("err"), j.getInteger("attempts", 0),
        j.getDouble("up_ms"), j.getDouble("ttfb_ms"), j.getString("req"), j.getString("res"),
        j.getBoolean("refused", false), j.getString("routed"), j.getString("route"), j.getDouble("difficulty"),
        new Savings(j.getDouble("base"), j.getDouble("s_exact", 0.0), j.getDouble("s_sem", 0.0),
            j.getDouble("s_route", 0.0), j.getDouble("s_shape", 0.0), j.getDouble("s_pcache", 0.0),
            j.getInteger("tsaved", 0)));

  }
}
