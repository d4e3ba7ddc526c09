package dev.sluice.gateway.cache;

import dev.sluice.api.model.Usage;

/** Hooks for metrics: told of every lookup's outcome, every saving and every store. Called on event loops. */
public interface CacheListener {
  /** The outcome of one request's cache lookup; its name is the {@code x-sluice-cache} header's value. */
  enum Outcome {
    HIT, SEMANTIC_HIT, MISS, BYPASS;

    /** The cache answered, exactly or semantically: no provider was called. */
    public boolean hit() {
      return this == HIT || this == SEMANTIC_HIT;
    }

    /** The {@code x-sluice-cache} values, in the order metrics and reports list them. */
    public static final java.util.List<String> NAMES = java.util.Arrays.stream(values()).map(Enum::name).toList();

    /** Whether an {@code x-sluice-cache} value (null: caching off) says the cache answered. */
    public static boolean hit(String status) {
      return status != null && valueOf(status).hit();
    }
  }

  default void lookedUp(String scope, Outcome outcome) {}

  /** A hit answered in place of a provider call that used {@code usage} when it was first made. */
  default void saved(String scope, Usage usage) {}

  default void stored(String scope, int bytes) {}
}
