package dev.sluice.testkit;

import java.time.Duration;
import java.util.Locale;

/**
 * What a fake upstream does wrong with one request. Immutable; start from a factory and refine with the
 * {@code with*} methods: {@code FakeFault.status(429).withRetryAfter("2")}. A fault comes from the fake's
 * queue ({@link FakeOpenAiUpstream#enqueue}), or per request from an {@code x-fake-fault} header or a
 * {@code fake_fault} body field holding the text form {@link #parse} reads.
 *
 * @param status answer this HTTP status with an OpenAI error body (0: answer normally)
 * @param errorType the error body's {@code type}; null picks one that fits the status
 * @param errorCode the error body's {@code code}; null picks one that fits the status
 * @param errorMessage the error body's {@code message}; null picks one that fits the status
 * @param retryAfter a {@code retry-after} header value (seconds), or null
 * @param retryAfterMs a {@code retry-after-ms} header value, or null
 * @param latencyMs wait before the status line (-1: the fake's default)
 * @param firstChunkDelayMs wait between the headers and the first stream chunk (-1: the fake's default)
 * @param hangs never answer; the request stays open until the client gives up
 * @param resetAfterChunks close the connection after this many stream events (-1: never)
 * @param errorEventAfterChunks send an in-stream {@code {"error":...}} event after this many events (-1: never)
 * @param malformedJson answer a JSON body that does not parse; in a stream, a chunk that does not parse (after the
 *     first event)
 * @param omitDone end the stream without {@code data: [DONE]}
 */
public record FakeFault(int status, String errorType, String errorCode, String errorMessage, String retryAfter,
                        String retryAfterMs, long latencyMs, long firstChunkDelayMs, boolean hangs,
                        int resetAfterChunks, int errorEventAfterChunks, boolean malformedJson, boolean omitDone) {

  public static final FakeFault NONE = new FakeFault(0, null, null, null, null, null, -1, -1, false, -1, -1, false,
      false);

  public FakeFault {
    if (status != 0 && (status < 100 || status > 599)) throw new IllegalArgumentException("bad status " + status);
  }

  public static FakeFault status(int status) {
    return NONE.withStatus(status);
  }

  /** 429 with a {@code retry-after-ms} header (and {@code retry-after} in whole seconds, rounded up). */
  public static FakeFault rateLimited(Duration retryAfter) {
    long ms = retryAfter.toMillis();
    return status(429).withRetryAfter(String.valueOf((ms + 999) / 1000)).withRetryAfterMs(String.valueOf(ms));
  }

  /** OpenAI's answer to a prompt over the context window: 400 {@code context_length_exceeded}. */
  public static FakeFault contextWindow() {
    return status(400).withError("invalid_request_error", "context_length_exceeded",
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 130017 tokens. "
            + "Please reduce the length of the messages.");
  }

  public static FakeFault hang() {
    return new FakeFault(0, null, null, null, null, null, -1, -1, true, -1, -1, false, false);
  }

  public static FakeFault latency(long ms) {
    return NONE.withLatency(ms);
  }

  public static FakeFault resetAfter(int chunks) {
    return new FakeFault(0, null, null, null, null, null, -1, -1, false, chunks, -1, false, false);
  }

  public static FakeFault errorEventAfter(int chunks) {
    return new FakeFault(0, null, null, null, null, null, -1, -1, false, -1, chunks, false, false);
  }

  public static FakeFault malformed() {
    return new FakeFault(0, null, null, null, null, null, -1, -1, false, -1, -1, true, false);
  }

  public static FakeFault noDone() {
    return new FakeFault(0, null, null, null, null, null, -1, -1, false, -1, -1, false, true);
  }

  public FakeFault withStatus(int s) {
    return new FakeFault(s, errorType, errorCode, errorMessage, retryAfter, retryAfterMs, latencyMs,
        firstChunkDelayMs, hangs, resetAfterChunks, errorEventAfterChunks, malformedJson, omitDone);
  }

  public FakeFault withError(String type, String code, String message) {
    return new FakeFault(status, type, code, message, retryAfter, retryAfterMs, latencyMs, firstChunkDelayMs, hangs,
        resetAfterChunks, errorEventAfterChunks, malformedJson, omitDone);
  }

  public FakeFault withRetryAfter(String seconds) {
    return new FakeFault(status, errorType, errorCode, errorMessage, seconds, retryAfterMs, latencyMs,
        firstChunkDelayMs, hangs, resetAfterChunks, errorEventAfterChunks, malformedJson, omitDone);
  }

  public FakeFault withRetryAfterMs(String ms) {
    return new FakeFault(status, errorType, errorCode, errorMessage, retryAfter, ms, latencyMs, firstChunkDelayMs,
        hangs, resetAfterChunks, errorEventAfterChunks, malformedJson, omitDone);
  }

  public FakeFault withLatency(long ms) {
    return new FakeFault(status, errorType, errorCode, errorMessage, retryAfter, retryAfterMs, ms, firstChunkDelayMs,
        hangs, resetAfterChunks, errorEventAfterChunks, malformedJson, omitDone);
  }

  public FakeFault withFirstChunkDelay(long ms) {
    return new FakeFault(status, errorType, errorCode, errorMessage, retryAfter, retryAfterMs, latencyMs, ms, hangs,
        resetAfterChunks, errorEventAfterChunks, malformedJson, omitDone);
  }

  public FakeFault withOmitDone() {
    return new FakeFault(status, errorType, errorCode, errorMessage, retryAfter, retryAfterMs, latencyMs,
        firstChunkDelayMs, hangs, resetAfterChunks, errorEventAfterChunks, malformedJson, true);
  }

  /** Whether the answer differs from a normal one (latency alone does not count). */
  boolean altersAnswer() {
    return status != 0 || hangs || resetAfterChunks >= 0 || errorEventAfterChunks >= 0 || malformedJson || omitDone;
  }

  /**
   * Reads the text form: {@code ;}-separated items, e.g. {@code status=429;retry_after=2},
   * {@code reset_after=3}, {@code error_after=2}, {@code hang}, {@code malformed}, {@code no_done},
   * {@code latency_ms=200;first_chunk_ms=50}, {@code context_window}, {@code retry_after_ms=1500},
   * {@code type=server_error;code=boom;message=text}.
   */
  public static FakeFault parse(String spec) {
    FakeFault f = NONE;
    for (String item : spec.split(";")) {
      String s = item.trim();
      if (s.isEmpty()) continue;
      int eq = s.indexOf('=');
      String key = (eq < 0 ? s : s.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
      String value = eq < 0 ? "" : s.substring(eq + 1).trim();
      f = switch (key) {
        case "status" -> f.withStatus(Integer.parseInt(value));
        case "retry_after" -> f.withRetryAfter(value);
        case "retry_after_ms" -> f.withRetryAfterMs(value);
        case "latency_ms" -> f.withLatency(Long.parseLong(value));
        case "first_chunk_ms" -> f.withFirstChunkDelay(Long.parseLong(value));
        case "type" -> f.withError(value, f.errorCode, f.errorMessage);
        case "code" -> f.withError(f.errorType, value, f.errorMessage);
        case "message" -> f.withError(f.errorType, f.errorCode, value);
        case "hang" -> merge(f, hang());
        case "malformed" -> merge(f, malformed());
        case "no_done" -> f.withOmitDone();
        case "reset_after" -> merge(f, resetAfter(Integer.parseInt(value)));
        case "error_after" -> merge(f, errorEventAfter(Integer.parseInt(value)));
        case "context_window" -> merge(f, contextWindow());
        default -> throw new IllegalArgumentException("unknown fake fault item '" + s + "' in '" + spec + "'");
      };
    }
    return f;
  }

  private static FakeFault merge(FakeFault a, FakeFault b) {
    return new FakeFault(b.status != 0 ? b.status : a.status, b.errorType != null ? b.errorType : a.errorType,
        b.errorCode != null ? b.errorCode : a.errorCode, b.errorMessage != null ? b.errorMessage : a.errorMessage,
        a.retryAfter, a.retryAfterMs, a.latencyMs, a.firstChunkDelayMs, a.hangs || b.hangs,
        b.resetAfterChunks >= 0 ? b.resetAfterChunks : a.resetAfterChunks,
        b.errorEventAfterChunks >= 0 ? b.errorEventAfterChunks : a.errorEventAfterChunks,
        a.malformedJson || b.malformedJson, a.omitDone || b.omitDone);
  }
}
