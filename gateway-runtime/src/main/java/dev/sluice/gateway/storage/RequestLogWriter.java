package dev.sluice.gateway.storage;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Collection;
import java.util.List;

/**
 * Writes the {@code request_log} rows of a batch of spend records with one statement (arrays unnested), skipping
 * rows already stored, so a replayed journal segment logs each request once.
 */
final class RequestLogWriter {
  private static final String INSERT = """
      INSERT INTO request_log (request_id, at, key_id, key_prefix, team, user_id, model, model_group, provider,
        deployment, status, error_type, prompt_tokens, completion_tokens, cached_tokens, cost_usd, saving_usd, cache,
        attempts, latency_ms, upstream_ms, ttfb_ms, request_body, response_body, route_reason, difficulty)
      SELECT request_id, to_timestamp(at_ms / 1000.0), key_id, key_prefix, team, user_id, model, model_group,
        provider, deployment, status, error_type, prompt_tokens, completion_tokens, cached_tokens, cost_usd,
        saving_usd, cache, attempts, latency_ms, upstream_ms, ttfb_ms, request_body, response_body, route_reason,
        difficulty
      FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
        $9::text[], $10::text[], $11::int[], $12::text[], $13::int[], $14::int[], $15::int[], $16::float8[],
        $17::float8[], $18::text[], $19::int[], $20::float8[], $21::float8[], $22::float8[], $23::text[], $24::text[],
        $25::text[], $26::float8[])
      AS t(request_id, at_ms, key_id, key_prefix, team, user_id, model, model_group, provider, deployment, status,
        error_type, prompt_tokens, completion_tokens, cached_tokens, cost_usd, saving_usd, cache, attempts,
        latency_ms, upstream_ms, ttfb_ms, request_body, response_body, route_reason, difficulty)
      ON CONFLICT (request_id) DO NOTHING
      """;

  private RequestLogWriter() {}

  static Future<Void> insert(SqlConnection conn, Collection<SpendRecord> records) {
    int n = records.size();
    if (n == 0) return Future.succeededFuture();
    String[] id = new String[n], key = new String[n], prefix = new String[n], team = new String[n],
        user = new String[n], model = new String[n], group = new String[n], provider = new String[n],
        deployment = new String[n], error = new String[n], cache = new String[n], req = new String[n],
        res = new String[n], reason = new String[n];
    Long[] at = new Long[n];
    Integer[] status = new Integer[n], in = new Integer[n], out = new Integer[n], cached = new Integer[n],
        attempts = new Integer[n];
    Double[] cost = new Double[n], saving = new Double[n], ms = new Double[n], upstream = new Double[n],
        ttfb = new Double[n], difficulty = new Double[n];
    int i = 0;
    for (SpendRecord r : records) {
      id[i] = r.requestId();
      at[i] = r.atMillis();
      key[i] = r.who().keyId();
      prefix[i] = r.who().keyPrefix();
      team[i] = r.who().team();
      user[i] = r.who().user();
      model[i] = r.route().model();
      group[i] = r.route().group();
      provider[i] = r.route().provider();
      deployment[i] = r.route().deployment();
      status[i] = r.route().status();
      error[i] = r.route().errorType();
      in[i] = r.usage().promptTokens();
      out[i] = r.usage().completionTokens();
      cached[i] = r.usage().cachedTokens();
      cost[i] = r.usage().costUsd();
      saving[i] = r.usage().savingUsd();
      cache[i] = r.route().cache();
      attempts[i] = r.route().attempts();
      ms[i] = r.timing().latencyMs();
      upstream[i] = r.timing().upstreamMs();
      ttfb[i] = r.timing().ttfbMs();
      req[i] = r.requestBody();
      res[i] = r.responseBody();
      reason[i] = r.route().routeReason();
      difficulty[i] = r.route().difficulty();
      i++;
    }
    return conn.preparedQuery(INSERT).execute(Tuple.tuple(List.of(id, at, key, prefix, team, user, model, group,
        provider, deployment, status, error, in, out, cached, cost, saving, cache, attempts, ms, upstream, ttfb, req,
        res, reason, difficulty))).mapEmpty();
  }
}
