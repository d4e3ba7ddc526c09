package dev.sluice.wire.openai;

import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.Usage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the usual {@code chat.completion.chunk} by hand, without a Jackson parser (whose creation, per event of
 * every stream, was a fifth of what relaying a stream allocated), for {@link OpenAiChunkReader}. It only answers
 * when the answer is certain to be the one Jackson gives: anything unusual (a number that is not a small
 * non-negative integer, a field of the wrong type, logprobs, an error field, a backslash in a field name, deep
 * nesting, long names or numbers, malformed JSON) makes it answer {@code null}, and the caller reads the bytes with
 * Jackson, whose answer or error stands. Its bytes must be strict UTF-8 without NUL (the caller checks), so a
 * string without escapes decodes exactly as Jackson decodes it.
 *
 * <p>One reader serves one stream (one thread): the id, model, fingerprint and finish reason it last read are kept
 * with their bytes and reused while the bytes repeat, as they do in every chunk of a stream.
 */
final class PlainChunkReader {
  /** Unusual input: the caller takes Jackson's path. Thrown without a stack trace, caught in {@link #read}. */
  private static final RuntimeException UNUSUAL = new RuntimeException("unusual chunk", null, false, false) {};
  /** Deeper skipped values are left to Jackson (whose own limit is far deeper). */
  private static final int MAX_SKIP_DEPTH = 32;
  /** Longer field names and numbers are left to Jackson, which bounds both. */
  private static final int MAX_NAME_BYTES = 256;
  private static final int MAX_NUMBER_BYTES = 64;

  private static final byte[] ID = ascii("id");
  private static final byte[] MODEL = ascii("model");
  private static final byte[] FINGERPRINT = ascii("system_fingerprint");
  private static final byte[] CREATED = ascii("created");
  private static final byte[] CHOICES = ascii("choices");
  private static final byte[] USAGE = ascii("usage");
  private static final byte[] ERROR = ascii("error");
  private static final byte[] INDEX = ascii("index");
  private static final byte[] FINISH_REASON = ascii("finish_reason");
  private static final byte[] LOGPROBS = ascii("logprobs");
  private static final byte[] DELTA = ascii("delta");
  private static final byte[] ROLE = ascii("role");
  private static final byte[] CONTENT = ascii("content");
  private static final byte[] TOOL_CALLS = ascii("tool_calls");
  private static final byte[] FUNCTION = ascii("function");
  private static final byte[] NAME = ascii("name");
  private static final byte[] ARGUMENTS = ascii("arguments");
  private static final byte[] PROMPT_TOKENS = ascii("prompt_tokens");
  private static final byte[] COMPLETION_TOKENS = ascii("completion_tokens");
  private static final byte[] TOTAL_TOKENS = ascii("total_tokens");
  private static final byte[] PROMPT_DETAILS = ascii("prompt_tokens_details");
  private static final byte[] COMPLETION_DETAILS = ascii("completion_tokens_details");
  private static final byte[] CACHED_TOKENS = ascii("cached_tokens");
  private static final byte[] REASONING_TOKENS = ascii("reasoning_tokens");

  private final Repeated id = new Repeated();
  private final Repeated model = new Repeated();
  private final Repeated fingerprint = new Repeated();
  private final Repeated finish = new Repeated();
  private final Repeated role = new Repeated();

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

  /** The chunk in {@code json[offset, offset + length)}, or {@code null}: read it with Jackson. */
  ChatChunk read(byte[] json, int offset, int length) {
    in = json;
    pos = offset;
    end = offset + length;
    try {
      ChatChunk chunk = chunk();
      skipWhitespace();
      return pos == end ? chunk : null;
    } catch (RuntimeException unusualOrOutOfBounds) {
      return null;
    } finally {
      in = null;
    }
  }

  private ChatChunk chunk() {
    skipWhitespace();
    expect('{');
    String chunkId = null;
    String chunkModel = null;
    String chunkFingerprint = null;
    long created = 0;
    List<ChatChunk.Delta> deltas = List.of();
    Usage usage = null;
    for (boolean more = firstMember(); more; more = nextMember()) {
      if (name(ID)) {
        chunkId = string(id);
      } else if (name(MODEL)) {
        chunkModel = string(model);
      } else if (name(FINGERPRINT)) {
        chunkFingerprint = string(fingerprint);
      } else if (name(CREATED)) {
        created = nullOr() ? 0 : number(18);
      } else if (name(CHOICES)) {
        deltas = nullOr() ? List.of() : choices();
      } else if (name(USAGE)) {
        usage = nullOr() ? null : usage();
      } else if (name(ERROR)) {
        if (!nullOr()) throw UNUSUAL; // an error event: Jackson's path answers null for the caller to classify
      } else {
        skipValue(0);
      }
    }
    return new ChatChunk(chunkId, created, chunkModel, deltas, usage, chunkFingerprint);
  }

  private List<ChatChunk.Delta> choices() {
    expect('[');
    List<ChatChunk.Delta> out = null;
    int i = 0;
    for (boolean more = firstElement(); more; more = nextElement(), i++) {
      ChatChunk.Delta d = choice(i);
      out = OneOrMore.plus(out, d);
    }
    return out == null ? List.of() : out;
  }

  private ChatChunk.Delta choice(int i) {
    expect('{');
    int index = -1;
    String finishReason = null;
    Role deltaRole = null;
    String content = null;
    List<ChatChunk.ToolCallDelta> calls = List.of();
    for (boolean more = firstMember(); more; more = nextMember()) {
      if (name(INDEX)) {
        index = nullOr() ? -1 : (int) number(9);
      } else if (name(FINISH_REASON)) {
        finishReason = string(finish);
      } else if (name(LOGPROBS)) {
        if (!nullOr()) throw UNUSUAL; // kept as a tree: Jackson's path
      } else if (name(DELTA)) {
        if (nullOr()) continue;
        expect('{');
        for (boolean field = firstMember(); field; field = nextMember()) {
          if (name(ROLE)) {
            deltaRole = Role.fromWire(string(role));
          } else if (name(CONTENT)) {
            content = string(null);
          } else if (name(TOOL_CALLS)) {
            calls = nullOr() ? List.of() : toolCalls();
          } else {
            skipValue(0);
          }
        }
      } else {
        skipValue(0);
      }
    }
    return new ChatChunk.Delta(index < 0 ? i : index, deltaRole, content, calls, finishReason, null);
  }

  private List<ChatChunk.ToolCallDelta> toolCalls() {
    expect('[');
    List<ChatChunk.ToolCallDelta> out = new ArrayList<>(1);
    int i = 0;
    for (boolean more = firstElement(); more; more = nextElement(), i++) {
      expect('{');
      int index = -1;
      String callId = null;
      String name = null;
      String arguments = null;
      for (boolean field = firstMember(); field; field = nextMember()) {
        if (name(INDEX)) {
          index = nullOr() ? -1 : (int) number(9);
        } else if (name(ID)) {
          callId = string(null);
        } else if (name(FUNCTION)) {
          if (nullOr()) continue;
          expect('{');
          for (boolean f = firstMember(); f; f = nextMember()) {
            if (name(NAME)) name = string(null);
            else if (name(ARGUMENTS)) arguments = string(null);
            else skipValue(0);
          }
        } else {
          skipValue(0);
        }
      }
      out.add(new ChatChunk.ToolCallDelta(index < 0 ? i : index, callId, name, arguments));
    }
    return out.isEmpty() ? List.of() : out;
  }

  private Usage usage() {
    expect('{');
    int prompt = 0;
    int completion = 0;
    int total = -1;
    int cached = 0;
    int reasoning = 0;
    for (boolean more = firstMember(); more; more = nextMember()) {
      if (name(PROMPT_TOKENS)) {
        prompt = nullOr() ? 0 : (int) number(9);
      } else if (name(COMPLETION_TOKENS)) {
        completion = nullOr() ? 0 : (int) number(9);
      } else if (name(TOTAL_TOKENS)) {
        total = nullOr() ? -1 : (int) number(9);
      } else if (name(PROMPT_DETAILS)) {
        cached = detail(CACHED_TOKENS);
      } else if (name(COMPLETION_DETAILS)) {
        reasoning = detail(REASONING_TOKENS);
      } else {
        skipValue(0);
      }
    }
    return new Usage(prompt, completion, total < 0 ? prompt + completion : total, cached, 0, reasoning);
  }

  /** The count {@code key} in a details object, 0 when absent or null, the last one when repeated. */
  private int detail(byte[] key) {
    if (nullOr()) return 0;
    expect('{');
    int value = 0;
    for (boolean more = firstMember(); more; more = nextMember()) {
      if (name(key)) value = nullOr() ? 0 : (int) number(9);
      else skipValue(0);
    }
    return value;
  }

  // ---- objects and arrays ----

  /** After an object's '{': whether a member follows (its name read, the colon passed). */
  private boolean firstMember() {
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return false;
    }
    member();
    return true;
  }

  /** After a member's value: whether another member follows (its name read, the colon passed). */
  private boolean nextMember() {
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

  private boolean name(byte[] name) {
    return Arrays.equals(in, nameFrom, nameTo, name, 0, name.length);
  }

  /** After an array's '[': whether an element follows (whitespace before it skipped). */
  private boolean firstElement() {
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return false;
    }
    return true;
  }

  private boolean nextElement() {
    skipWhitespace();
    byte b = next();
    if (b == ']') return false;
    if (b != ',') throw UNUSUAL;
    skipWhitespace();
    return true;
  }

  // ---- values ----

  /** Whether the value here is {@code null} (then passed). */
  private boolean nullOr() {
    if (peek() != 'n') return false;
    literal("null");
    return true;
  }

  /** A string or null; with a {@code repeated} slot, the last equal string is reused. */
  private String string(Repeated repeated) {
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
  private long number(int maxDigits) {
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
  private void skipValue(int depth) {
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

  private void expect(char c) {
    if (next() != c) throw UNUSUAL;
  }

  private void skipWhitespace() {
    while (pos < end) {
      byte b = in[pos];
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') return;
      pos++;
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** The last string read for one field, with its raw bytes. */
  private static final class Repeated {
    byte[] raw;
    String value;

    boolean is(byte[] bytes, int from, int to) {
      return value != null && Arrays.equals(bytes, from, to, raw, 0, raw.length);
    }
  }
}
