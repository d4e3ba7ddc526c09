package dev.sluice.gateway.cache;

import dev.sluice.api.model.ChatResponse;
import dev.sluice.wire.openai.OpenAiResponses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * A stored answer: the canonical response (in OpenAI's JSON form) and when it was stored. Its OpenAI encoding
 * is computed once, on first use, so that a hit served to an OpenAI client writes bytes it already has.
 */
final class CacheEntry {
  private static final int VERSION = 1;
  private final ChatResponse response;
  private final long createdMillis;
  private volatile Buffer openAiBody;

  CacheEntry(ChatResponse response, long createdMillis) {
    this.response = response;
    this.createdMillis = createdMillis;
  }

  ChatResponse response() {
    return response;
  }

  long createdMillis() {
    return createdMillis;
  }

  /** The response as an OpenAI Chat Completions body, encoded once. */
  Buffer openAiBody() {
    Buffer b = openAiBody;
    if (b == null) {
      b = OpenAiResponses.encode(response).toBuffer();
      openAiBody = b;
    }
    return b;
  }

  Buffer encode() {
    return new JsonObject().put("v", VERSION).put("created_ms", createdMillis)
        .put("response", OpenAiResponses.encode(response)).toBuffer();
  }

  /** The entry in {@code bytes}, or null when they are not an entry this version can read. */
  static CacheEntry decode(Buffer bytes) {
    try {
      JsonObject o = new JsonObject(bytes);
      if (o.getInteger("v", 0) != VERSION) return null;
      return new CacheEntry(OpenAiResponses.decode(o.getJsonObject("response")), o.getLong("created_ms"));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * True when no {@code maxAge} is set or the entry is younger than it (strictly: {@code max-age=0} accepts no
   * entry, even one stored in the same millisecond).
   */
  boolean youngerThan(Duration maxAge, long nowMillis) {
    return maxAge == null || nowMillis - createdMillis < maxAge.toMillis();
  }
}
