package dev.sluice.plugins.anthropic;

import java.util.List;

/**
 * Output token limits of Anthropic's model families, used as {@code max_tokens} when a request gives none
 * (Anthropic requires the field; OpenAI-shaped clients usually omit it). Longest matching prefix wins; an
 * unknown model gets {@link #FALLBACK}, which every Claude model accepts.
 */
final class ModelLimits {
  static final int FALLBACK = 4096;

  private record Family(String prefix, int maxOutputTokens) {}

  // Ordered longest prefix first within each family so that e.g. claude-opus-4-5 wins over claude-opus-4.
  private static final List<Family> FAMILIES = List.of(
      new Family("claude-opus-4-5", 64_000),
      new Family("claude-opus-4-1", 32_000),
      new Family("claude-opus-4", 32_000),
      new Family("claude-sonnet-4", 64_000),
      new Family("claude-haiku-4", 64_000),
      new Family("claude-3-7-sonnet", 64_000),
      new Family("claude-3-5-sonnet", 8192),
      new Family("claude-3-5-haiku", 8192),
      new Family("claude-3-opus", 4096),
      new Family("claude-3-sonnet", 4096),
      new Family("claude-3-haiku", 4096));

  private ModelLimits() {}

  static int maxOutputTokens(String model) {
    if (model == null) return FALLBACK;
    // Bedrock and Vertex style names carry a prefix (anthropic.claude-..., us.anthropic.claude-...).
    int at = model.indexOf("claude-");
    String name = at < 0 ? model : model.substring(at);
    for (Family f : FAMILIES) {
      if (name.startsWith(f.prefix())) return f.maxOutputTokens();
    }
    return FALLBACK;
  }
}
