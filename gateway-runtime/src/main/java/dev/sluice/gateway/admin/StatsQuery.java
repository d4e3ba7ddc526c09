package dev.sluice.gateway.admin;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the dashboard summarizes over a period: {@code GET /admin/stats} (requests, errors, cache hit rate, money
 * saved, from {@code spend}), {@code GET /admin/deployments} (latency percentiles and error rate per deployment,
 * with live health) and {@code GET /admin/budgets} (each team's spend in its current budget period).
 */
final class StatsQuery {
  private static final Duration DEFAULT_PERIOD = Duration.ofHours(24);
  private final Pool pool;
  private final boolean requestLog;
  private final Supplier<JsonObject> health;

  /**
   * @param requestLog whether {@code request_log} is written (it has upstream time and time to first token)
   * @param health the router's live view of every deployment ({@code /admin/models}'s answer)
   */
  StatsQuery(Pool pool, boolean requestLog, Supplier<JsonObject> health) {
    this.pool = pool;
    this.requestLog = requestLog;
    this.health = health;
  }

  Future<JsonObject> stats(MultiMap params, String onlyTeam) {
    Period p = Period.parse(params, DEFAULT_PERIOD);
    String sql = """
        SELECT count(*) AS requests, count(*) FILTER (WHERE status >= 400) AS errors,
          count(*) FILTER (WHERE cache = 'HIT') AS hits, count(*) FILTER (WHERE cache = 'SEMANTIC_HIT') AS semantic,
          count(*) FILTER (WHERE cache = 'MISS') AS misses, count(*) FILTER (WHERE cache = 'BYPASS') AS bypass,
          coalesce(sum(cost_usd), 0)::float8 AS cost, coalesce(sum(saving_usd), 0)::float8 AS saved,
          coalesce(sum(prompt_tokens), 0)::bigint AS prompt_tokens,
          coalesce(sum(completion_tokens), 0)::bigint AS completion_tokens,
          count(*) FILTER (WHERE unpriced) AS unpriced
        FROM spend WHERE at >= $1 AND at < $2""" + (onlyTeam == null ? "" : " AND team = $3");
    Tuple args = onlyTeam == null ? Tuple.of(p.since(), p.until()) : Tuple.of(p.since(), p.until(), onlyTeam);
    return pool.preparedQuery(sql).execute(args).map(rows -> {
      Row r = rows.iterator().next();
      long requests = r.getLong("requests");
      long errors = r.getLong("errors");
      long hits = r.getLong("hits");
      long semantic = r.getLong("semantic");
      long lookups = hits + semantic + r.getLong("misses");
      return new JsonObject().put("since", p.since().toInstant().toString()).put("until", p.until().toInstant().toString())
          .put("team", onlyTeam).put("requests", requests).put("errors", errors)
          .put("error_rate", requests == 0 ? null : round((double) errors / requests))
          .put("cost_usd", round(r.getDouble("cost"))).put("saved_usd", round(r.getDouble("saved")))
          .put("prompt_tokens", r.getLong("prompt_tokens")).put("completion_tokens", r.getLong("completion_tokens"))
          .put("unpriced_requests", r.getLong("unpriced"))
          .put("cache", new JsonObject().put("hits", hits).put("semantic_hits", semantic)
              .put("misses", r.getLong("misses")).put("bypass", r.getLong("bypass"))
              .put("hit_rate", lookups == 0 ? null : round((double) (hits + semantic) / lookups)));
    });
  }

  Future<JsonObject> deployments(MultiMap params, String onlyTeam) {
    Period p = Period.parse(params, DEFAULT_PERIOD);
    String table = requestLog ? "request_log" : "spend";
    String extra = requestLog ? """
        , percentile_cont(0.5) WITHIN GROUP (ORDER BY upstream_ms) AS u50,
          percentile_cont(0.95) WITHIN GROUP (ORDER BY upstream_ms) AS u95,
          percentile_cont(0.99) WITHIN GROUP (ORDER BY upstream_ms) AS u99,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY ttfb_ms) AS t50,
          percentile_cont(0.95) WITHIN GROUP (ORDER BY ttfb_ms) AS t95,
          percentile_cont(0.99) WITHIN GROUP (ORDER BY ttfb_ms) AS t99""" : "";
    String sql = """
        SELECT provider, deployment, count(*) AS requests, count(*) FILTER (WHERE status >= 400) AS errors,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
          percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95,
          percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms) AS p99""" + extra + """

        FROM %s WHERE at >= $1 AND at < $2 AND provider IS NOT NULL%s
        GROUP BY provider, deployment ORDER BY provider, deployment""".formatted(table,
        onlyTeam == null ? "" : " AND team = $3");
    Tuple args = onlyTeam == null ? Tuple.of(p.since(), p.until()) : Tuple.of(p.since(), p.until(), onlyTeam);
    return pool.preparedQuery(sql).execute(args).map(rows -> {
      Map<String, JsonObject> byKey = new java.util.LinkedHashMap<>();
      // Live health first, so a deployment with no traffic in the period is still listed.
      JsonObject live = health == null ? new JsonObject() : health.get();
      for (Object m : live.getJsonArray("models", new JsonArray())) {
        JsonObject model = (JsonObject) m;
        for (Object d : model.getJsonArray("deployments", new JsonArray())) {
          JsonObject dep = (JsonObject) d;
          String key = dep.getString("provider") + "/" + dep.getString("model");
          JsonObject row = byKey.computeIfAbsent(key, k -> empty(dep.getString("provider"), dep.getString("model"))
              .put("health", dep.copy()));
          row.getJsonArray("models").add(model.getString("name"));
        }
      }
      for (Row r : rows) {
        String key = r.getString("provider") + "/" + r.getString("deployment");
        JsonObject row = byKey.computeIfAbsent(key, k -> empty(r.getString("provider"), r.getString("deployment")));
        long requests = r.getLong("requests");
        long errors = r.getLong("errors");
        row.put("requests", requests).put("errors", errors).put("error_rate", round((double) errors / requests))
            .put("latency_ms", pct(r, "p50", "p95", "p99"));
        if (requestLog) row.put("upstream_ms", pct(r, "u50", "u95", "u99")).put("ttfb_ms", pct(r, "t50", "t95", "t99"));
      }
      return new JsonObject().put("since", p.since().toInstant().toString()).put("until", p.until().toInstant().toString())
          .put("source", table).put("data", new JsonArray(new ArrayList<>(byKey.values())));
    });
  }

  private static JsonObject empty(String provider, String deployment) {
    return new JsonObject().put("provider", provider).put("deployment", deployment).put("models", new JsonArray())
        .put("requests", 0L).put("errors", 0L).putNull("error_rate").putNull("latency_ms").putNull("health");
  }

  private static JsonObject pct(Row r, String p50, String p95, String p99) {
    return new JsonObject().put("p50", round(r.getDouble(p50))).put("p95", round(r.getDouble(p95)))
        .put("p99", round(r.getDouble(p99)));
  }

  /**
   * Each team's spend since the start of its budget period (a team without a budget: since the start of this UTC
   * month), beside the budget itself.
   *
   * @param teams the teams as {@code /admin/teams} lists them: {id, budget: {usd, period} or null}
   * @param periodStart a team's budget period start (epoch millis) for its budget JSON
   */
  Future<JsonObject> budgets(JsonArray teams, java.util.function.Function<JsonObject, Long> periodStart) {
    long now = System.currentTimeMillis();
    OffsetDateTime month = OffsetDateTime.now(ZoneOffset.UTC).withDayOfMonth(1).toLocalDate().atStartOfDay()
        .atOffset(ZoneOffset.UTC);
    int n = teams.size();
    String[] ids = new String[n];
    OffsetDateTime[] since = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      JsonObject t = teams.getJsonObject(i);
      ids[i] = t.getString("id");
      JsonObject budget = t.getJsonObject("budget");
      since[i] = budget == null ? month : Instant.ofEpochMilli(periodStart.apply(budget)).atOffset(ZoneOffset.UTC);
    }
    if (n == 0) return Future.succeededFuture(new JsonObject().put("data", new JsonArray()));
    String sql = """
        SELECT t.team, t.since, count(s.request_id) AS requests, coalesce(sum(s.cost_usd), 0)::float8 AS spent
        FROM unnest($1::text[], $2::timestamptz[]) AS t(team, since)
        LEFT JOIN spend s ON s.team = t.team AND s.at >= t.since
        GROUP BY t.team, t.since""";
    return pool.preparedQuery(sql).execute(Tuple.tuple(List.of(ids, since))).map(rows -> {
      Map<String, Row> byTeam = new HashMap<>();
      for (Row r : rows) byTeam.put(r.getString("team"), r);
      JsonArray out = new JsonArray();
      for (int i = 0; i < n; i++) {
        JsonObject t = teams.getJsonObject(i);
        Row r = byTeam.get(ids[i]);
        double spent = r == null ? 0 : round(r.getDouble("spent"));
        JsonObject budget = t.getJsonObject("budget");
        Double usd = budget == null ? null : budget.getDouble("usd");
        out.add(new JsonObject().put("id", ids[i]).put("budget", budget).put("since", since[i].toInstant().toString())
            .put("requests", r == null ? 0L : r.getLong("requests")).put("spent_usd", spent)
            .put("used", usd == null || usd <= 0 ? null : round(spent / usd)));
      }
      return new JsonObject().put("at", Instant.ofEpochMilli(now).toString()).put("data", out);
    });
  }

  private static Double round(Double v) {
    return v == null ? null : Math.round(v * 1e9) / 1e9;
  }
}
