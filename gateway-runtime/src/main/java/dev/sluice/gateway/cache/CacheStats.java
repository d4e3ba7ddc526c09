package dev.sluice.gateway.cache;

import dev.sluice.api.model.Usage;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.LongAdder;

/** Counters since start: lookups by outcome, stores, and the usage hits saved. */
final class CacheStats implements CacheListener {
  private final LongAdder hits = new LongAdder();
  private final LongAdder semanticHits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder bypasses = new LongAdder();
  private final LongAdder stores = new LongAdder();
  private final LongAdder savedPrompt = new LongAdder();
  private final LongAdder savedCompletion = new LongAdder();

  @Override
  public void lookedUp(String scope, Outcome outcome) {
    switch (outcome) {
      case HIT -> hits.increment();
      case SEMANTIC_HIT -> semanticHits.increment();
      case MISS -> misses.increment();
      case BYPASS -> bypasses.increment();
    }
  }

  @Override
  public void saved(String scope, Usage usage) {
    if (usage == null) return;
    savedPrompt.add(usage.promptTokens());
    savedCompletion.add(usage.completionTokens());
  }

  @Override
  public void stored(String scope, int bytes) {
    stores.increment();
  }

  JsonObject toJson() {
    long answered = hits.sum() + semanticHits.sum();
    long looked = answered + misses.sum();
    return new JsonObject().put("hits", hits.sum()).put("semantic_hits", semanticHits.sum())
        .put("misses", misses.sum()).put("bypasses", bypasses.sum()).put("stores", stores.sum())
        .put("hit_rate", looked == 0 ? 0.0 : (double) answered / looked)
        .put("savings", new JsonObject().put("requests", answered).put("prompt_tokens", savedPrompt.sum())
            .put("completion_tokens", savedCompletion.sum())
            .put("total_tokens", savedPrompt.sum() + savedCompletion.sum()));
  }
}
