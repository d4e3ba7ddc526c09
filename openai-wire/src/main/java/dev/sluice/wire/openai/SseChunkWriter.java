package dev.sluice.wire.openai;

import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes an OpenAI stream chunk as one SSE event ({@code data: {...}\n\n}) straight to bytes. The same JSON as
 * {@link OpenAiResponses#encode(ChatChunk)}, and byte for byte what Jackson's UTF-8 generator writes with its
 * defaults (the writer this replaced): {@code "}, {@code \} and control characters escaped ({@code \n}-style
 * where JSON has a short form, else a six-character unicode escape), other characters as UTF-8, except surrogates,
 * which are written as unicode escapes too; escapes use upper-case hex digits. It runs for every event of every
 * stream: one pass into a scratch array, one copy into the event's buffer, no generator, no intermediate arrays.
 */
public final class SseChunkWriter {
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
  /** For each ASCII character: 0 written as is, a letter for its short escape, -1 for a "backslash u 00XX" escape. */
  private static final byte[] ESCAPES = new byte[128];

  static {
    for (int c = 0; c < 32; c++) ESCAPES[c] = -1;
    ESCAPES['"'] = '"';
    ESCAPES['\\'] = '\\';
    ESCAPES['\b'] = 'b';
    ESCAPES['\t'] = 't';
    ESCAPES['\f'] = 'f';
    ESCAPES['\n'] = 'n';
    ESCAPES['\r'] = 'r';
  }

  private static final byte[] START = ascii("data: {\"id\":");
  private static final byte[] OBJECT = ascii(",\"object\":\"chat.completion.chunk\",\"created\":");
  private static final byte[] MODEL = ascii(",\"model\":");
  private static final byte[] FINGERPRINT = ascii(",\"system_fingerprint\":");
  private static final byte[] CHOICES = ascii(",\"choices\":[");
  private static final byte[] INDEX = ascii("{\"index\":");
  private static final byte[] DELTA = ascii(",\"delta\":{");
  private static final byte[] ROLE = ascii("\"role\":");
  private static final byte[] CONTENT = ascii("\"content\":");
  private static final byte[] TOOL_CALLS = ascii("\"tool_calls\":[");
  private static final byte[] CALL_ID = ascii(",\"id\":");
  private static final byte[] CALL_TYPE = ascii(",\"type\":\"function\"");
  private static final byte[] FUNCTION = ascii(",\"function\":{");
  private static final byte[] NAME = ascii("\"name\":");
  private static final byte[] ARGUMENTS = ascii("\"arguments\":");
  private static final byte[] LOGPROBS = ascii("},\"logprobs\":");
  private static final byte[] FINISH = ascii(",\"finish_reason\":");
  private static final byte[] USAGE = ascii(",\"usage\":{\"prompt_tokens\":");
  private static final byte[] COMPLETION_TOKENS = ascii(",\"completion_tokens\":");
  private static final byte[] TOTAL_TOKENS = ascii(",\"total_tokens\":");
  private static final byte[] CACHED_TOKENS = ascii(",\"prompt_tokens_details\":{\"cached_tokens\":");
  private static final byte[] REASONING_TOKENS = ascii("},\"completion_tokens_details\":{\"reasoning_tokens\":");
  private static final byte[] NULL = ascii("null");
  private static final byte[] END = ascii("}\n\n");

  private static final ThreadLocal<Out> SCRATCH = ThreadLocal.withInitial(() -> new Out(1024));

  private final Out scratch = new Out(512);

  /** A writer for one stream, confined to its thread: it reuses one scratch array for all the stream's events. */
  public SseChunkWriter() {}

  /** The event for {@code chunk}, written with this writer's scratch array. */
  public Buffer write(ChatChunk chunk) {
    return event(scratch, chunk);
  }

  /** Appends the event for {@code chunk} to {@code out}: the bytes {@link #write(ChatChunk)} answers. */
  public void write(ChatChunk chunk, Buffer out) {
    scratch.length = 0;
    write(scratch, chunk);
    out.appendBytes(scratch.bytes, 0, scratch.length);
  }

  /** The event for {@code chunk}, written with a scratch array per thread. */
  public static Buffer event(ChatChunk chunk) {
    return event(SCRATCH.get(), chunk);
  }

  private static Buffer event(Out out, ChatChunk chunk) {
    out.length = 0;
    write(out, chunk);
    return Buffer.buffer(out.length).appendBytes(out.bytes, 0, out.length);
  }

  private static void write(Out out, ChatChunk chunk) {
    out.put(START);
    out.string(chunk.id());
    out.put(OBJECT);
    out.number(chunk.created());
    out.put(MODEL);
    out.string(chunk.model());
    if (chunk.systemFingerprint() != null) {
      out.put(FINGERPRINT);
      out.string(chunk.systemFingerprint());
    }
    out.put(CHOICES);
    List<ChatChunk.Delta> choices = chunk.choices();
    for (int i = 0; i < choices.size(); i++) {
      ChatChunk.Delta d = choices.get(i);
      if (i > 0) out.put((byte) ',');
      out.put(INDEX);
      out.number(d.index());
      out.put(DELTA);
      boolean first = true;
      if (d.role() != null) {
        out.put(ROLE);
        out.string(d.role().wire());
        first = false;
      }
      if (d.content() != null) {
        if (!first) out.put((byte) ',');
        out.put(CONTENT);
        out.string(d.content());
        first = false;
      }
      if (!d.toolCalls().isEmpty()) {
        if (!first) out.put((byte) ',');
        writeToolCalls(out, d.toolCalls());
      }
      out.put(LOGPROBS);
      writeRaw(out, d.logprobs());
      out.put(FINISH);
      out.string(d.finishReason());
      out.put((byte) '}');
    }
    out.put((byte) ']');
    if (chunk.usage() != null) writeUsage(out, chunk.usage());
    out.put(END);
  }

  private static void writeToolCalls(Out out, List<ChatChunk.ToolCallDelta> calls) {
    out.put(TOOL_CALLS);
    for (int i = 0; i < calls.size(); i++) {
      ChatChunk.ToolCallDelta t = calls.get(i);
      if (i > 0) out.put((byte) ',');
      out.put(INDEX);
      out.number(t.index());
      if (t.id() != null) {
        out.put(CALL_ID);
        out.string(t.id());
        out.put(CALL_TYPE);
      }
      out.put(FUNCTION);
      if (t.name() != null) {
        out.put(NAME);
        out.string(t.name());
      }
      if (t.arguments() != null) {
        if (t.name() != null) out.put((byte) ',');
        out.put(ARGUMENTS);
        out.string(t.arguments());
      }
      out.put((byte) '}');
      out.put((byte) '}');
    }
    out.put((byte) ']');
  }

  private static void writeUsage(Out out, Usage u) {
    out.put(USAGE);
    out.number(u.promptTokens());
    out.put(COMPLETION_TOKENS);
    out.number(u.completionTokens());
    out.put(TOTAL_TOKENS);
    out.number(u.totalTokens());
    out.put(CACHED_TOKENS);
    out.number(u.cachedTokens());
    out.put(REASONING_TOKENS);
    out.number(u.reasoningTokens());
    out.put((byte) '}');
    out.put((byte) '}');
  }

  /**
   * Rare pass-through objects (logprobs) keep Vert.x's encoding, as UTF-8. (A lone surrogate in them becomes
   * '?'; Jackson's raw writer wrote invalid UTF-8 for it or failed the stream.)
   */
  private static void writeRaw(Out out, JsonObject value) {
    if (value == null) out.put(NULL);
    else out.put(value.encode().getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** A growable byte array, reused by one thread for one event at a time. */
  private static final class Out {
    byte[] bytes;
    int length;

    Out(int size) {
      bytes = new byte[size];
    }

    private void ensure(int more) {
      if (length + more > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(length + more, bytes.length * 2));
    }

    void put(byte b) {
      ensure(1);
      bytes[length++] = b;
    }

    void put(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, bytes, length, b.length);
      length += b.length;
    }

    /** Long.toString's digits, written straight as bytes. */
    void number(long n) {
      if (n == Long.MIN_VALUE) {
        put(ascii(Long.toString(n)));
        return;
      }
      ensure(20);
      if (n < 0) {
        bytes[length++] = '-';
        n = -n;
      }
      int digits = 1;
      for (long rest = n / 10; rest != 0; rest /= 10) digits++;
      int at = length + digits;
      length = at;
      do {
        bytes[--at] = (byte) ('0' + (int) (n % 10));
        n /= 10;
      } while (n != 0);
    }

    /** A JSON string, or null. */
    void string(String s) {
      if (s == null) {
        put(NULL);
        return;
      }
      int n = s.length();
      ensure(n * 6 + 2); // the longest form of a char is a six-byte escape
      byte[] b = bytes;
      int at = length;
      b[at++] = '"';
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c < 128) {
          byte escape = ESCAPES[c];
          if (escape == 0) {
            b[at++] = (byte) c;
          } else if (escape > 0) {
            b[at++] = '\\';
            b[at++] = escape;
          } else {
            at = unicodeEscape(b, at, c);
          }
        } else if (c < 0x800) {
          b[at++] = (byte) (0xC0 | (c >> 6));
          b[at++] = (byte) (0x80 | (c & 0x3F));
        } else if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
          at = unicodeEscape(b, at, c);
        } else {
          b[at++] = (byte) (0xE0 | (c >> 12));
          b[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
          b[at++] = (byte) (0x80 | (c & 0x3F));
        }
      }
      b[at++] = '"';
      length = at;
    }

    private static int unicodeEscape(byte[] b, int at, char c) {
      b[at++] = '\\';
      b[at++] = 'u';
      b[at++] = HEX[(c >> 12) & 0xF];
      b[at++] = HEX[(c >> 8) & 0xF];
      b[at++] = HEX[(c >> 4) & 0xF];
      b[at++] = HEX[c & 0xF];
      return at;
    }
  }
}
