package dev.sluice.plugins.anthropic;

import dev.sluice.api.model.CacheBreakpoint;
import dev.sluice.api.model.ChatRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's cache breakpoints as Anthropic {@code cache_control} markers, within Anthropic's limits: at most
 * {@value #MAX_BREAKPOINTS} per request, each closing a prefix of at least the model's minimum cacheable length
 * (1024 tokens; 2048 for Haiku models). Shorter prefixes would be ignored by Anthropic anyway; when more than
 * four qualify, the last ones (the longest prefixes) are kept.
 */
final class CacheMarkers {
  static final int MAX_BREAKPOINTS = 4;
  static final int MIN_PREFIX = 1024;
  static final int MIN_PREFIX_HAIKU = 2048;

  private CacheMarkers() {}

  static int minimumPrefix(String model) {
    return model != null && model.contains("haiku") ? MIN_PREFIX_HAIKU : MIN_PREFIX;
  }

  /** The breakpoints of {@code r} this model honours, in prompt order. */
  static List<CacheBreakpoint> usable(ChatRequest r) {
    if (r.cacheBreakpoints().isEmpty()) return List.of();
    int min = minimumPrefix(r.model());
    List<CacheBreakpoint> out = new ArrayList<>();
    for (CacheBreakpoint b : r.cacheBreakpoints()) {
      boolean exists = b.tools() ? !r.tools().isEmpty() : b.afterMessage() < r.messages().size();
      if (exists && b.prefixTokens() >= min) out.add(b);
    }
    return out.size() <= MAX_BREAKPOINTS ? out : List.copyOf(out.subList(out.size() - MAX_BREAKPOINTS, out.size()));
  }

  /** Marks {@code block} as the end of a cached prefix. */
  static void mark(JsonObject block) {
    block.put("cache_control", new JsonObject().put("type", "ephemeral"));
  }
}
