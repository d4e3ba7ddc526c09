package dev.sluice.wire.openai;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of one JSON text, read in place for {@link PlainChunkReader}: objects, arrays, strings, numbers and
 * literals, checked as strictly as Jackson checks them. Whatever it is not certain to read as Jackson does (an
 * escaped field name, a number that is not a small non-negative integer, deep nesting, long names or numbers,
 * malformed JSON, the end of the bytes) throws {@link #UNUSUAL}; the reader then leaves the chunk to Jackson.
 * Its bytes must be strict UTF-8 without NUL (the caller checks), so a string without escapes decodes exactly as
 * Jackson decodes it.
 *
 * <p>It knows nothing of what the members mean: the reader asks for a member's name ({@link #name}) and reads or
 * skips its value. One cursor serves one reader (one thread).
 */
final class JsonCursor {
  /** Unusual input: the caller takes Jackson's path. Thrown without a stack trace. */
  static final RuntimeException UNUSUAL = new RuntimeException("unusual chunk", null, false, false) {};
  /** Deeper skipped values are left to Jackson (whose own limit is far deeper). */
  private static final int MAX_SKIP_DEPTH = 32;
  /** Longer field names and numbers are left to Jackson, which bounds both. */
  private static final int MAX_NAME_BYTES = 256;
  private static final int MAX_NUMBER_BYTES = 64;

  private byte[] in;
  private int pos;
  private int end;
  /** The current field name: {@code in[nameFrom, nameTo)}. */
  private int nameFrom;
  private int nameTo;
  /** The current string's raw bytes, between its quotes: {@code in[stringFrom, pos - 1)}; whether it has escapes. */
  private int stringFrom;
  private boolean escaped;
  private char[] chars;

  /** Starts on {@code json[offset, offset + length)}. */
  void start(byte[] json, int offset, int length) {
    in = json;
    pos = offset;
    end = offset + length;
  }

  /** Whether only whitespace is left. */
  boolean atEnd() {
    skipWhitespace();
    return pos == end;
  }

  /** Lets go of the bytes. */
  void release() {
    in = null;
  }

  // ---- objects and arrays ----

  /** After an object's '{': whether a member follows (its name read, the colon passed). */
  boolean firstMember() {
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return false;
    }
    member();
    return true;
  }

  /** After a member's value: whether another member follows (its name read, the colon passed). */
  boolean nextMember() {
    skipWhitespace();
    byte b = next();
    if (b == '}') return false;
    if (b != ',') throw UNUSUAL;
    skipWhitespace();
    member();
    return true;
  }

  private void member() {
    expect('"');
    int from = pos;
    for (byte b = peek(); b != '"'; pos++, b = peek()) {
      if (b == '\\' || (b & 0xFF) < 0x20) throw UNUSUAL; // an escaped name is decoded by Jackson
    }
    if (pos - from > MAX_NAME_BYTES) throw UNUSUAL;
    nameFrom = from;
    nameTo = pos++;
    skipWhitespace();
    expect(':');
    skipWhitespace();
  }

  boolean name(byte[] name) {
    return Arrays.equals(in, nameFrom, nameTo, name, 0, name.length);
  }

  /** After an array's '[': whether an element follows (whitespace before it skipped). */
  boolean firstElement() {
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return false;
    }
    return true;
  }

  boolean nextElement() {
    skipWhitespace();
    byte b = next();
    if (b == ']') return false;
    if (b != ',') throw UNUSUAL;
    skipWhitespace();
    return true;
  }

  // ---- values ----

  /** Whether the value here is {@code null} (then passed). */
  boolean nullOr() {
    if (peek() != 'n') return false;
    literal("null");
    return true;
  }

  /** A string or null; with a {@code repeated} slot, the last equal string is reused. */
  String string(Repeated repeated) {
    if (nullOr()) return null;
    scanString();
    int from = stringFrom;
    int to = pos - 1;
    if (repeated != null && repeated.is(in, from, to)) return repeated.value;
    String value = escaped ? unescape(from, to) : new String(in, from, to - from, StandardCharsets.UTF_8);
    if (repeated != null) {
      repeated.raw = Arrays.copyOfRange(in, from, to);
      repeated.value = value;
    }
    return value;
  }

  /** Passes a string, checking it as Jackson would: no raw control characters, known escapes only. */
  private void scanString() {
    expect('"');
    stringFrom = pos;
    escaped = false;
    for (;;) {
      byte b = next();
      if (b == '"') return;
      if (b == '\\') {
        escaped = true;
        byte e = next();
        if (e == 'u') {
          for (int k = 0; k < 4; k++) hex(next());
        } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') {
          throw UNUSUAL;
        }
      } else if (b >= 0 && b < 0x20) {
        throw UNUSUAL;
      }
    }
  }

  /** The text of a string with escapes, {@code in[from, to)} (already checked by {@link #scanString}). */
  private String unescape(int from, int to) {
    if (chars == null || chars.length < to - from) chars = new char[Math.max(64, to - from)];
    char[] out = chars;
    int n = 0;
    int i = from;
    while (i < to) {
      int b = in[i] & 0xFF;
      if (b == '\\') {
        byte e = in[i + 1];
        i += 2;
        switch (e) {
          case 'b' -> out[n++] = '\b';
          case 'f' -> out[n++] = '\f';
          case 'n' -> out[n++] = '\n';
          case 'r' -> out[n++] = '\r';
          case 't' -> out[n++] = '\t';
          case 'u' -> {
            out[n++] = (char) (hex(in[i]) << 12 | hex(in[i + 1]) << 8 | hex(in[i + 2]) << 4 | hex(in[i + 3]));
            i += 4;
          }
          default -> out[n++] = (char) e; // '"', '\\' or '/'
        }
      } else if (b < 0x80) {
        out[n++] = (char) b;
        i++;
      } else {
        // A multi-byte sequence, known to be valid UTF-8: decoded as Java decodes it.
        int bytes = b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        String s = new String(in, i, bytes, StandardCharsets.UTF_8);
        s.getChars(0, s.length(), out, n);
        n += s.length();
        i += bytes;
      }
    }
    return new String(out, 0, n);
  }

  private static int hex(byte b) {
    if (b >= '0' && b <= '9') return b - '0';
    if (b >= 'a' && b <= 'f') return b - 'a' + 10;
    if (b >= 'A' && b <= 'F') return b - 'A' + 10;
    throw UNUSUAL;
  }

  /**
   * A non-negative integer of at most {@code maxDigits} digits without a leading zero (what Jackson reads as an
   * int, or a long for 18 digits); anything else (negative, fraction, exponent, longer) is left to Jackson.
   */
  long number(int maxDigits) {
    int from = pos;
    long value = 0;
    byte b = peek();
    while (b >= '0' && b <= '9') {
      value = value * 10 + (b - '0');
      pos++;
      b = peek();
    }
    int digits = pos - from;
    if (digits == 0 || digits > maxDigits || digits > 1 && in[from] == '0' || b == '.' || b == 'e' || b == 'E') {
      throw UNUSUAL;
    }
    return value;
  }

  /** Passes any value, checking it as strictly as Jackson does (or answering unusual). */
  void skipValue(int depth) {
    if (depth > MAX_SKIP_DEPTH) throw UNUSUAL;
    switch (peek()) {
      case '"' -> scanString();
      case '{' -> {
        pos++;
        for (boolean more = firstMember(); more; more = nextMember()) skipValue(depth + 1);
      }
      case '[' -> {
        pos++;
        for (boolean more = firstElement(); more; more = nextElement()) skipValue(depth + 1);
      }
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> skipNumber();
    }
  }

  /** A JSON number: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}, not too long. */
  private void skipNumber() {
    int from = pos;
    if (peek() == '-') pos++;
    int digits = digits();
    if (digits == 0 || digits > 1 && in[pos - digits] == '0') throw UNUSUAL;
    if (peek() == '.') {
      pos++;
      if (digits() == 0) throw UNUSUAL;
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') pos++;
      if (digits() == 0) throw UNUSUAL;
    }
    if (pos - from > MAX_NUMBER_BYTES) throw UNUSUAL;
  }

  private int digits() {
    int from = pos;
    while (pos < end && in[pos] >= '0' && in[pos] <= '9') pos++;
    return pos - from;
  }

  /** A literal, which must not run on into letters or digits ({@code nullx} is not JSON). */
  private void literal(String word) {
    for (int k = 0; k < word.length(); k++) {
      if (next() != word.charAt(k)) throw UNUSUAL;
    }
    if (pos < end) {
      byte b = in[pos];
      if (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b < 0) throw UNUSUAL;
    }
  }

  /** The byte here; past the end is unusual (the bytes may sit inside a larger array). */
  private byte peek() {
    if (pos >= end) throw UNUSUAL;
    return in[pos];
  }

  private byte next() {
    if (pos >= end) throw UNUSUAL;
    return in[pos++];
  }

  void expect(char c) {
    if (next() != c) throw UNUSUAL;
  }

  void skipWhitespace() {
    while (pos < end) {
      byte b = in[pos];
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') return;
      pos++;
    }
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** The last string read for one field, with its raw bytes. */
  static final class Repeated {
    byte[] raw;
    String value;

    boolean is(byte[] bytes, int from, int to) {
      return value != null && Arrays.equals(bytes, from, to, raw, 0, raw.length);
    }
  }
}
