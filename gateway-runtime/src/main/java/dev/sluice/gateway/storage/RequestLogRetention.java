package dev.sluice.gateway.storage;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes {@code request_log} rows older than the retention, at start and then every {@code every}: in chunks of
 * {@value #CHUNK} rows (short transactions, no long lock on a table the flusher writes to), through the
 * asynchronous PostgreSQL client, so neither an event loop nor a request ever waits on it.
 */
public final class RequestLogRetention {
  private static final Logger LOG = LoggerFactory.getLogger(RequestLogRetention.class);
  static final int CHUNK = 5000;
  private static final String DELETE = "DELETE FROM request_log WHERE request_id IN (SELECT request_id FROM "
      + "request_log WHERE at < $1 LIMIT " + CHUNK + ")";

  private final Vertx vertx;
  private final Pool pool;
  private final Duration retention;
  private long timer = -1;
  private Future<Long> running;

  private RequestLogRetention(Vertx vertx, Pool pool, Duration retention) {
    this.vertx = vertx;
    this.pool = pool;
    this.retention = retention;
  }

  /** Starts the periodic delete: every hour, or every tenth of the retention when that is shorter. */
  public static RequestLogRetention start(Vertx vertx, Database db, Duration retention) {
    RequestLogRetention r = new RequestLogRetention(vertx, db.pool(), retention);
    long every = Math.max(1000, Math.min(Duration.ofHours(1).toMillis(), retention.toMillis() / 10));
    r.timer = vertx.setPeriodic(1000, every, id -> r.purge().onFailure(e ->
        LOG.warn("request log retention: delete failed, retried later ({})", e.toString())));
    return r;
  }

  /** Deletes every row older than the retention; answers how many (a purge under way is joined, not doubled). */
  public Future<Long> purge() {
    Promise<Long> done = Promise.promise();
    synchronized (this) {
      if (running != null) return running;
      running = done.future();
    }
    OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(retention);
    chunk(cutoff, 0).onComplete(ar -> {
      synchronized (this) {
        running = null;
      }
      if (ar.succeeded() && ar.result() > 0) LOG.info("request log retention: {} rows older than {} deleted",
          ar.result(), retention);
      done.handle(ar);
    });
    return done.future();
  }

  private Future<Long> chunk(OffsetDateTime cutoff, long done) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(cutoff)).compose(rows -> {
      long total = done + rows.rowCount();
      return rows.rowCount() < CHUNK ? Future.succeededFuture(total) : chunk(cutoff, total);
    });
  }

  public void stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
  }
}
