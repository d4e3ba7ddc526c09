package dev.sluice.api.wire;

import dev.sluice.api.GatewayError;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits a byte stream into server-sent events per the WHATWG rules: LF, CRLF or CR line ends (also across
 * reads), comment lines, multi-line data, a leading space after the colon dropped. An event larger than the
 * limit (its data's bytes, line ends included) fails the stream rather than growing without bound.
 *
 * <p>Events go either to a {@link SseEvent} consumer (data decoded as UTF-8) or, with {@link #ofBytes}, to a
 * {@link DataSink} that reads the data's bytes where they lie: a one-line event (the usual case) is handed over
 * as a slice of the bytes just read, without copying or decoding it.
 */
public final class SseParser {
  /** Default bound on one event's size. */
  public static final int DEFAULT_MAX_EVENT_BYTES = 8 * 1024 * 1024;

  /** Receives each event's data as UTF-8 bytes. */
  @FunctionalInterface
  public interface DataSink {
    /**
     * One event. {@code data[offset, offset + length)} is its data (lines joined by {@code \n}); the array is
     * never written again by the parser, but the sink must not write it either.
     */
    void event(String event, byte[] data, int offset, int length, String id);
  }

  private static final byte[] NONE = new byte[0];

  private final DataSink sink;
  private final int maxEventBytes;
  private byte[] partialLine = NONE;
  private int partialLength;
  private boolean skipLineFeed;
  private String eventName;
  private String eventId;
  /** The event's data so far: a slice of a read (one line), or {@code joined} once there are more lines. */
  private byte[] data;
  private int dataOffset;
  private int dataLength;
  private boolean dataOwned;
  private int eventBytes;

  public SseParser(Consumer<SseEvent> sink) {
    this(sink, DEFAULT_MAX_EVENT_BYTES);
  }

  public SseParser(Consumer<SseEvent> sink, int maxEventBytes) {
    this((event, bytes, offset, length, id) ->
        sink.accept(new SseEvent(event, new String(bytes, offset, length, StandardCharsets.UTF_8), id)),
        maxEventBytes);
  }

  private SseParser(DataSink sink, int maxEventBytes) {
    this.sink = sink;
    this.maxEventBytes = maxEventBytes;
  }

  /** A parser that hands each event's data over as bytes. */
  public static SseParser ofBytes(DataSink sink) {
    return new SseParser(sink, DEFAULT_MAX_EVENT_BYTES);
  }

  /** A parser that hands each event's data over as bytes, with a bound on one event's size. */
  public static SseParser ofBytes(DataSink sink, int maxEventBytes) {
    return new SseParser(sink, maxEventBytes);
  }

  public void feed(Buffer bytes) {
    // One copy into a fresh array, then a plain scan: per-byte Buffer.getByte (bounds and reference checks on
    // every call) was the largest single cost of relaying a stream. The array is never written again, so event
    // data can point into it.
    byte[] in = bytes.getBytes();
    int start = 0;
    int length = in.length;
    if (skipLineFeed && length > 0) { // the LF of a CRLF split across reads
      skipLineFeed = false;
      if (in[0] == '\n') start = 1;
    }
    for (int i = start; i < length; i++) {
      byte b = in[i];
      if ((b & 0xF0) != 0) continue; // every byte above 0x0F (almost all of them): one test
      if (b == '\n' || b == '\r') {
        if (partialLength > 0) {
          appendPartial(in, start, i - start);
          byte[] line = Arrays.copyOf(partialLine, partialLength);
          partialLength = 0;
          partialLine = NONE;
          onLine(line, 0, line.length);
        } else {
          onLine(in, start, i - start);
        }
        start = i + 1;
        if (b == '\r') {
          if (start < length) {
            if (in[start] == '\n') start = ++i + 1;
          } else {
            skipLineFeed = true;
          }
        }
      }
    }
    if (start < length) {
      appendPartial(in, start, length - start);
      checkSize(partialLength);
    }
  }

  /** Whether bytes of an event are waiting for the blank line that ends it. */
  public boolean hasPartialEvent() {
    return partialLength > 0 || data != null || eventName != null;
  }

  private void appendPartial(byte[] in, int from, int length) {
    if (partialLength + length > partialLine.length) {
      partialLine = Arrays.copyOf(partialLine, Math.max(partialLength + length, Math.max(64, partialLine.length * 2)));
    }
    System.arraycopy(in, from, partialLine, partialLength, length);
    partialLength += length;
  }

  private void onLine(byte[] line, int from, int length) {
    if (length == 0) {
      dispatch();
      return;
    }
    if (line[from] == ':') return;
    int end = from + length;
    int colon = from;
    while (colon < end && line[colon] != ':') colon++;
    int fieldLength = colon - from;
    int value = colon < end ? colon + 1 : end;
    if (value < end && line[value] == ' ') value++;
    // Field names are ASCII, and ':' never occurs inside a multi-byte UTF-8 sequence: comparing bytes is the
    // same as comparing the decoded name.
    if (is(line, from, fieldLength, 'd', 'a', 't', 'a')) {
      appendData(line, value, end - value);
    } else if (fieldLength == 5 && is(line, from, 4, 'e', 'v', 'e', 'n') && line[from + 4] == 't') {
      eventName = new String(line, value, end - value, StandardCharsets.UTF_8);
    } else if (fieldLength == 2 && line[from] == 'i' && line[from + 1] == 'd') {
      eventId = new String(line, value, end - value, StandardCharsets.UTF_8);
    }
    // "retry" and unknown fields are ignored, as the standard says
  }

  private static boolean is(byte[] line, int from, int length, char a, char b, char c, char d) {
    return length == 4 && line[from] == a && line[from + 1] == b && line[from + 2] == c && line[from + 3] == d;
  }

  private void appendData(byte[] line, int from, int length) {
    eventBytes += length + 1;
    checkSize(eventBytes);
    if (data == null) {
      data = line;
      dataOffset = from;
      dataLength = length;
      dataOwned = false;
      return;
    }
    int needed = dataLength + 1 + length;
    if (!dataOwned || needed > data.length) {
      byte[] joined = new byte[Math.max(needed, dataOwned ? data.length * 2 : needed + 64)];
      System.arraycopy(data, dataOffset, joined, 0, dataLength);
      data = joined;
      dataOffset = 0;
      dataOwned = true;
    }
    data[dataLength] = '\n';
    System.arraycopy(line, from, data, dataLength + 1, length);
    dataLength = needed;
  }

  private void checkSize(int size) {
    if (size > maxEventBytes) {
      throw GatewayError.protocol("Upstream sent a server-sent event over " + maxEventBytes + " bytes");
    }
  }

  private void dispatch() {
    if (data != null) {
      byte[] bytes = data;
      int offset = dataOffset;
      int length = dataLength;
      String name = eventName;
      data = null;
      eventName = null;
      eventBytes = 0;
      sink.event(name, bytes, offset, length, eventId);
    } else {
      eventName = null;
    }
  }
}
