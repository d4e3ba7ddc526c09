package dev.sluice.gateway.admin;

import dev.sluice.api.GatewayError;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * {@code GET /admin/spend?from=2025-01-01&to=2025-01-31&group_by=team}: totals per group and a daily series,
 * read from the pre-aggregated {@code spend_daily} table (fast on millions of raw rows). Also the audit log.
 */
final class SpendQuery {
  private static final Map<String, String> GROUPS = Map.of("key", "key_id", "team", "team", "user", "user_id",
      "org", "org", "model", "model", "provider", "provider");
  /** The days a query may name: PostgreSQL's date type holds more, no spend is outside these. */
  private static final LocalDate FIRST_DAY = LocalDate.of(2000, 1, 1);
  private static final LocalDate LAST_DAY = LocalDate.of(9999, 12, 31);
  private final Pool pool;

  SpendQuery(Pool pool) {
    this.pool = pool;
  }

  /** A {@code from} or {@code to} day, or the 400 naming {@code param}. */
  static LocalDate day(String param, String value) {
    LocalDate d;
    try {
      d = LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw GatewayError.badParam(param, param + " '" + value + "' is not a date: use the form 2025-01-31.");
    }
    if (d.isBefore(FIRST_DAY) || d.isAfter(LAST_DAY)) {
      throw GatewayError.badParam(param, param + " '" + value + "' is out of range: use a date from " + FIRST_DAY
          + " to " + LAST_DAY + ".");
    }
    return d;
  }

  Future<JsonObject> query(MultiMap params, String onlyTeam) {
    String bucket = params.get("bucket") == null ? "day" : params.get("bucket");
    if (bucket.equals("hour")) return hourly(params, onlyTeam);
    if (!bucket.equals("day")) {
      return Future.failedFuture(GatewayError.badParam("bucket", "bucket '" + bucket + "' is not day or hour."));
    }
    LocalDate to;
    LocalDate from;
    try {
      to = params.get("to") == null ? LocalDate.now(ZoneOffset.UTC) : day("to", params.get("to"));
      from = params.get("from") == null ? to.minusDays(29) : day("from", params.get("from"));
    } catch (GatewayError e) {
      return Future.failedFuture(e);
    }
    String groupBy = params.get("group_by") == null ? "key" : params.get("group_by");
    String column = GROUPS.get(groupBy);
    if (column == null) {
      return Future.failedFuture(GatewayError.badParam("group_by", "group_by '" + groupBy + "' is not one of "
          + GROUPS.keySet() + "."));
    }
    String where = "day BETWEEN $1 AND $2" + (onlyTeam == null ? "" : " AND team = $3");
    Tuple args = onlyTeam == null ? Tuple.of(from, to) : Tuple.of(from, to, onlyTeam);
    String sql = "SELECT " + column + " AS g, day, sum(requests)::bigint AS requests, sum(errors)::bigint AS errors, "
        + "sum(prompt_tokens)::bigint AS prompt_tokens, sum(completion_tokens)::bigint AS completion_tokens, "
        + "sum(cost_usd)::float8 AS cost_usd, sum(unpriced)::bigint AS unpriced FROM spend_daily WHERE " + where
        + " GROUP BY 1, 2 ORDER BY 1, 2";
    return pool.preparedQuery(sql).execute(args).map(rows -> {
      JsonObject groups = new JsonObject();
      JsonObject total = totals();
      for (Row r : rows) {
        String day = r.getLocalDate("day").toString();
        addPoint(groups, total, r, totals().put("day", day).put("bucket", day));
      }
      JsonArray buckets = new JsonArray();
      for (LocalDate d = from; !d.isAfter(to) && buckets.size() < 3660; d = d.plusDays(1)) buckets.add(d.toString());
      return new JsonObject().put("from", from.toString()).put("to", to.toString()).put("group_by", groupBy)
          .put("bucket", "day").put("buckets", buckets).put("total", total).put("groups", groups);
    });
  }

  /**
   * {@code bucket=hour}: hourly series over {@code since}..{@code until} (default the last 24 hours, at most 31
   * days), read from the raw {@code spend} rows; each group's {@code daily} is then a list of hours.
   */
  private Future<JsonObject> hourly(MultiMap params, String onlyTeam) {
    Period p = Period.parse(params, java.time.Duration.ofHours(24));
    if (p.length().compareTo(java.time.Duration.ofDays(31)) > 0) {
      return Future.failedFuture(GatewayError.badParam("since", "bucket=hour covers at most 31 days; use bucket=day."));
    }
    String groupBy = params.get("group_by") == null ? "key" : params.get("group_by");
    String column = GROUPS.get(groupBy);
    if (column == null) {
      return Future.failedFuture(GatewayError.badParam("group_by", "group_by '" + groupBy + "' is not one of "
          + GROUPS.keySet() + "."));
    }
    java.time.OffsetDateTime first = p.since().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    String sql = "SELECT coalesce(" + column + ", '') AS g, date_trunc('hour', at) AS b, count(*)::bigint AS requests, "
        + "count(*) FILTER (WHERE status >= 400)::bigint AS errors, sum(prompt_tokens)::bigint AS prompt_tokens, "
        + "sum(completion_tokens)::bigint AS completion_tokens, coalesce(sum(cost_usd), 0)::float8 AS cost_usd, "
        + "count(*) FILTER (WHERE unpriced)::bigint AS unpriced FROM spend WHERE at >= $1 AND at < $2"
        + (onlyTeam == null ? "" : " AND team = $3") + " GROUP BY 1, 2 ORDER BY 1, 2";
    Tuple args = onlyTeam == null ? Tuple.of(first, p.until()) : Tuple.of(first, p.until(), onlyTeam);
    return pool.preparedQuery(sql).execute(args).map(rows -> {
      JsonObject groups = new JsonObject();
      JsonObject total = totals();
      for (Row r : rows) addPoint(groups, total, r, totals().put("bucket", r.getOffsetDateTime("b").toInstant().toString()));
      JsonArray buckets = new JsonArray();
      for (java.time.OffsetDateTime h = first; h.isBefore(p.until()); h = h.plusHours(1)) {
        buckets.add(h.toInstant().toString());
      }
      return new JsonObject().put("since", p.since().toInstant().toString()).put("until", p.until().toInstant().toString())
          .put("group_by", groupBy).put("bucket", "hour").put("buckets", buckets).put("total", total).put("groups", groups);
    });
  }

  /** Adds row {@code r} (group {@code g}) as {@code point} of its group's series, and to the group and the total. */
  private static void addPoint(JsonObject groups, JsonObject total, Row r, JsonObject point) {
    String g = r.getString("g").isEmpty() ? "(none)" : r.getString("g");
    JsonObject grp = groups.getJsonObject(g);
    if (grp == null) {
      grp = totals().put("daily", new JsonArray());
      groups.put(g, grp);
    }
    for (JsonObject t : new JsonObject[] {grp, total, point}) add(t, r);
    grp.getJsonArray("daily").add(point);
  }

  private static JsonObject totals() {
    return new JsonObject().put("requests", 0L).put("errors", 0L).put("prompt_tokens", 0L)
        .put("completion_tokens", 0L).put("cost_usd", 0.0).put("unpriced_requests", 0L);
  }

  private static void add(JsonObject t, Row r) {
    t.put("requests", t.getLong("requests") + r.getLong("requests"));
    t.put("errors", t.getLong("errors") + r.getLong("errors"));
    t.put("prompt_tokens", t.getLong("prompt_tokens") + r.getLong("prompt_tokens"));
    t.put("completion_tokens", t.getLong("completion_tokens") + r.getLong("completion_tokens"));
    t.put("cost_usd", Math.round((t.getDouble("cost_usd") + r.getDouble("cost_usd")) * 1e9) / 1e9);
    t.put("unpriced_requests", t.getLong("unpriced_requests") + r.getLong("unpriced"));
  }

  Future<JsonObject> audit(MultiMap params) {
    return pool.query("SELECT at, actor, action, target, details FROM audit_log ORDER BY id DESC LIMIT 200")
        .execute().map(rows -> {
          JsonArray out = new JsonArray();
          for (Row r : rows) {
            out.add(new JsonObject().put("at", r.getOffsetDateTime("at").toString()).put("actor", r.getString("actor"))
                .put("action", r.getString("action")).put("target", r.getString("target"))
                .put("details", r.getValue("details")));
          }
          return new JsonObject().put("data", out);
        });
  }
}
