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
  private final Quarantine quarantine;
  private long timer = -1;
  private boolean running;
  private boolean failing;

  private JournalFlusher(Vertx vertx, SpendJournal journal, SpendStore store, int batchSize, Path quarantineDir) {
    this.vertx = vertx;
    this.quarantine = new Quarantine(quarantineDir);
    this.journal = journal;
    this.store = store;
    this.batchSize = batchSize;
  }

  /**
   * @param requestLog also write every record's {@code request_log} row (same batch, same transaction)
   * @param quarantineDir where records PostgreSQL refuses for their content are kept
   */
  public static JournalFlusher start(Vertx vertx, SpendJournal journal, Database db, Duration interval,
                                     int batchSize, boolean requestLog, Path quarantineDir) {
    JournalFlusher f = new JournalFlusher(vertx, journal, new SpendStore(db.pool(), requestLog), batchSize,
        quarantineDir);
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

  /** How many records this process set aside in the quarantine ({@code sluice_spend_quarantined_total}). */
  public long quarantined() {
    return quarantine.kept();
  }

  /** The quarantine file (it exists once a record was set aside). */
  public Path quarantineFile() {
    return quarantine.file();
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
        chain = chain.compose(v -> storeOrSplit(batch));
      }
      return chain;
    }).compose(v -> vertx.executeBlocking(() -> {
      Files.deleteIfExists(segment);
      return null;
    }, false));
  }

  /**
   * Stores {@code batch}; when PostgreSQL refuses it for its content, stores each half the same way, down to the
   * single record it refuses, which is quarantined. Any other failure fails (the segment waits for the next tick).
   */
  private Future<Void> storeOrSplit(List<SpendRecord> batch) {
    return store.store(batch).transform(ar -> {
      if (ar.succeeded()) {
        stored.addAndGet(batch.size());
        return Future.succeededFuture();
      }
      if (!Quarantine.contentError(ar.cause())) return Future.failedFuture(ar.cause());
      if (batch.size() == 1) {
        return vertx.executeBlocking(() -> {
          quarantine.keep(batch.get(0), ar.cause());
          return null;
        }, false);
      }
      int half = batch.size() / 2;
      return storeOrSplit(batch.subList(0, half)).compose(v -> storeOrSplit(batch.subList(half, batch.size())));
    });
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
