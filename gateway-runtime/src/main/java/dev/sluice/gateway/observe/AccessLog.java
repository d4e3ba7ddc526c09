package dev.sluice.gateway.observe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.api.model.Message;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per finished request on the {@code sluice.access} logger: ids, the key's prefix (never its
 * secret), team and user, models, the deployment that answered, status, tokens, cost, cache status, attempts and
 * timings. Prompts and completions only with {@code observability.log_prompts: true}. See docs/observability.md, "Access log".
 *
 * <p>The line is built on this log's own thread, not on the event loop that finished the request: an event loop
 * only puts the (immutable) {@link RequestRecord} in a bounded queue. The thread wakes every few milliseconds
 * (an event loop never has to wake it), renders what is queued and hands the lines to the logger. Like the
 * logger's own appender, it never blocks a request: when the queue is full (a sustained overload of the log),
 * records are dropped and counted. {@link #close} writes what is still queued.
 */
public final class AccessLog implements RequestObserver, AutoCloseable {
  public static final String LOGGER = "sluice.access";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private static final JsonFactory JSON = new JsonFactory();
  private static final int DEFAULT_CAPACITY = 16384;
  private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final int BATCH = 256;

  private final boolean logPrompts;
  private final Consumer<String> sink;
  private final BlockingQueue<RequestRecord> queue;
  private final AtomicLong dropped = new AtomicLong();
  private final Thread writer;
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean closed;

  public AccessLog(boolean logPrompts) {
    this(logPrompts, LOG::info, DEFAULT_CAPACITY);
  }

  /** A log that hands its lines to {@code sink}, on its own thread, with room for {@code capacity} records. */
  AccessLog(boolean logPrompts, Consumer<String> sink, int capacity) {
    this.logPrompts = logPrompts;
    this.sink = sink;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.writer = new Thread(this::run, "sluice-access-log");
    writer.setDaemon(true); // started by the first finished request: a log only asked for lines needs no thread
  }

  @Override
  public boolean wantsContent() {
    return logPrompts;
  }

  @Override
  public void finished(RequestRecord r) {
    if (!LOG.isInfoEnabled()) return;
    if (!started.get() && started.compareAndSet(false, true)) writer.start();
    if (closed) {
      write(r); // after close (a request that outlived the drain): written here rather than lost
    } else if (!queue.offer(r)) {
      dropped.incrementAndGet();
    } else if (closed) {
      writeQueued(); // closed while queueing: the log's thread may be gone already
    }
  }

  /** Records dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Writes what is queued, then stops the log's thread (waits for it up to 5 seconds: call off the event loop). */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(writer);
    try {
      if (started.get()) writer.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writeQueued();
  }

  private void writeQueued() {
    for (RequestRecord r = queue.poll(); r != null; r = queue.poll()) write(r);
  }

  private void write(RequestRecord r) {
    try {
      sink.accept(line(r));
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(AccessLog.class).warn("access log line for {} not written", r.requestId(), e);
    }
  }

  private void run() {
    List<RequestRecord> batch = new ArrayList<>(BATCH);
    while (true) {
      queue.drainTo(batch, BATCH);
      if (batch.isEmpty()) {
        if (closed && queue.isEmpty()) break;
        LockSupport.parkNanos(IDLE_NANOS);
        continue;
      }
      for (RequestRecord r : batch) write(r);
      batch.clear();
    }
    long lost = dropped.get();
    if (lost > 0) LoggerFactory.getLogger(AccessLog.class).warn("access log: {} lines dropped (queue full)", lost);
  }

  /** The JSON line for {@code r} (no trailing newline), with prompts only when this log was built to carry them. */
  public String line(RequestRecord r) {
    StringWriter out = new StringWriter(512);
    try (JsonGenerator j = JSON.createGenerator(out)) {
      j.writeStartObject();
      j.writeStringField("ts", Instant.ofEpochSecond(0, r.startedAtEpochNanos()).toString());
      j.writeStringField("request_id", r.requestId());
      j.writeStringField("operation", r.operation());
      j.writeBooleanField("stream", r.stream());
      j.writeStringField("key_id", r.keyId());
      j.writeStringField("key_prefix", r.keyPrefix());
      j.writeStringField("team", r.team());
      j.writeStringField("user", r.user());
      j.writeStringField("org", r.org());
      j.writeStringField("model_requested", r.modelRequested());
      j.writeStringField("model", r.model());
      j.writeStringField("provider", r.provider());
      j.writeStringField("deployment", r.deployment());
      j.writeNumberField("status", r.status());
      j.writeStringField("error_type", r.errorType());
      j.writeStringField("cache", r.cacheStatus());
      j.writeNumberField("tokens_in", r.promptTokens());
      j.writeNumberField("tokens_out", r.completionTokens());
      j.writeNumberField("tokens_cached", r.cachedTokens());
      if (r.costUsd() == null) j.writeNullField("cost_usd");
      else j.writeNumberField("cost_usd", r.costUsd());
      j.writeNumberField("saving_usd", r.savingUsd());
      j.writeNumberField("attempts", r.attempts());
      j.writeNumberField("retries", r.retries());
      j.writeNumberField("fallbacks", r.fallbacks());
      j.writeNumberField("total_ms", round(r.totalMillis()));
      j.writeNumberField("upstream_ms", round(r.upstreamMillis()));
      j.writeNumberField("overhead_ms", round(r.overheadMillis()));
      if (r.ttftMillis() == null) j.writeNullField("ttfb_ms");
      else j.writeNumberField("ttfb_ms", round(r.ttftMillis()));
      j.writeStringField("response_model", r.responseModel());
      j.writeStringField("finish_reason", r.finishReason());
      if (logPrompts) {
        if (r.request() != null) {
          j.writeArrayFieldStart("messages");
          for (Message m : r.request().messages()) {
            j.writeStartObject();
            j.writeStringField("role", m.role() == null ? null : m.role().wire());
            j.writeStringField("content", m.text());
            j.writeEndObject();
          }
          j.writeEndArray();
        }
        j.writeStringField("completion", r.completion());
      }
      j.writeEndObject();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  private static double round(double millis) {
    return Math.round(millis * 1000) / 1000.0;
  }
}
