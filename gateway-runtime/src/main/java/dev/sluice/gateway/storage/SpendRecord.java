package dev.sluice.gateway.storage;

import io.vertx.core.json.JsonObject;

/**
 * What one request cost and who pays, and how it went: written to the journal before the response completes,
 * then to PostgreSQL exactly once (keyed by {@code requestId}): to {@code spend}, and to {@code request_log}
 * when the request log is on. One record per request feeds both, so the request log is exactly as durable
 * and as batched as spend. Its parts are small records: {@link Who} pays, the {@link Usage}, the {@link Route}
 * it took, its {@link Timing} and its {@link Savings}. A journal line is one flat JSON object.
 *
 * @param requestBody the request body (cut to the configured size) when bodies are logged, else null
 * @param responseBody the answer's text when bodies are logged, else null
 * @param refused governance refused the request (403, 429): it cost nothing and goes to the request log only
 */
public record SpendRecord(String requestId, long atMillis, Who who, Usage usage, Route route, Timing timing,
                          Savings savings, String requestBody, String responseBody, boolean refused) {

  public SpendRecord {
    savings = savings == null ? Savings.NONE : savings;
  }

  /**
   * Who pays.
   *
   * @param keyPrefix the first characters of the key, safe to show
   */
  public record Who(String keyId, String keyPrefix, String team, String user, String org) {}

  /**
   * What the request used and cost.
   *
   * @param costUsd null when the model has no known price ({@code unpriced}); never silently zero
   * @param savingUsd what a cache hit saved, else 0
   * @param tokensCounted the upstream reported no usage, so Sluice counted the tokens itself
   */
  public record Usage(int promptTokens, int completionTokens, int cachedTokens, Double costUsd, double savingUsd,
                      boolean unpriced, boolean tokensCounted) {
    public static final Usage NONE = new Usage(0, 0, 0, 0.0, 0, false, false);
  }

  /**
   * Where the request went and how it was answered.
   *
   * @param model the model the client asked for
   * @param group the model group the request resolved to (the requested name may be an alias), or null
   * @param provider the provider of the deployment that answered (or was tried last), or null
   * @param deployment that deployment's upstream model, or null
   * @param cache the cache's outcome ({@code x-sluice-cache}), or null
   * @param attempts upstream attempts made (0 for a cache hit)
   * @param status the HTTP status the client got
   * @param errorType the error code when the request failed ({@code upstream_timeout}, ...), else null
   * @param routedGroup the model group a cheapest-capable rule chose; null when no such rule routed the request
   * @param routeReason that rule's reason ({@code x-sluice-route-reason}); null likewise
   * @param difficulty the difficulty percentile its estimator gave the request, 0 to 1; null likewise
   */
  public record Route(String model, String group, String provider, String deployment, String cache, int attempts,
                      int status, String errorType, String routedGroup, String routeReason, Double difficulty) {}

  /**
   * How long it took.
   *
   * @param upstreamMs time spent waiting on upstreams, or null when none was called
   * @param ttfbMs time from arrival to the first token (streams) or to the complete answer, or null
   */
  public record Timing(double latencyMs, Double upstreamMs, Double ttfbMs) {}

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

  /** The journal line: one flat object, its keys unchanged since the first journal. */
  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("id", requestId).put("at", atMillis).put("key", who.keyId())
        .put("team", who.team()).put("user", who.user()).put("org", who.org()).put("model", route.model())
        .put("provider", route.provider()).put("deployment", route.deployment()).put("in", usage.promptTokens())
        .put("out", usage.completionTokens()).put("cached", usage.cachedTokens()).put("cost", usage.costUsd())
        .put("saving", usage.savingUsd()).put("unpriced", usage.unpriced()).put("counted", usage.tokensCounted())
        .put("cache", route.cache()).put("status", route.status()).put("ms", timing.latencyMs())
        .put("prefix", who.keyPrefix()).put("group", route.group()).put("err", route.errorType())
        .put("attempts", route.attempts()).put("up_ms", timing.upstreamMs()).put("ttfb_ms", timing.ttfbMs())
        .put("routed", route.routedGroup()).put("route", route.routeReason()).put("difficulty", route.difficulty())
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
    return new SpendRecord(j.getString("id"), j.getLong("at"),
        new Who(j.getString("key"), j.getString("prefix"), j.getString("team"), j.getString("user"),
            j.getString("org")),
        new Usage(j.getInteger("in", 0), j.getInteger("out", 0), j.getInteger("cached", 0), j.getDouble("cost"),
            j.getDouble("saving", 0.0), j.getBoolean("unpriced", false), j.getBoolean("counted", false)),
        new Route(j.getString("model"), j.getString("group"), j.getString("provider"), j.getString("deployment"),
            j.getString("cache"), j.getInteger("attempts", 0), j.getInteger("status"), j.getString("err"),
            j.getString("routed"), j.getString("route"), j.getDouble("difficulty")),
        new Timing(j.getDouble("ms", 0.0), j.getDouble("up_ms"), j.getDouble("ttfb_ms")),
        new Savings(j.getDouble("base"), j.getDouble("s_exact", 0.0), j.getDouble("s_sem", 0.0),
            j.getDouble("s_route", 0.0), j.getDouble("s_shape", 0.0), j.getDouble("s_pcache", 0.0),
            j.getInteger("tsaved", 0)),
        j.getString("req"), j.getString("res"), j.getBoolean("refused", false));
  }
}
