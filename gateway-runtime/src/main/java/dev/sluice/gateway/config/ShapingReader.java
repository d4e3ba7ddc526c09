package dev.sluice.gateway.config;

import dev.sluice.api.ConfigError;
import io.vertx.core.json.JsonArray;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/** Reads the shaping keys of a routing rule ({@code compaction}, {@code compression}, {@code prompt_cache}). */
final class ShapingReader {
  static final List<String> KEYS = List.of("compaction", "compression", "prompt_cache");

  private ShapingReader() {}

  /**
   * The rule's shaping, or {@link ShapingConfig#NONE}; {@code known} checks that a model name exists (throwing a
   * {@link ConfigError} with the path otherwise).
   */
  static ShapingConfig read(Node rule, BiConsumer<String, String> known) {
    ShapingConfig.Compaction compaction = rule.has("compaction") ? compaction(rule.child("compaction"), known) : null;
    ShapingConfig.Compression compression = rule.has("compression") ? compression(rule.child("compression")) : null;
    ShapingConfig.PromptCache cache = rule.has("prompt_cache") ? promptCache(rule.child("prompt_cache")) : null;
    return new ShapingConfig(compaction, compression, cache);
  }

  private static ShapingConfig.Compaction compaction(Node n, BiConsumer<String, String> known) {
    n.allowOnly("enabled", "max_tokens", "fit_window", "keep_recent_turns", "tool_output_max_tokens",
        "summarize_with", "summary_max_tokens");
    if (!n.bool("enabled", true)) return null;
    int maxTokens = n.integer("max_tokens", 0, 256, 100_000_000);
    boolean fitWindow = n.bool("fit_window", false);
    if (maxTokens == 0 && !fitWindow) {
      throw ConfigError.missing(n.pathOf("max_tokens"), "a token budget (e.g. max_tokens: 16000) or "
          + "fit_window: true, or both");
    }
    String summarizeWith = n.string("summarize_with", null);
    if (summarizeWith != null) known.accept(n.pathOf("summarize_with"), summarizeWith);
    return new ShapingConfig.Compaction(maxTokens, fitWindow, n.integer("keep_recent_turns", 4, 1, 10_000),
        n.integer("tool_output_max_tokens", 200, 16, 1_000_000), summarizeWith,
        n.integer("summary_max_tokens", 512, 16, 100_000));
  }

  private static ShapingConfig.Compression compression(Node n) {
    n.allowOnly("enabled", "lossy", "tool_output_max_tokens");
    if (!n.bool("enabled", true)) return null;
    Set<String> lossy = new LinkedHashSet<>();
    Object v = n.raw("lossy");
    if (v != null) {
      if (!(v instanceof JsonArray list)) throw ConfigError.invalid(n.pathOf("lossy"), v, "expected a list, e.g. [filler]");
      for (int i = 0; i < list.size(); i++) {
        Object item = list.getValue(i);
        if (!ShapingConfig.Compression.LOSSY.contains(item)) {
          throw ConfigError.invalid(n.pathOf("lossy") + "[" + i + "]", item, "expected one of "
              + String.join(", ", ShapingConfig.Compression.LOSSY.stream().sorted().toList()));
        }
        lossy.add((String) item);
      }
    }
    return new ShapingConfig.Compression(lossy, n.integer("tool_output_max_tokens", 2000, 16, 1_000_000));
  }

  private static ShapingConfig.PromptCache promptCache(Node n) {
    n.allowOnly("enabled", "min_tokens", "max_breakpoints");
    if (!n.bool("enabled", true)) return null;
    return new ShapingConfig.PromptCache(n.integer("min_tokens", 1024, 1, 10_000_000),
        n.integer("max_breakpoints", 4, 1, 4));
  }
}
