package dev.sluice.gateway.http;

import dev.sluice.api.IngressFormat;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.gateway.cache.KnownRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Chat requests already decoded, by their exact body bytes, so that a repeated request (the exact cache's hit)
 * skips JSON decoding; the decoded request is then also the same instance, whose cache key the cache keeps.
 * Only for the formats it is given as decoding the body alone (never the headers, so the same bytes always decode
 * to the same request: the runtime knows this of its own OpenAI format, not of a plugin's) and bodies up to
 * {@link #MAX_BODY_BYTES}; bounded by the bytes it holds. Two bodies are the same only when every byte is:
 * a hash collision decodes again, it never answers with another body's request. Shared by the event loops.
 *
 * <p>The oldest remembered body goes first when the bound is reached: a plain map and an insertion queue, not an
 * access-ordered cache, because a lookup here is on every request's path and must cost no more than a map's. A
 * request forgotten while still repeated is decoded once more and remembered again; concurrent insertions may
 * pass the bound by a few entries for a moment.
 */
final class RequestMemo {
  static final int MAX_BODY_BYTES = 64 * 1024;
  /**
   * What one remembered request costs beside its body, whose decoded form is counted as twice the body and the
   * cache's note (its key, with the last user turn when the semantic cache is on) as once more.
   */
  private static final int OVERHEAD = 512;

  private final long maxBytes;
  private final Set<IngressFormat> bodyAlone;
  private final Map<Body, Decoded> decoded = new ConcurrentHashMap<>();
  private final Queue<Body> oldestFirst = new ConcurrentLinkedQueue<>();
  private final AtomicLong bytes = new AtomicLong();

  /**
   * A decoded request; for a remembered body also what the cache step worked out for it ({@code known}), null
   * for a body not remembered.
   */
  record Decoded(ChatRequest request, KnownRequest known) {}

  /** At most {@code maxBytes}, for requests in the formats of {@code bodyAlone} (their decoding reads no header). */
  RequestMemo(long maxBytes, Set<IngressFormat> bodyAlone) {
    this.maxBytes = maxBytes;
    this.bodyAlone = Set.copyOf(bodyAlone);
  }

  private static long weight(Body b) {
    return OVERHEAD + 4L * b.bytes.length;
  }

  /**
   * {@code body} decoded by {@code format}: remembered when it was seen before, else decoded now by {@code
   * decode} (which throws the request's 400 for a bad body) and remembered when {@code remember} holds.
   */
  Decoded decode(IngressFormat format, Buffer body, MultiMap headers, boolean remember,
                 Function<Buffer, JsonObject> parse) {
    if (!remember || !bodyAlone.contains(format) || body.length() > MAX_BODY_BYTES) {
      return new Decoded(format.decodeRequest(parse.apply(body), headers), null);
    }
    Body key = new Body(format, body.getBytes());
    Decoded known = decoded.get(key);
    if (known != null) return known;
    Decoded d = new Decoded(format.decodeRequest(parse.apply(body), headers), new KnownRequest());
    if (decoded.putIfAbsent(key, d) == null) remembered(key);
    return d;
  }

  /** Counts {@code key} in, then forgets the oldest bodies while the bound is passed. */
  private void remembered(Body key) {
    oldestFirst.add(key);
    long total = bytes.addAndGet(weight(key));
    while (total > maxBytes) {
      Body oldest = oldestFirst.poll();
      if (oldest == null) return;
      decoded.remove(oldest);
      total = bytes.addAndGet(-weight(oldest));
    }
  }

  /** How many requests are remembered now (tests). */
  long size() {
    return decoded.size();
  }

  /** A format and the exact bytes of a body it decoded. */
  private static final class Body {
    private final IngressFormat format;
    private final byte[] bytes;
    private final int hash;

    Body(IngressFormat format, byte[] bytes) {
      this.format = format;
      this.bytes = bytes;
      this.hash = 31 * System.identityHashCode(format) + Arrays.hashCode(bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Body b && b.hash == hash && b.format == format && Arrays.equals(b.bytes, bytes);
    }
  }
}
