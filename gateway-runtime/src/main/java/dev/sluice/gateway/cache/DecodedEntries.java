package dev.sluice.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.buffer.Buffer;

/**
 * Decoded entries by the identity of the bytes a backend returned. The in-memory backend hands back the very
 * buffer it stored, so a repeated hit skips decoding (and, for OpenAI clients, encoding: {@link
 * CacheEntry#openAiBody()} is kept with it). Keys are weak and compared by identity: an entry the backend drops or
 * replaces is never served from here, and a backend that returns fresh bytes each time (Redis) just decodes.
 */
final class DecodedEntries {
  private final Cache<Buffer, CacheEntry> decoded;

  DecodedEntries(long maxEntries) {
    this.decoded = Caffeine.newBuilder().weakKeys().maximumSize(maxEntries).build();
  }

  /** The entry {@code bytes} hold, or null when they hold none this version can read. */
  CacheEntry of(Buffer bytes) {
    CacheEntry e = decoded.getIfPresent(bytes);
    if (e != null) return e;
    e = CacheEntry.decode(bytes);
    if (e != null) decoded.put(bytes, e);
    return e;
  }
}
