package dev.sluice.plugins.bedrock;

import dev.sluice.api.model.CacheBreakpoint;
import dev.sluice.api.model.ChatRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's cache breakpoints as Converse {@code cachePoint} blocks, within Bedrock's limits: at most
 * {@value #MAX_CHECKPOINTS} per request, each closing a prefix of at least the model's minimum (1024 tokens;
 * 2048 for Claude Haiku models), and a checkpoint after the tool definitions only for Anthropic models (Amazon
 * Nova caches system and messages only). When more than four qualify, the last ones (longest prefixes) are kept.
 */
final class CachePoints {
  static final int MAX_CHECKPOINTS = 4;
  static final int MIN_PREFIX = 1024;
  static final int MIN_PREFIX_HAIKU = 2048;

  private CachePoints() {}

  static int minimumPrefix(String modelId) {
    return modelId != null && modelId.contains("claude") && modelId.contains("haiku") ? MIN_PREFIX_HAIKU : MIN_PREFIX;
  }

  static boolean cachesTools(String modelId) {
    return modelId != null && (modelId.contains("anthropic") || modelId.contains("claude"));
  }

  /** The breakpoints of {@code r} this model honours, in prompt order. */
  static List<CacheBreakpoint> usable(ChatRequest r) {
    if (r.cacheBreakpoints().isEmpty()) return List.of();
    int min = minimumPrefix(r.model());
    List<CacheBreakpoint> out = new ArrayList<>();
    for (CacheBreakpoint b : r.cacheBreakpoints()) {
      boolean exists = b.tools() ? !r.tools().isEmpty() && cachesTools(r.model()) : b.afterMessage() < r.messages().size();
      if (exists && b.prefixTokens() >= min) out.add(b);
    }
    return out.size() <= MAX_CHECKPOINTS ? out : List.copyOf(out.subList(out.size() - MAX_CHECKPOINTS, out.size()));
  }

  static JsonObject block() {
    return new JsonObject().put("cachePoint", new JsonObject().put("type", "default"));
  }
}
