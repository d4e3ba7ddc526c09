package dev.sluice.gateway.admin;

import dev.sluice.api.GatewayError;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /admin/savings?since=2025-08-01&until=2025-08-31&team=research}: for the period, what the traffic
 * cost beside what it would have cost sent as requested with no gateway lever, and what each lever saved. Sums of
 * the spend records' counterfactuals (exact decimals: {@code actual + levers = baseline}); requests that could not
 * be priced are counted apart and left out of the sums.
 */
final class SavingsQuery {
  /** Lever name in the answer → its column. */
  static final Map<String, String> LEVERS = new LinkedHashMap<>();

  static {
    LEVERS.put("exact_cache", "saving_exact_cache_usd");
    LEVERS.put("semantic_cache", "saving_semantic_cache_usd");
    LEVERS.put("routing", "saving_routing_usd");
    LEVERS.put("compaction_compression", "saving_shaping_usd");
    LEVERS.put("provider_caching", "saving_provider_cache_usd");
  }

  private final Pool pool;

  SavingsQuery(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> query(MultiMap params, String onlyTeam) {
    Instant until;
    Instant since;
    try {
      until = params.get("until") == null ? Instant.now() : instant(params.get("until"), true);
    } catch (java.time.DateTimeException e) { // unparsable, or a day past the calendar's end
      return Future.failedFuture(badTime("until", params.get("until")));
    }
    try {
      since = params.get("since") == null ? until.minus(30, ChronoUnit.DAYS) : instant(params.get("since"), false);
    } catch (java.time.DateTimeException e) {
      return Future.failedFuture(badTime("since", params.get("since")));
    }
    if (!since.isBefore(until)) {
      return Future.failedFuture(GatewayError.badParam("since", "since (" + since + ") must be before until ("
          + until + ")."));
    }
    String team = params.get("team");
    if (onlyTeam != null) {
      if (team != null && !team.equals(onlyTeam)) return Future.failedFuture(Scope.notVisible("team " + team, onlyTeam));
      team = onlyTeam;
    }
    StringBuilder sql = new StringBuilder("SELECT count(*) FILTER (WHERE baseline_usd IS NOT NULL) AS requests, "
        + "count(*) FILTER (WHERE baseline_usd IS NULL) AS unpriced, "
        + "coalesce(sum(baseline_usd), 0) AS baseline, "
        + "coalesce(sum(cost_usd) FILTER (WHERE baseline_usd IS NOT NULL), 0) AS actual, "
        + "coalesce(sum(tokens_saved), 0)::bigint AS tokens_saved");
    for (Map.Entry<String, String> lever : LEVERS.entrySet()) {
      sql.append(", coalesce(sum(").append(lever.getValue()).append(") FILTER (WHERE baseline_usd IS NOT NULL), 0) AS ")
          .append(lever.getKey());
    }
    sql.append(" FROM spend WHERE at >= $1 AND at < $2").append(team == null ? "" : " AND team = $3");
    OffsetDateTime from = since.atOffset(ZoneOffset.UTC);
    OffsetDateTime to = until.atOffset(ZoneOffset.UTC);
    Tuple args = team == null ? Tuple.of(from, to) : Tuple.of(from, to, team);
    String forTeam = team;
    return pool.preparedQuery(sql.toString()).execute(args).map(rows -> {
      Row r = rows.iterator().next();
      BigDecimal baseline = decimal(r, "baseline");
      BigDecimal actual = decimal(r, "actual");
      BigDecimal saved = baseline.subtract(actual);
      JsonObject levers = new JsonObject();
      for (String lever : LEVERS.keySet()) {
        BigDecimal v = decimal(r, lever);
        levers.put(lever, new JsonObject().put("saved_usd", v.doubleValue())
            .put("share", saved.signum() == 0 ? 0.0 : v.divide(saved, 6, RoundingMode.HALF_EVEN).doubleValue()));
      }
      return new JsonObject().put("since", since.toString()).put("until", until.toString()).put("team", forTeam)
          .put("requests", r.getLong("requests")).put("unpriced_requests", r.getLong("unpriced"))
          .put("baseline_usd", baseline.doubleValue()).put("actual_usd", actual.doubleValue())
          .put("saved_usd", saved.doubleValue())
          .put("saved_fraction", baseline.signum() == 0 ? 0.0
              : saved.divide(baseline, 6, RoundingMode.HALF_EVEN).doubleValue())
          .put("tokens_saved", r.getLong("tokens_saved")).put("levers", levers);
    });
  }

  /** An instant ({@code 2025-08-01T12:00:00Z}) or a UTC day: its start, or for {@code until} its end. */
  static Instant instant(String text, boolean endOfDay) {
    Instant t;
    if (text.length() == 10) {
      LocalDate day = LocalDate.parse(text);
      t = (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
    } else {
      t = OffsetDateTime.parse(text).toInstant();
    }
    // PostgreSQL's timestamps hold less than Instant does; no spend is outside these years.
    int year = t.atOffset(ZoneOffset.UTC).getYear();
    if (year < 2000 || year > 9999) throw new java.time.DateTimeException("year " + year + " is out of range");
    return t;
  }

  private static GatewayError badTime(String param, String value) {
    return GatewayError.badParam(param, param + " must be a date (2025-08-31) or an instant "
        + "(2025-08-31T12:00:00Z) from year 2000 to 9999, got '" + value + "'.");
  }

  private static BigDecimal decimal(Row r, String column) {
    Object v = r.getValue(column);
    if (v instanceof Numeric n) return n.bigDecimalValue().setScale(9, RoundingMode.UNNECESSARY);
    return v == null ? BigDecimal.ZERO.setScale(9) : new BigDecimal(v.toString()).setScale(9, RoundingMode.HALF_EVEN);
  }
}
