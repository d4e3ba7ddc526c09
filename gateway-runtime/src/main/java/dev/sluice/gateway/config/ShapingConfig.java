package dev.sluice.gateway.config;

import java.util.Set;

/**
 * What the {@code shape} step does to the requests a routing rule matches ({@code routing.rules[].compaction},
 * {@code .compression}, {@code .prompt_cache}); a part is null when the rule leaves it off. Immutable.
 */
public record ShapingConfig(Compaction compaction, Compression compression, PromptCache promptCache) {
  public static final ShapingConfig NONE = new ShapingConfig(null, null, null);

  public boolean any() {
    return compaction != null || compression != null || promptCache != null;
  }

  /**
   * Context compaction: when the prompt is over {@code maxTokens} (0: no budget) or, with {@code fitWindow}, over
   * the target model's context window less the request's {@code max_tokens}, old tool outputs are trimmed to
   * {@code toolOutputMaxTokens}, then the oldest turns are summarised by {@code summarizeWith} (a model group)
   * or dropped (null). System messages and the last {@code keepRecentTurns} user turns (with everything after
   * the first of them) are always kept.
   */
  public record Compaction(int maxTokens, boolean fitWindow, int keepRecentTurns, int toolOutputMaxTokens,
                           String summarizeWith, int summaryMaxTokens) {}

  /**
   * Prompt compression: the lossless reductions always (whitespace outside code blocks, repeated blocks, minified
   * JSON in tool schemas, tool arguments and tool results), then the opt-in lossy ones named in {@code lossy}:
   * {@code filler} (filler words and phrases in user and system prose) and {@code truncate_tool_outputs}
   * (tool results over {@code toolOutputMaxTokens}, cut with a marker).
   */
  public record Compression(Set<String> lossy, int toolOutputMaxTokens) {
    public static final Set<String> LOSSY = Set.of("filler", "truncate_tool_outputs");

    public Compression {
      lossy = Set.copyOf(lossy);
    }
  }

  /**
   * Provider prompt caching: cache breakpoints on long stable prefixes (tools, system prompt, earlier turns),
   * only where the prefix reaches {@code minTokens}, at most {@code maxBreakpoints}.
   */
  public record PromptCache(int minTokens, int maxBreakpoints) {}
}
