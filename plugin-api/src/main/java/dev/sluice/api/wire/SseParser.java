package dev.sluice.api.wire;

import dev.sluice.api.GatewayError;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a byte stream into server-sent events per the WHATWG rules: LF, CRLF or CR line ends (also across
 * reads), comment lines, multi-line data, a leading space after the colon dropped. An event larger than the
 * limit fails the stream rather than growing without bound.
 */
public final class SseParser {
  /** Default bound on one event's size. */
  public static final int DEFAULT_MAX_EVENT_BYTES = 8 * 1024 * 1024;

  private final Consumer<SseEvent> sink;
  private final int maxEventBytes;
  private Buffer partialLine = Buffer.buffer();
  private boolean skipLineFeed;
  private String eventName;
  private String eventId;
  private StringBuilder data;
  private int eventBytes;

  public SseParser(Consumer<SseEvent> sink) {
    this(sink, DEFAULT_MAX_EVENT_BYTES);
  }

  public SseParser(Consumer<SseEvent> sink, int maxEventBytes) {
    this.sink = sink;
    this.maxEventBytes = maxEventBytes;
  }

  public void feed(Buffer bytes) {
    // One copy into an array, then a plain scan: per-byte Buffer.getByte (bounds and reference checks on every
    // call) was the largest single cost of relaying a stream.
    byte[] in = bytes.getBytes();
    int start = 0;
    int length = in.length;
    for (int i = 0; i < length; i++) {
      byte b = in[i];
      if (skipLineFeed) {
        skipLineFeed = false;
        if (b == '\n') {
          start = i + 1;
          continue;
        }
      }
      if (b == '\n' || b == '\r') {
        String line;
        if (partialLine.length() > 0) {
          partialLine.appendBytes(in, start, i - start);
          line = partialLine.toString(StandardCharsets.UTF_8);
          partialLine = Buffer.buffer();
        } else {
          line = new String(in, start, i - start, StandardCharsets.UTF_8);
        }
        onLine(line);
        skipLineFeed = b == '\r';
        start = i + 1;
      }
    }
    if (start < length) {
      partialLine.appendBytes(in, start, length - start);
      checkSize(partialLine.length());
    }
  }

  /** Whether bytes of an event are waiting for the blank line that ends it. */
  public boolean hasPartialEvent() {
    return partialLine.length() > 0 || data != null || eventName != null;
  }

  private void onLine(String line) {
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    if (line.charAt(0) == ':') return;
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1 < line.length() && line.charAt(colon + 1) == ' '
        ? colon + 2 : colon + 1);
    switch (field) {
      case "data":
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
        eventBytes += value.length() + 1;
        checkSize(eventBytes);
        break;
      case "event":
        eventName = value;
        break;
      case "id":
        eventId = value;
        break;
      default:
        break; // "retry" and unknown fields are ignored, as the standard says
    }
  }

  private void checkSize(int size) {
    if (size > maxEventBytes) {
      throw GatewayError.protocol("Upstream sent a server-sent event over " + maxEventBytes + " bytes");
    }
  }

  private void dispatch() {
    if (data != null) {
      SseEvent event = new SseEvent(eventName, data.toString(), eventId);
      data = null;
      eventName = null;
      eventBytes = 0;
      sink.accept(event);
    } else {
      eventName = null;
    }
  }
}
