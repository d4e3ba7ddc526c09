package dev.sluice.gateway.pipeline;

/**
 * What settlement charged for one request.
 *
 * @param costUsd what the request cost; null when nothing priced it (no governance, or an unpriced model)
 * @param savingUsd what a cache hit saved (the cost of the call it replaced), else 0
 */
public record Bill(Double costUsd, double savingUsd) {
  public static final Bill NONE = new Bill(null, 0);
}
