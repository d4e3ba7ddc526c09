package dev.sluice.gateway.admin;

import dev.sluice.api.GatewayError;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /admin/requests}: the request log, newest first, filtered by team, model, deployment, status, cache
 * and time, paged with an opaque {@code cursor} (keyset paging: a page costs the same on the millionth row).
 * {@code GET /admin/requests/{id}}: one request with its bodies when they were logged.
 */
final class RequestsQuery {
  private static final int MAX_LIMIT = 500;
  /** The {@code cache} filter's values: each {@code x-sluice-cache} value, and none (caching was off). */
  private static final Set<String> CACHE = java.util.stream.Stream.concat(
      dev.sluice.gateway.cache.CacheListener.Outcome.NAMES.stream(), java.util.stream.Stream.of("none"))
      .collect(java.util.stream.Collectors.toUnmodifiableSet());
  private static final String COLUMNS = "request_id, at, key_id, key_prefix, team, user_id, model, model_group, "
      + "provider, deployment, status, error_type, prompt_tokens, completion_tokens, cached_tokens, "
      + "cost_usd::float8 AS cost_usd, saving_usd::float8 AS saving_usd, cache, attempts, latency_ms, upstream_ms, "
      + "ttfb_ms, route_reason, difficulty::float8 AS difficulty, "
      + "request_body IS NOT NULL OR response_body IS NOT NULL AS has_bodies";
  private final Pool pool;

  RequestsQuery(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> list(MultiMap params, String onlyTeam) {
    List<String> where = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    String team = onlyTeam != null ? onlyTeam : params.get("team");
    if (onlyTeam != null && params.get("team") != null && !onlyTeam.equals(params.get("team"))) {
      return Future.failedFuture(GatewayError.permission("This key sees only team " + onlyTeam + "'s requests."));
    }
    if (team != null) where.add("team = " + arg(args, team));
    String model = params.get("model");
    if (model != null) {
      String p = arg(args, model);
      where.add("(model = " + p + " OR model_group = " + p + ")");
    }
    String deployment = params.get("deployment");
    if (deployment != null) {
      String p = arg(args, deployment);
      where.add("(deployment = " + p + " OR provider || '/' || deployment = " + p + ")");
    }
    String status = params.get("status");
    if (status != null) {
      switch (status) {
        case "ok" -> where.add("status < 400");
        case "error" -> where.add("status >= 400");
        default -> {
          if (!status.matches("[1-5]\\d\\d")) {
            return Future.failedFuture(GatewayError.badParam("status", "status '" + status + "' is not ok, error or "
                + "an HTTP status such as 429."));
          }
          where.add("status = " + arg(args, Integer.parseInt(status)));
        }
      }
    }
    String cache = params.get("cache");
    if (cache != null) {
      if (!CACHE.contains(cache)) {
        return Future.failedFuture(GatewayError.badParam("cache", "cache '" + cache + "' is not one of " + CACHE + "."));
      }
      where.add(cache.equals("none") ? "cache IS NULL" : "cache = " + arg(args, cache));
    }
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    if (params.get("since") != null) where.add("at >= " + arg(args, Period.time("since", params.get("since"), now)));
    if (params.get("until") != null) where.add("at < " + arg(args, Period.time("until", params.get("until"), now)));
    int limit;
    try {
      limit = params.get("limit") == null ? 50 : Integer.parseInt(params.get("limit"));
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      return Future.failedFuture(GatewayError.badParam("limit", "limit '" + params.get("limit") + "' is not a whole "
          + "number from 1 to " + MAX_LIMIT + "."));
    }
    String cursor = params.get("cursor");
    if (cursor != null) {
      Cursor c = Cursor.decode(cursor);
      where.add("(at, request_id) < (" + arg(args, c.at()) + ", " + arg(args, c.id()) + ")");
    }
    String sql = "SELECT " + COLUMNS + " FROM request_log" + (where.isEmpty() ? "" : " WHERE "
        + String.join(" AND ", where)) + " ORDER BY at DESC, request_id DESC LIMIT " + (limit + 1);
    int pageSize = limit;
    return pool.preparedQuery(sql).execute(Tuple.from(args)).map(rows -> {
      JsonArray data = new JsonArray();
      Row last = null;
      int n = 0;
      for (Row r : rows) {
        if (n++ == pageSize) break;
        data.add(json(r));
        last = r;
      }
      String next = rows.size() > pageSize && last != null
          ? new Cursor(last.getOffsetDateTime("at"), last.getString("request_id")).encode() : null;
      return new JsonObject().put("enabled", true).put("data", data).put("next_cursor", next);
    });
  }

  Future<JsonObject> one(String id, String onlyTeam) {
    return pool.preparedQuery("SELECT " + COLUMNS + ", request_body, response_body FROM request_log WHERE "
        + "request_id = $1").execute(Tuple.of(id)).compose((RowSet<Row> rows) -> {
      Row r = rows.size() == 0 ? null : rows.iterator().next();
      if (r == null || (onlyTeam != null && !onlyTeam.equals(r.getString("team")))) {
        return Future.failedFuture(GatewayError.notFound("No request '" + id + "' in the request log"
            + (onlyTeam == null ? "" : " of team " + onlyTeam) + " (it may be older than the retention, or not "
            + "stored yet: records reach PostgreSQL within the journal's flush_interval)."));
      }
      return Future.succeededFuture(json(r).put("request_body", r.getString("request_body"))
          .put("response_body", r.getString("response_body")));
    });
  }

  private static String arg(List<Object> args, Object value) {
    args.add(value);
    return "$" + args.size();
  }

  private static JsonObject json(Row r) {
    return new JsonObject().put("id", r.getString("request_id")).put("at", r.getOffsetDateTime("at").toInstant().toString())
        .put("key_id", r.getString("key_id")).put("key_prefix", r.getString("key_prefix")).put("team", r.getString("team"))
        .put("user", r.getString("user_id")).put("model", r.getString("model")).put("group", r.getString("model_group"))
        .put("provider", r.getString("provider")).put("deployment", r.getString("deployment"))
        .put("status", r.getInteger("status")).put("error_type", r.getString("error_type"))
        .put("prompt_tokens", r.getInteger("prompt_tokens")).put("completion_tokens", r.getInteger("completion_tokens"))
        .put("cached_tokens", r.getInteger("cached_tokens")).put("cost_usd", r.getDouble("cost_usd"))
        .put("saving_usd", r.getDouble("saving_usd")).put("cache", r.getString("cache"))
        .put("attempts", r.getInteger("attempts")).put("latency_ms", r.getDouble("latency_ms"))
        .put("upstream_ms", r.getDouble("upstream_ms")).put("ttfb_ms", r.getDouble("ttfb_ms"))
        .put("route_reason", r.getString("route_reason")).put("difficulty", r.getDouble("difficulty"))
        .put("has_bodies", r.getBoolean("has_bodies"));
  }

  /** Where a page ended: the last row's time (microseconds) and id, base64url-encoded. */
  record Cursor(OffsetDateTime at, String id) {
    String encode() {
      Instant i = at.toInstant();
      long micros = i.getEpochSecond() * 1_000_000 + i.getNano() / 1000;
      return Base64.getUrlEncoder().withoutPadding().encodeToString((micros + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String text) {
      try {
        String s = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
        int colon = s.indexOf(':');
        long micros = Long.parseLong(s.substring(0, colon));
        Instant i = Instant.EPOCH.plus(Duration.ofSeconds(Math.floorDiv(micros, 1_000_000),
            Math.floorMod(micros, 1_000_000) * 1000L));
        return new Cursor(i.atOffset(ZoneOffset.UTC), s.substring(colon + 1));
      } catch (RuntimeException e) {
        throw GatewayError.badParam("cursor", "The cursor is not one this endpoint gave out; pass next_cursor "
            + "from the previous page unchanged.");
      }
    }
  }
}
