package dev.sluice.gateway.storage;

import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spend records PostgreSQL refused for their content, kept in one append-only file,
 * {@code <data_dir>/quarantine/spend.jsonl}, so that one bad record never holds back the records after it.
 * Each line is the record exactly as the journal held it, plus a {@code quarantine} object (SQLSTATE, PostgreSQL's
 * message, when): a line can be read with {@code jq}, and replayed by copying the file into the journal folder
 * (the flusher skips the field it does not know and stores each request once). A file rather than a table: the
 * database just refused this content, and may refuse it again anywhere it is indexed or typed; the file takes
 * any bytes, needs no schema, and sits beside the journal it came from. Blocking: call on a worker.
 */
final class Quarantine {
  private static final Logger LOG = LoggerFactory.getLogger(Quarantine.class);
  static final String FILE = "spend.jsonl";

  private final Path file;
  private final AtomicLong kept = new AtomicLong();

  Quarantine(Path dir) {
    this.file = dir.resolve(FILE);
  }

  Path file() {
    return file;
  }

  /** Records set aside by this process. */
  long kept() {
    return kept.get();
  }

  /**
   * Whether PostgreSQL refused the statement for what the rows hold, not for how it was reached: SQLSTATE class
   * 22 (data exception: a NUL byte, a value out of range), 23 (integrity constraint violation) or 54 (program
   * limit exceeded: an index row too large). Connection failures, timeouts, a server shutting down and every
   * other class are worth waiting for: the same rows will be stored once the server is back.
   */
  static boolean contentError(Throwable e) {
    if (!(e instanceof PgException pg) || pg.getSqlState() == null) return false;
    String state = pg.getSqlState();
    return state.startsWith("22") || state.startsWith("23") || state.startsWith("54");
  }

  /** Appends {@code record} with the reason PostgreSQL gave and forces it to disk; logs it once. */
  void keep(SpendRecord record, Throwable refusal) {
    PgException pg = (PgException) refusal;
    JsonObject line = record.toJson().put("quarantine", new JsonObject().put("sqlstate", pg.getSqlState())
        .put("error", pg.getErrorMessage()).put("at", System.currentTimeMillis()));
    byte[] bytes = (line.encode() + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) ch.write(buf);
        ch.force(false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the spend quarantine " + file + ": " + e.getMessage(), e);
    }
    kept.incrementAndGet();
    LOG.warn("spend record {} quarantined in {}: PostgreSQL refused its content (SQLSTATE {}: {}); the records"
        + " after it are stored. Inspect it there; see docs/security.md, \"Accounting\", to replay it",
        record.requestId(), file, pg.getSqlState(), pg.getErrorMessage());
  }
}
