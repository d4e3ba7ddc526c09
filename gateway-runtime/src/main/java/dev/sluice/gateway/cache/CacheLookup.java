package dev.sluice.gateway.cache;

import dev.sluice.api.model.ChatResponse;
import io.vertx.core.buffer.Buffer;

/**
 * The cache step's result for one request: its {@link CacheListener.Outcome} ({@code x-sluice-cache}; null when
 * caching is off), the stored answer on a hit (with its OpenAI encoding, made once per entry), and on a miss
 * whether and under which key the answer is to be stored. Immutable.
 */
public final class CacheLookup {
  /** Caching is off: no outcome, nothing stored. */
  public static final CacheLookup OFF = new CacheLookup(null, null, null, false);

  private final CacheListener.Outcome outcome;
  private final CacheEntry entry;
  private final RequestKey key;
  private final boolean store;

  CacheLookup(CacheListener.Outcome outcome, CacheEntry entry, RequestKey key, boolean store) {
    this.outcome = outcome;
    this.entry = entry;
    this.key = key;
    this.store = store;
  }

  /** {@code HIT}, {@code SEMANTIC_HIT}, {@code MISS} or {@code BYPASS}; null when caching is off. */
  public CacheListener.Outcome outcome() {
    return outcome;
  }

  /** Whether the cache answered (exactly or semantically): no provider is called. */
  public boolean hit() {
    return entry != null;
  }

  /** The stored answer on a hit, else null. */
  public ChatResponse response() {
    return entry == null ? null : entry.response();
  }

  /** The stored answer as an OpenAI Chat Completions body, encoded once per entry; null unless a hit. */
  public Buffer openAiBody() {
    return entry == null ? null : entry.openAiBody();
  }

  /** Whether the provider's answer is to be stored (a miss, and the client did not say {@code no-store}). */
  public boolean stores() {
    return store;
  }

  RequestKey key() {
    return key;
  }
}
