package dev.sluice.gateway.storage;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local append-only journal of spend records: one JSON line per record, in numbered segment files
 * ({@code spend-000001.jsonl}). One dedicated writer thread does all file I/O (group commit: it drains every
 * queued record, encodes and writes them with one call, then completes their futures with one hand-off per
 * context), so no event loop ever waits on the disk or spends time encoding.
 *
 * <p>Durability: a record's future completes once {@code write(2)} returned, so a killed process loses nothing
 * (the data is in the OS page cache). With {@code fsync: always} the writer also forces the file before
 * completing (survives an OS crash, slower); with {@code fsync: interval} it forces at most every
 * {@code fsync_interval} (an OS crash may lose that window); {@code never} leaves it to the OS.
 */
public final class SpendJournal {
  private static final Logger LOG = LoggerFactory.getLogger(SpendJournal.class);
  private static final String PREFIX = "spend-";
  private static final String SUFFIX = ".jsonl";

  public enum Fsync { ALWAYS, INTERVAL, NEVER }

  private record Entry(SpendRecord record, Promise<Void> done, Context context) {}

  private final Path dir;
  private final Fsync fsync;
  private final long fsyncIntervalNanos;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean closed;
  private FileChannel channel;
  private int segment;
  private long segmentBytes;
  private long lastForce = System.nanoTime();

  private SpendJournal(Path dir, Fsync fsync, long fsyncIntervalNanos, int firstSegment) {
    this.dir = dir;
    this.fsync = fsync;
    this.fsyncIntervalNanos = fsyncIntervalNanos;
    this.segment = firstSegment;
    this.writer = new Thread(this::run, "sluice-spend-journal");
    this.writer.setDaemon(true);
  }

  /** Opens the journal in {@code dir}; a new segment follows whatever segments an earlier process left. */
  public static SpendJournal open(Path dir, Fsync fsync, java.time.Duration fsyncInterval) {
    try {
      Files.createDirectories(dir);
      int last = segments(dir).stream().mapToInt(SpendJournal::number).max().orElse(0);
      SpendJournal journal = new SpendJournal(dir, fsync, fsyncInterval.toNanos(), last + 1);
      journal.openSegment();
      journal.writer.start();
      return journal;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the spend journal in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Completes (on the caller's context) once the record is in the journal file. */
  public Future<Void> append(SpendRecord record) {
    Context ctx = Vertx.currentContext();
    Promise<Void> done = Promise.promise();
    if (closed) return Future.failedFuture(new IllegalStateException("the spend journal is closed"));
    queue.add(new Entry(record, done, ctx)); // encoded by the writer thread, off the event loop
    return done.future();
  }

  /**
   * Closes the current segment and starts a new one; returns every closed segment, oldest first, which the
   * flusher may read and, once PostgreSQL has them, delete.
   */
  public Future<List<Path>> rotate() {
    Promise<List<Path>> p = Promise.promise();
    Context ctx = Vertx.currentContext();
    queue.add((Runnable) () -> {
      List<Path> sealed;
      try {
        if (segmentBytes > 0) {
          channel.force(false);
          channel.close();
          segment++;
          openSegment();
        }
        sealed = segments(dir).stream().filter(s -> number(s) < segment).sorted().toList();
      } catch (IOException e) {
        complete(ctx, () -> p.fail(e));
        return;
      }
      complete(ctx, () -> p.complete(sealed));
    });
    return p.future();
  }

  private void openSegment() throws IOException {
    channel = FileChannel.open(dir.resolve(String.format("%s%06d%s", PREFIX, segment, SUFFIX)),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    segmentBytes = channel.size();
  }

  private void run() {
    List<Object> batch = new ArrayList<>();
    while (!closed || !queue.isEmpty()) {
      try {
        Object first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          forceIfDue();
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, 4096);
        writeBatch(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        batch.clear();
      }
    }
    try {
      channel.force(false);
      channel.close();
    } catch (IOException e) {
      LOG.warn("closing the spend journal: {}", e.toString());
    }
  }

  private void writeBatch(List<Object> batch) {
    List<Entry> entries = new ArrayList<>(batch.size());
    for (Object o : batch) {
      if (o instanceof Entry e) {
        entries.add(e);
      } else {
        flush(entries);
        entries.clear();
        ((Runnable) o).run();
      }
    }
    flush(entries);
  }

  private void flush(List<Entry> entries) {
    if (entries.isEmpty()) return;
    List<byte[]> lines = new ArrayList<>(entries.size());
    int size = 0;
    for (Entry e : entries) {
      byte[] line = (e.record().toJson().encode() + "\n").getBytes(StandardCharsets.UTF_8);
      lines.add(line);
      size += line.length;
    }
    ByteBuffer buf = ByteBuffer.allocate(size);
    for (byte[] line : lines) buf.put(line);
    buf.flip();
    Throwable failure = null;
    try {
      while (buf.hasRemaining()) channel.write(buf);
      segmentBytes += size;
      if (fsync == Fsync.ALWAYS) force();
      else forceIfDue();
    } catch (IOException e) {
      LOG.error("cannot write the spend journal in {}: {}", dir, e.toString());
      failure = e;
    }
    // One hand-off per context for the whole batch, not one per record.
    Map<Context, List<Promise<Void>>> byContext = new IdentityHashMap<>();
    for (Entry e : entries) byContext.computeIfAbsent(e.context(), c -> new ArrayList<>()).add(e.done());
    Throwable f = failure;
    byContext.forEach((ctx, promises) -> complete(ctx, () -> {
      for (Promise<Void> p : promises) {
        if (f == null) p.complete();
        else p.fail(f);
      }
    }));
  }

  private void forceIfDue() {
    if (fsync == Fsync.INTERVAL && segmentBytes > 0 && System.nanoTime() - lastForce >= fsyncIntervalNanos) {
      try {
        force();
      } catch (IOException e) {
        LOG.error("cannot fsync the spend journal: {}", e.toString());
      }
    }
  }

  private void force() throws IOException {
    channel.force(false);
    lastForce = System.nanoTime();
  }

  private static void complete(Context ctx, Runnable r) {
    if (ctx == null) r.run();
    else ctx.runOnContext(v -> r.run());
  }

  /** Lets queued records reach the file, then stops the writer thread. Blocking: call on a worker. */
  public void close() {
    closed = true;
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static List<Path> segments(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> {
        String n = f.getFileName().toString();
        return n.startsWith(PREFIX) && n.endsWith(SUFFIX);
      }).sorted().toList();
    }
  }

  private static int number(Path p) {
    String n = p.getFileName().toString();
    return Integer.parseInt(n.substring(PREFIX.length(), n.length() - SUFFIX.length()));
  }
}
