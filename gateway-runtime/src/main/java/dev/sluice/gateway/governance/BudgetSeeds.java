package dev.sluice.gateway.governance;

import dev.sluice.gateway.cluster.ClusterState;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * At start, every budget's counter is raised to what PostgreSQL says was spent in its current period, so a
 * restart (or a new cluster) does not forget spend. Runs after the journal replay.
 */
final class BudgetSeeds {
  private BudgetSeeds() {}

  /** @param now the current time (epoch ms): which budget period is seeded */
  static Future<Void> seed(Pool pool, ClusterState state, KeyStore.Snapshot snap, long now) {
    List<Future<?>> all = new ArrayList<>();
    for (VirtualKey k : snap.byId().values()) {
      if (k.budget() != null) all.add(one(pool, state, "key:" + k.id(), "key_id", k.id(), k.budget(), now));
    }
    for (Account a : snap.teams().values()) {
      if (a.budget() != null) all.add(one(pool, state, "team:" + a.id(), "team", a.id(), a.budget(), now));
    }
    for (Account a : snap.users().values()) {
      if (a.budget() != null) all.add(one(pool, state, "user:" + a.id(), "user_id", a.id(), a.budget(), now));
    }
    for (Account a : snap.orgs().values()) {
      if (a.budget() != null) all.add(one(pool, state, "org:" + a.id(), "org", a.id(), a.budget(), now));
    }
    return Future.all(all).mapEmpty();
  }

  private static Future<Void> one(Pool pool, ClusterState state, String scope, String column, String id,
                                  Budget budget, long now) {
    long start = budget.periodStart(now);
    // Each cost_usd is a whole number of nano-dollars with at most 15 significant digits, which float8 -> numeric
    // (15 digits) reproduces exactly: the sum is exact, however many rows there are.
    return pool.preparedQuery("SELECT round(coalesce(sum(cost_usd::numeric), 0), 9)::text AS spent FROM spend WHERE "
            + column + " = $1 AND at >= $2")
        .execute(Tuple.of(id, OffsetDateTime.ofInstant(Instant.ofEpochMilli(start), ZoneOffset.UTC)))
        .compose(rows -> state.seed(scope, start, Budget.nanos(new java.math.BigDecimal(
            rows.iterator().next().getString("spent")))));
  }
}
