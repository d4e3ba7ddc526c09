package dev.sluice.gateway.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL that holds keys, teams, users, audit and spend: an external server (a {@code postgres://} URL)
 * or a real embedded one under {@code data_dir}. Opened with its schema migrated; all access is through the
 * Vert.x PG client, never JDBC on an event loop.
 */
public final class Database {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private final Vertx vertx;
  private final Pool pool;
  private final EmbeddedServer embedded;

  private Database(Vertx vertx, Pool pool, EmbeddedServer embedded) {
    this.vertx = vertx;
    this.pool = pool;
    this.embedded = embedded;
  }

  /** {@code postgres} is {@code embedded} (a server under {@code dataDir}/postgres) or a {@code postgres://} URL. */
  public static Future<Database> open(Vertx vertx, String postgres, Path dataDir) {
    if (postgres.equals("embedded")) {
      long start = System.nanoTime();
      return EmbeddedServer.start(vertx, dataDir.resolve("postgres")).compose(server -> {
        LOG.info("embedded PostgreSQL on 127.0.0.1:{} ({} ms, data in {})", server.port(),
            (System.nanoTime() - start) / 1_000_000, dataDir.resolve("postgres"));
        PgConnectOptions options = new PgConnectOptions().setHost("127.0.0.1").setPort(server.port())
            .setDatabase("postgres").setUser("postgres");
        return connect(vertx, options, server)
            .recover(e -> server.stop(vertx).transform(x -> Future.failedFuture(e)));
      });
    }
    return connect(vertx, PgConnectOptions.fromUri(postgres), null);
  }

  private static Future<Database> connect(Vertx vertx, PgConnectOptions options, EmbeddedServer embedded) {
    options.setReconnectAttempts(0).setCachePreparedStatements(true);
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(8).setConnectionTimeout(5)).connectingTo(options)
        .using(vertx).build();
    Database db = new Database(vertx, pool, embedded);
    return Migrator.migrate(pool).map(db).recover(e -> pool.close().transform(x -> Future.failedFuture(e)));
  }

  public Pool pool() {
    return pool;
  }

  public Future<Void> close() {
    return pool.close().transform(ar -> embedded == null ? Future.succeededFuture() : embedded.stop(vertx));
  }
}
