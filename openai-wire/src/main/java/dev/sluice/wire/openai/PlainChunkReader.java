package dev.sluice.wire.openai;

import static dev.sluice.wire.openai.JsonCursor.UNUSUAL;
import static dev.sluice.wire.openai.JsonCursor.ascii;

import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.Usage;
import dev.sluice.wire.openai.JsonCursor.Repeated;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the usual {@code chat.completion.chunk} by hand, without a Jackson parser (whose creation, per event of
 * every stream, was a fifth of what relaying a stream allocated), for {@link OpenAiChunkReader}. It only answers
 * when the answer is certain to be the one Jackson gives: anything unusual (a number that is not a small
 * non-negative integer, a field of the wrong type, logprobs, an error field, a backslash in a field name, deep
 * nesting, long names or numbers, malformed JSON) makes it answer {@code null}, and the caller reads the bytes with
 * Jackson, whose answer or error stands. Its bytes must be strict UTF-8 without NUL (the caller checks), so a
 * string without escapes decodes exactly as Jackson decodes it. This class knows what a chunk's members mean; the
 * JSON itself is read by a {@link JsonCursor}.
 *
 * <p>One reader serves one stream (one thread): the id, model, fingerprint and finish reason it last read are kept
 * with their bytes and reused while the bytes repeat, as they do in every chunk of a stream.
 */
final class PlainChunkReader {
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
  private final JsonCursor json = new JsonCursor();
  /** The chunk in {@code bytes[offset, offset + length)}, or {@code null}: read it with Jackson. */
  ChatChunk read(byte[] bytes, int offset, int length) {
    json.start(bytes, offset, length);
    try {
      ChatChunk chunk = chunk();
      return json.atEnd() ? chunk : null;
    } catch (RuntimeException unusualOrOutOfBounds) {
      return null;
    } finally {
      json.release();
    }
  }

  private ChatChunk chunk() {
    json.skipWhitespace();
    json.expect('{');
    String chunkId = null;
    String chunkModel = null;
    String chunkFingerprint = null;
    long created = 0;
    List<ChatChunk.Delta> deltas = List.of();
    Usage usage = null;
    for (boolean more = json.firstMember(); more; more = json.nextMember()) {
      if (json.name(ID)) {
        chunkId = json.string(id);
      } else if (json.name(MODEL)) {
        chunkModel = json.string(model);
      } else if (json.name(FINGERPRINT)) {
        chunkFingerprint = json.string(fingerprint);
      } else if (json.name(CREATED)) {
        created = json.nullOr() ? 0 : json.number(18);
      } else if (json.name(CHOICES)) {
        deltas = json.nullOr() ? List.of() : choices();
      } else if (json.name(USAGE)) {
        usage = json.nullOr() ? null : usage();
      } else if (json.name(ERROR)) {
        if (!json.nullOr()) throw UNUSUAL; // an error event: Jackson's path answers null for the caller to classify
      } else {
        json.skipValue(0);
      }
    }
    return new ChatChunk(chunkId, created, chunkModel, deltas, usage, chunkFingerprint);
  }

  private List<ChatChunk.Delta> choices() {
    json.expect('[');
    List<ChatChunk.Delta> out = null;
    int i = 0;
    for (boolean more = json.firstElement(); more; more = json.nextElement(), i++) {
      ChatChunk.Delta d = choice(i);
      out = OneOrMore.plus(out, d);
    }
    return out == null ? List.of() : out;
  }

  private ChatChunk.Delta choice(int i) {
    json.expect('{');
    int index = -1;
    String finishReason = null;
    Role deltaRole = null;
    String content = null;
    List<ChatChunk.ToolCallDelta> calls = List.of();
    for (boolean more = json.firstMember(); more; more = json.nextMember()) {
      if (json.name(INDEX)) {
        index = json.nullOr() ? -1 : (int) json.number(9);
      } else if (json.name(FINISH_REASON)) {
        finishReason = json.string(finish);
      } else if (json.name(LOGPROBS)) {
        if (!json.nullOr()) throw UNUSUAL; // kept as a tree: Jackson's path
      } else if (json.name(DELTA)) {
        if (json.nullOr()) continue;
        json.expect('{');
        for (boolean field = json.firstMember(); field; field = json.nextMember()) {
          if (json.name(ROLE)) {
            deltaRole = Role.fromWire(json.string(role));
          } else if (json.name(CONTENT)) {
            content = json.string(null);
          } else if (json.name(TOOL_CALLS)) {
            calls = json.nullOr() ? List.of() : toolCalls();
          } else {
            json.skipValue(0);
          }
        }
      } else {
        json.skipValue(0);
      }
    }
    return new ChatChunk.Delta(index < 0 ? i : index, deltaRole, content, calls, finishReason, null);
  }

  private List<ChatChunk.ToolCallDelta> toolCalls() {
    json.expect('[');
    List<ChatChunk.ToolCallDelta> out = new ArrayList<>(1);
    int i = 0;
    for (boolean more = json.firstElement(); more; more = json.nextElement(), i++) {
      json.expect('{');
      int index = -1;
      String callId = null;
      String name = null;
      String arguments = null;
      for (boolean field = json.firstMember(); field; field = json.nextMember()) {
        if (json.name(INDEX)) {
          index = json.nullOr() ? -1 : (int) json.number(9);
        } else if (json.name(ID)) {
          callId = json.string(null);
        } else if (json.name(FUNCTION)) {
          if (json.nullOr()) continue;
          json.expect('{');
          for (boolean f = json.firstMember(); f; f = json.nextMember()) {
            if (json.name(NAME)) name = json.string(null);
            else if (json.name(ARGUMENTS)) arguments = json.string(null);
            else json.skipValue(0);
          }
        } else {
          json.skipValue(0);
        }
      }
      out.add(new ChatChunk.ToolCallDelta(index < 0 ? i : index, callId, name, arguments));
    }
    return out.isEmpty() ? List.of() : out;
  }

  private Usage usage() {
    json.expect('{');
    int prompt = 0;
    int completion = 0;
    int total = -1;
    int cached = 0;
    int reasoning = 0;
    for (boolean more = json.firstMember(); more; more = json.nextMember()) {
      if (json.name(PROMPT_TOKENS)) {
        prompt = json.nullOr() ? 0 : (int) json.number(9);
      } else if (json.name(COMPLETION_TOKENS)) {
        completion = json.nullOr() ? 0 : (int) json.number(9);
      } else if (json.name(TOTAL_TOKENS)) {
        total = json.nullOr() ? -1 : (int) json.number(9);
      } else if (json.name(PROMPT_DETAILS)) {
        cached = detail(CACHED_TOKENS);
      } else if (json.name(COMPLETION_DETAILS)) {
        reasoning = detail(REASONING_TOKENS);
      } else {
        json.skipValue(0);
      }
    }
    return new Usage(prompt, completion, total < 0 ? prompt + completion : total, cached, 0, reasoning);
  }

  /** The count {@code key} in a details object, 0 when absent or null, the last one when repeated. */
  private int detail(byte[] key) {
    if (json.nullOr()) return 0;
    json.expect('{');
    int value = 0;
    for (boolean more = json.firstMember(); more; more = json.nextMember()) {
      if (json.name(key)) value = json.nullOr() ? 0 : (int) json.number(9);
      else json.skipValue(0);
    }
    return value;
  }
}
