package dev.sluice.api.wire;

import io.vertx.core.buffer.Buffer;

/** One server-sent event. {@code event} is null for an unnamed event. */
public record SseEvent(String event, String data, String id) {

  public static SseEvent data(String data) {
    return new SseEvent(null, data, null);
  }

  public static SseEvent named(String event, String data) {
    return new SseEvent(event, data, null);
  }

  /** The event in SSE framing, ending with the blank line. Multi-line data becomes several data lines. */
  public Buffer encode() {
    StringBuilder sb = new StringBuilder(data.length() + 32);
    if (event != null) sb.append("event: ").append(event).append('\n');
    if (id != null) sb.append("id: ").append(id).append('\n');
    int start = 0;
    while (true) {
      int nl = data.indexOf('\n', start);
      sb.append("data: ").append(data, start, nl < 0 ? data.length() : nl).append('\n');
      if (nl < 0) break;
      start = nl + 1;
    }
    sb.append('\n');
    return Buffer.buffer(sb.toString());
  }
}
