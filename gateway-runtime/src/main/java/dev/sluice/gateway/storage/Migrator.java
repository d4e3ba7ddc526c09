package dev.sluice.gateway.storage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations: the numbered SQL files listed in {@code db/migration/index.txt}, each applied
 * once, in order, inside one transaction that holds an advisory lock (two gateways starting together do not
 * race) and records it in {@code schema_version}.
 */
final class Migrator {
  private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);
  private static final String DIR = "/db/migration/";
  private static final long LOCK = 0x51_1CE_0001L;

  record Migration(int version, String name, String sql) {}

  private Migrator() {}

  static Future<Integer> migrate(Pool pool) {
    List<Migration> migrations = load();
    return pool.withTransaction(conn -> conn.query("SELECT pg_advisory_xact_lock(" + LOCK + ")").execute()
        .compose(v -> conn.query("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
            + "name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())").execute())
        .compose(v -> conn.query("SELECT coalesce(max(version), 0) AS v FROM schema_version").execute())
        .compose(rows -> apply(conn, migrations, rows.iterator().next().getInteger("v"))));
  }

  private static Future<Integer> apply(SqlConnection conn, List<Migration> migrations, int current) {
    Future<Integer> chain = Future.succeededFuture(current);
    for (Migration m : migrations) {
      if (m.version() <= current) continue;
      chain = chain.compose(v -> conn.query(m.sql()).execute()
          .compose(r -> conn.preparedQuery("INSERT INTO schema_version (version, name) VALUES ($1, $2)")
              .execute(Tuple.of(m.version(), m.name())))
          .map(r -> {
            LOG.info("schema migration {} applied", m.name());
            return m.version();
          }));
    }
    return chain;
  }

  static List<Migration> load() {
    List<Migration> out = new ArrayList<>();
    for (String line : read("index.txt").split("\n")) {
      String name = line.trim();
      if (name.isEmpty() || name.startsWith("#")) continue;
      int version = Integer.parseInt(name.substring(0, name.indexOf('_')));
      if (!out.isEmpty() && out.get(out.size() - 1).version() >= version) {
        throw new IllegalStateException("migration " + name + " is out of order in " + DIR + "index.txt");
      }
      out.add(new Migration(version, name, read(name)));
    }
    return out;
  }

  private static String read(String name) {
    try (InputStream in = Migrator.class.getResourceAsStream(DIR + name)) {
      if (in == null) throw new IllegalStateException("missing resource " + DIR + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
