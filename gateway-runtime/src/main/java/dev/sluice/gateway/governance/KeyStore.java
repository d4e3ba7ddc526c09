package dev.sluice.gateway.governance;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * Keys, teams, users and organizations: PostgreSQL is the truth, an immutable in-memory snapshot answers every
 * request (a key is found by its hash with no database round trip). The snapshot is reloaded after every change
 * made here and every {@code refresh} interval (changes made by other gateways).
 */
public final class KeyStore {
  /** Everything authentication and governance read on the request path. */
  record Snapshot(Map<String, VirtualKey> byHash, Map<String, VirtualKey> byId, Map<String, String> retired,
                  Map<String, Account> teams, Map<String, Account> users, Map<String, Account> orgs) {}

  private final Pool pool;
  private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
  private volatile Runnable changed = () -> {};

  private KeyStore(Pool pool) {
    this.pool = pool;
  }

  static Future<KeyStore> load(Pool pool) {
    KeyStore store = new KeyStore(pool);
    return store.refresh().map(store);
  }

  Snapshot snapshot() {
    return snapshot;
  }

  Pool pool() {
    return pool;
  }

  /** Runs {@code action} after every change made through this store (to tell the other cluster nodes). */
  public void onChange(Runnable action) {
    this.changed = action;
  }

  /** Reloads now (another node changed keys); a failure is logged by the next periodic refresh. */
  public void refreshNow() {
    refresh();
  }

  /** Reloads everything; the new snapshot replaces the old one at once. */
  Future<Void> refresh() {
    return pool.query("SELECT * FROM keys").execute().compose(keys -> pool.query("SELECT hash, key_id FROM "
        + "retired_hashes").execute().compose(retired -> pool.query("SELECT 'team' AS kind, id, org, NULL AS team, "
        + "limits, budget FROM teams UNION ALL SELECT 'user', id, org, team, limits, budget FROM users UNION ALL "
        + "SELECT 'org', id, NULL, NULL, NULL, budget FROM orgs").execute().map(accounts -> {
          Map<String, VirtualKey> byHash = new HashMap<>();
          Map<String, VirtualKey> byId = new HashMap<>();
          for (Row r : keys) {
            VirtualKey k = key(r);
            byHash.put(k.hash(), k);
            byId.put(k.id(), k);
          }
          Map<String, String> old = new HashMap<>();
          for (Row r : retired) old.put(r.getString("hash"), r.getString("key_id"));
          Map<String, Account> teams = new HashMap<>();
          Map<String, Account> users = new HashMap<>();
          Map<String, Account> orgs = new HashMap<>();
          for (Row r : accounts) {
            String kind = r.getString("kind");
            Account.Kind k = kind.equals("team") ? Account.Kind.TEAM : kind.equals("user") ? Account.Kind.USER
                : Account.Kind.ORG;
            Account a = new Account(k, r.getString("id"), r.getString("org"), r.getString("team"),
                Limits.fromJson(json(r, "limits")), Budget.fromJson(json(r, "budget")));
            (k == Account.Kind.TEAM ? teams : k == Account.Kind.USER ? users : orgs).put(a.id(), a);
          }
          snapshot = new Snapshot(Map.copyOf(byHash), Map.copyOf(byId), Map.copyOf(old), Map.copyOf(teams),
              Map.copyOf(users), Map.copyOf(orgs));
          return null;
        })));
  }

  private static JsonObject json(Row r, String column) {
    Object v = r.getValue(column);
    return v instanceof JsonObject o ? o : null;
  }

  private static VirtualKey key(Row r) {
    String[] models = r.getArrayOfStrings("models");
    OffsetDateTime expires = r.getOffsetDateTime("expires_at");
    return new VirtualKey(r.getString("id"), r.getString("name"), r.getString("hash"), r.getString("prefix"),
        Role.parse(r.getString("role")), r.getString("team"), r.getString("user_id"), r.getString("org"),
        models == null ? null : new LinkedHashSet<>(Arrays.asList(models)),
        expires == null ? null : expires.toInstant(), r.getBoolean("blocked"), json(r, "metadata"),
        Limits.fromJson(json(r, "limits")), Budget.fromJson(json(r, "budget")), r.getString("source"));
  }

  /** Runs {@code change} and an audit entry in one transaction, then reloads the snapshot. */
  <T> Future<T> change(String actor, String action, String target, JsonObject details,
                       java.util.function.Function<SqlConnection, Future<T>> change) {
    return pool.withTransaction(conn -> change.apply(conn).compose(result -> conn.preparedQuery(
            "INSERT INTO audit_log (actor, action, target, details) VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(actor, action, target, details)).map(result)))
        .compose(result -> refresh().map(result))
        .onSuccess(result -> changed.run());
  }

  /** Makes sure the org, team and user a key or account names exist (created empty when new). */
  static Future<Void> ensureOwners(SqlConnection conn, String org, String team, String user) {
    Future<?> f = Future.succeededFuture();
    if (org != null) {
      f = f.compose(v -> conn.preparedQuery("INSERT INTO orgs (id) VALUES ($1) ON CONFLICT DO NOTHING")
          .execute(Tuple.of(org)));
    }
    if (team != null) {
      f = f.compose(v -> conn.preparedQuery("INSERT INTO teams (id, org) VALUES ($1, $2) ON CONFLICT DO NOTHING")
          .execute(Tuple.of(team, org)));
    }
    if (user != null) {
      f = f.compose(v -> conn.preparedQuery("INSERT INTO users (id, team, org) VALUES ($1, $2, $3) "
          + "ON CONFLICT DO NOTHING").execute(Tuple.of(user, team, org)));
    }
    return f.mapEmpty();
  }

  /** Inserts {@code k}, or (same id) replaces its stored fields: config-provisioned keys are upserted. */
  static Future<Void> upsertKey(SqlConnection conn, VirtualKey k) {
    return ensureOwners(conn, k.org(), k.team(), k.user()).compose(v -> conn.preparedQuery("""
        INSERT INTO keys (id, name, hash, prefix, role, team, user_id, org, models, expires_at, blocked, metadata,
          limits, budget, source)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
        ON CONFLICT (id) DO UPDATE SET name = $2, hash = $3, prefix = $4, role = $5, team = $6, user_id = $7,
          org = $8, models = $9, expires_at = $10, blocked = $11, metadata = $12, limits = $13, budget = $14,
          updated_at = now()
        """).execute(args(k.id(), k.name(), k.hash(), k.prefix(), k.role().wire(), k.team(), k.user(), k.org(),
        k.models() == null ? null : k.models().toArray(new String[0]),
        k.expiresAt() == null ? null : OffsetDateTime.ofInstant(k.expiresAt(), ZoneOffset.UTC),
        k.blocked(), k.metadata(), k.limits().any() ? k.limits().toJson() : null,
        k.budget() == null ? null : k.budget().toJson(), k.source()))).mapEmpty();
  }

  /** A tuple that may hold SQL NULLs. */
  static Tuple args(Object... values) {
    return Tuple.tuple(Arrays.asList(values));
  }
}
