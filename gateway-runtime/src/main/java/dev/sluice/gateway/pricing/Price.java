package dev.sluice.gateway.pricing;

import dev.sluice.api.model.Usage;

/**
 * A model's list price, USD per 1M tokens. Null {@code cachedInput}, {@code cacheWrite} and {@code reasoning}
 * mean "same as input" (the first two) or "same as output" (reasoning).
 *
 * @param longContextAbove prompts above this many tokens are billed at {@code longContext}; 0 when no tier
 */
public record Price(double input, double output, Double cachedInput, Double cacheWrite, Double reasoning,
                    long longContextAbove, Price longContext) {

  public static Price of(double input, double output, Double cachedInput, Double cacheWrite) {
    return new Price(input, output, cachedInput, cacheWrite, null, 0, null);
  }

  /** The cost of {@code usage} in USD (whole-request pricing: the tier is chosen by the prompt's size). */
  public double cost(Usage usage) {
    if (longContext != null && usage.promptTokens() > longContextAbove) return longContext.cost(usage);
    long cached = usage.cachedTokens();
    long written = usage.cacheWriteTokens();
    long plainInput = Math.max(0, usage.promptTokens() - cached - written);
    long reasoningTokens = Math.min(usage.reasoningTokens(), usage.completionTokens());
    double micro = plainInput * input
        + cached * (cachedInput == null ? input : cachedInput)
        + written * (cacheWrite == null ? input : cacheWrite)
        + (usage.completionTokens() - reasoningTokens) * output
        + reasoningTokens * (reasoning == null ? output : reasoning);
    return micro / 1_000_000.0;
  }

  /** An upper-bound estimate before the call: every prompt token uncached, {@code maxOutput} output tokens. */
  public double estimate(long promptTokens, long maxOutput) {
    Price p = longContext != null && promptTokens > longContextAbove ? longContext : this;
    double in = Math.max(p.input, p.cacheWrite == null ? 0 : p.cacheWrite);
    return (promptTokens * in + maxOutput * Math.max(p.output, p.reasoning == null ? 0 : p.reasoning)) / 1_000_000.0;
  }
}
