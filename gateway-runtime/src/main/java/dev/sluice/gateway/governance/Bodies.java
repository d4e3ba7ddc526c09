package dev.sluice.gateway.governance;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Request and response bodies as the request log stores them: cut to a size limit (on a character boundary,
 * marked as cut), without NUL characters (PostgreSQL text cannot hold them).
 */
final class Bodies {
  static final String CUT = "…[cut]";

  private Bodies() {}

  static String request(Buffer body, int limit) {
    if (body == null) return null;
    boolean cut = body.length() > limit;
    String s = (cut ? body.getBuffer(0, limit) : body).toString(StandardCharsets.UTF_8);
    return clean(s, cut);
  }

  static String text(String text, int limit) {
    if (text == null) return null;
    boolean cut = text.length() > limit;
    return clean(cut ? text.substring(0, limit) : text, cut);
  }

  private static String clean(String s, boolean cut) {
    // A cut through a multi-byte character decodes as U+FFFD: harmless for a log.
    String out = s.indexOf('\0') >= 0 ? s.replace('\0', ' ') : s;
    return cut ? out + CUT : out;
  }
}
