package dev.sluice.api.model;

/**
 * A place where the gateway asks the provider to cache the prompt's prefix (Anthropic {@code cache_control},
 * Bedrock {@code cachePoint}): the prefix runs in the provider's order (tools, system, messages) up to and
 * including the tool definitions ({@link #TOOLS}) or message {@code afterMessage}. A provider that caches
 * without markers, or not at all, ignores breakpoints: they never change the answer.
 *
 * @param afterMessage the index in {@link ChatRequest#messages()} whose end closes the prefix, or {@link #TOOLS}
 * @param prefixTokens the gateway's estimate of the prefix's tokens, so a provider can drop a breakpoint below
 *     its model's minimum cacheable prefix
 */
public record CacheBreakpoint(int afterMessage, int prefixTokens) {
  /** {@link #afterMessage} of a breakpoint after the tool definitions. */
  public static final int TOOLS = -1;

  public CacheBreakpoint {
    if (afterMessage < TOOLS) throw new IllegalArgumentException("afterMessage must be -1 (tools) or an index, got " + afterMessage);
    if (prefixTokens < 0) throw new IllegalArgumentException("prefixTokens cannot be negative, got " + prefixTokens);
  }

  public static CacheBreakpoint afterTools(int prefixTokens) {
    return new CacheBreakpoint(TOOLS, prefixTokens);
  }

  public static CacheBreakpoint afterMessage(int index, int prefixTokens) {
    return new CacheBreakpoint(index, prefixTokens);
  }

  public boolean tools() {
    return afterMessage == TOOLS;
  }
}
