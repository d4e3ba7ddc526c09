package dev.sluice.gateway.storage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes spend records to PostgreSQL, idempotently by request id: one statement inserts the new raw rows
 * ({@code ON CONFLICT DO NOTHING}) and adds exactly the rows it inserted to {@code spend_daily}, so the daily
 * aggregate is always in step with the raw table and a replayed record counts once. With the request log on,
 * the same transaction writes the records' {@code request_log} rows ({@link RequestLogWriter}).
 */
final class SpendStore {
  private static final String INSERT = """
      WITH input AS (
        SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
          $8::text[], $9::text[], $10::int[], $11::int[], $12::int[], $13::float8[], $14::float8[], $15::bool[],
          $16::bool[], $17::text[], $18::int[], $19::float8[], $20::text[], $21::text[], $22::float8[],
          $23::float8[], $24::float8[], $25::float8[], $26::float8[], $27::float8[], $28::float8[], $29::int[])
        AS t(request_id, at_ms, key_id, team, user_id, org, model, provider, deployment, prompt_tokens,
          completion_tokens, cached_tokens, cost_usd, saving_usd, unpriced, tokens_counted, cache, status, latency_ms,
          routed_group, route_reason, difficulty, baseline_usd, s_exact, s_semantic, s_routing, s_shaping, s_provider,
          tokens_saved)
      ), ins AS (
        INSERT INTO spend (request_id, at, day, key_id, team, user_id, org, model, provider, deployment,
          prompt_tokens, completion_tokens, cached_tokens, cost_usd, saving_usd, unpriced, tokens_counted, cache,
          status, latency_ms, routed_group, route_reason, difficulty, baseline_usd, saving_exact_cache_usd,
          saving_semantic_cache_usd, saving_routing_usd, saving_shaping_usd, saving_provider_cache_usd, tokens_saved)
        SELECT request_id, to_timestamp(at_ms / 1000.0), (to_timestamp(at_ms / 1000.0) AT TIME ZONE 'UTC')::date,
          key_id, team, user_id, org, model, provider, deployment, prompt_tokens, completion_tokens, cached_tokens,
          cost_usd, saving_usd, unpriced, tokens_counted, cache, status, latency_ms, routed_group, route_reason,
          difficulty, baseline_usd, s_exact, s_semantic, s_routing, s_shaping, s_provider, tokens_saved
        FROM input
        ON CONFLICT (request_id) DO NOTHING
        RETURNING day, key_id, team, user_id, org, model, provider, prompt_tokens, completion_tokens, cost_usd,
          saving_usd, unpriced, status
      )
      INSERT INTO spend_daily AS d (day, key_id, team, user_id, org, model, provider, requests, errors,
        prompt_tokens, completion_tokens, cost_usd, saving_usd, unpriced)
      SELECT day, key_id, coalesce(team, ''), coalesce(user_id, ''), coalesce(org, ''), model,
        coalesce(provider, ''), count(*), count(*) FILTER (WHERE status >= 400), sum(prompt_tokens),
        sum(completion_tokens), coalesce(sum(cost_usd), 0), sum(saving_usd), count(*) FILTER (WHERE unpriced)
      FROM ins GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
      ON CONFLICT (day, key_id, team, user_id, org, model, provider) DO UPDATE SET
        requests = d.requests + EXCLUDED.requests, errors = d.errors + EXCLUDED.errors,
        prompt_tokens = d.prompt_tokens + EXCLUDED.prompt_tokens,
        completion_tokens = d.completion_tokens + EXCLUDED.completion_tokens,
        cost_usd = d.cost_usd + EXCLUDED.cost_usd, saving_usd = d.saving_usd + EXCLUDED.saving_usd,
        unpriced = d.unpriced + EXCLUDED.unpriced
      """;

  private final Pool pool;
  private final boolean requestLog;

  /** @param requestLog also write each record to {@code request_log}, in the same transaction */
  SpendStore(Pool pool, boolean requestLog) {
    this.pool = pool;
    this.requestLog = requestLog;
  }

  /** Stores {@code records} (duplicates and already stored ones are skipped) in one transaction. */
  Future<Void> store(List<SpendRecord> records) {
    Map<String, SpendRecord> unique = new LinkedHashMap<>();
    Map<String, SpendRecord> refused = new LinkedHashMap<>();
    for (SpendRecord r : records) (r.refused() ? refused : unique).putIfAbsent(r.requestId(), r);
    if (requestLog && unique.isEmpty() && !refused.isEmpty()) {
      return pool.withTransaction(conn -> RequestLogWriter.insert(conn, refused.values()));
    }
    int n = unique.size();
    if (n == 0) return Future.succeededFuture();
    String[] id = new String[n], key = new String[n], team = new String[n], user = new String[n], org = new String[n],
        model = new String[n], provider = new String[n], deployment = new String[n], cache = new String[n],
        group = new String[n], reason = new String[n];
    Double[] difficulty = new Double[n];
    Long[] at = new Long[n];
    Integer[] in = new Integer[n], out = new Integer[n], cached = new Integer[n], status = new Integer[n];
    Double[] cost = new Double[n], saving = new Double[n], ms = new Double[n], base = new Double[n],
        exact = new Double[n], semantic = new Double[n], routing = new Double[n], shaping = new Double[n],
        providerCache = new Double[n];
    Integer[] tokensSaved = new Integer[n];
    Boolean[] unpriced = new Boolean[n], counted = new Boolean[n];
    int i = 0;
    for (SpendRecord r : unique.values()) {
      id[i] = r.requestId();
      at[i] = r.atMillis();
      key[i] = r.who().keyId();
      team[i] = r.who().team();
      user[i] = r.who().user();
      org[i] = r.who().org();
      model[i] = r.route().model();
      provider[i] = r.route().provider();
      deployment[i] = r.route().deployment();
      in[i] = r.usage().promptTokens();
      out[i] = r.usage().completionTokens();
      cached[i] = r.usage().cachedTokens();
      cost[i] = r.usage().costUsd();
      saving[i] = r.usage().savingUsd();
      unpriced[i] = r.usage().unpriced();
      counted[i] = r.usage().tokensCounted();
      cache[i] = r.route().cache();
      status[i] = r.route().status();
      ms[i] = r.timing().latencyMs();
      group[i] = r.route().routedGroup();
      reason[i] = r.route().routeReason();
      difficulty[i] = r.route().difficulty();
      SpendRecord.Savings sv = r.savings();
      base[i] = sv.baselineUsd();
      exact[i] = sv.exactCache();
      semantic[i] = sv.semanticCache();
      routing[i] = sv.routing();
      shaping[i] = sv.shaping();
      providerCache[i] = sv.providerCache();
      tokensSaved[i] = sv.tokensSaved();
      i++;
    }
    Tuple args = Tuple.tuple(List.of(id, at, key, team, user, org, model, provider, deployment, in, out, cached, cost,
        saving, unpriced, counted, cache, status, ms, group, reason, difficulty, base, exact, semantic, routing,
        shaping, providerCache, tokensSaved));
    if (!requestLog) return pool.preparedQuery(INSERT).execute(args).mapEmpty();
    List<SpendRecord> logged = new java.util.ArrayList<>(unique.values());
    logged.addAll(refused.values());
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT).execute(args)
        .compose(r -> RequestLogWriter.insert(conn, logged)));
  }
}
