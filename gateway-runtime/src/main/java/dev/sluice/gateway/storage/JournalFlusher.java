package dev.sluice.gateway.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves journaled spend records into PostgreSQL: every {@code flush_interval} it seals the current journal
 * segment, reads the sealed ones (on a worker), stores them in batches, and deletes a segment only after
 * PostgreSQL confirmed all of its records. PostgreSQL down: segments wait and the next tick retries. At start,
 * the segments a killed process left are replayed the same way; a torn last line (the process died mid-write,
 * before that record's response was sent) is skipped.
 */
public final class JournalFlusher {
  private static final Logger LOG = LoggerFactory.getLogger(JournalFlusher.class);

  private final Vertx vertx;
  private final SpendJournal journal;
  private final SpendStore store;
  private final int batchSize;
  private final AtomicLong stored = new AtomicLong();
  private long timer = -1;
  private boolean running;
  private boolean failing;

  private JournalFlusher(Vertx vertx, SpendJournal journal, SpendStore store, int batchSize) {
    this.vertx = vertx;
    this.journal = journal;
    this.store = store;
    this.batchSize = batchSize;
  }

  /** @param requestLog also write every record's {@code request_log} row (same batch, same transaction) */
  public static JournalFlusher start(Vertx vertx, SpendJournal journal, Database db, Duration interval,
                                     int batchSize, boolean requestLog) {
    JournalFlusher f = new JournalFlusher(vertx, journal, new SpendStore(db.pool(), requestLog), batchSize);
    f.timer = vertx.setPeriodic(interval.toMillis(), interval.toMillis(), id -> f.flush());
    return f;
  }

  /** Seals the current segment and stores every sealed one; completes when PostgreSQL has them all. */
  public Future<Void> flush() {
    if (running) return Future.succeededFuture();
    running = true;
    return journal.rotate().compose(this::storeAll).andThen(ar -> {
      running = false;
      if (ar.failed() && !failing) {
        failing = true;
        LOG.warn("spend records wait in the journal: PostgreSQL is unavailable ({})", ar.cause().toString());
      } else if (ar.succeeded() && failing) {
        failing = false;
        LOG.info("PostgreSQL is back; journaled spend records are being stored");
      }
    });
  }

  /** How many records this flusher has stored (duplicates skipped by PostgreSQL included). */
  public long stored() {
    return stored.get();
  }

  private Future<Void> storeAll(List<Path> segments) {
    Future<Void> chain = Future.succeededFuture();
    for (Path segment : segments) chain = chain.compose(v -> storeSegment(segment));
    return chain;
  }

  private Future<Void> storeSegment(Path segment) {
    return vertx.executeBlocking(() -> read(segment), false).compose(records -> {
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < records.size(); i += batchSize) {
        List<SpendRecord> batch = records.subList(i, Math.min(records.size(), i + batchSize));
        chain = chain.compose(v -> store.store(batch)).andThen(ar -> {
          if (ar.succeeded()) stored.addAndGet(batch.size());
        });
      }
      return chain;
    }).compose(v -> vertx.executeBlocking(() -> {
      Files.deleteIfExists(segment);
      return null;
    }, false));
  }

  private static List<SpendRecord> read(Path segment) {
    List<SpendRecord> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(segment, StandardCharsets.UTF_8)) {
        if (line.isBlank()) continue;
        try {
          out.add(SpendRecord.fromJson(new JsonObject(line)));
        } catch (RuntimeException e) {
          LOG.warn("skipping a torn spend journal line in {}", segment.getFileName());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  public void stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
  }
}
