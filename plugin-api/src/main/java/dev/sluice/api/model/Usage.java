package dev.sluice.api.model;

/**
 * Token counts of one call. The subsets follow OpenAI's convention, whatever the provider reported:
 * {@code promptTokens} counts every input token, including {@code cachedTokens} (read from a provider's
 * prompt cache) and {@code cacheWriteTokens} (written to it); {@code completionTokens} includes
 * {@code reasoningTokens}.
 */
public record Usage(int promptTokens, int completionTokens, int totalTokens, int cachedTokens, int cacheWriteTokens,
                    int reasoningTokens) {
  public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, 0);

  public Usage {
    if (promptTokens < 0 || completionTokens < 0 || totalTokens < 0 || cachedTokens < 0 || cacheWriteTokens < 0
        || reasoningTokens < 0) {
      throw new IllegalArgumentException("token counts cannot be negative");
    }
  }

  public static Usage of(int promptTokens, int completionTokens) {
    return new Usage(promptTokens, completionTokens, promptTokens + completionTokens, 0, 0, 0);
  }

  public Usage plus(Usage other) {
    return new Usage(promptTokens + other.promptTokens, completionTokens + other.completionTokens,
        totalTokens + other.totalTokens, cachedTokens + other.cachedTokens,
        cacheWriteTokens + other.cacheWriteTokens, reasoningTokens + other.reasoningTokens);
  }
}
