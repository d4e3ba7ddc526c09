package dev.sluice.gateway.cache;

import dev.sluice.gateway.pricing.TokenCounter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Embeds at most {@code maxTokens} tokens (o200k) of a text, so the CPU (or the provider's bill) an embedding
 * costs is bounded whatever a client sends: a text over the cap is embedded as its first half-cap and its last
 * half-cap of tokens, joined by a line break. Head and tail, not a prefix alone: a long turn usually states its
 * subject first and asks its question last ("here is a document ... what does it say about X?"), and a prefix
 * would give every question about one long document the same vector. Texts that differ only in the middle do
 * share a vector; the precision guard, which compares the full texts, keeps them apart. The text is first cut
 * by characters ({@link #CHARS_PER_TOKEN} per token at most) so the tokenizer never reads more than a bounded
 * window, and that work runs on a worker.
 */
final class CappedEmbedder implements TextEmbedder {
  /** Characters read per token of cap at each end: generous (an o200k token averages about four). */
  static final int CHARS_PER_TOKEN = 16;
  /** Tokens kept for the separator and for merges where the two ends meet. */
  private static final int JOIN = 2;

  private final Vertx vertx;
  private final TextEmbedder embedder;
  private final int maxTokens;

  CappedEmbedder(Vertx vertx, TextEmbedder embedder, int maxTokens) {
    if (maxTokens < 8) throw new IllegalArgumentException("an embedding cap is at least 8 tokens, got " + maxTokens);
    this.vertx = vertx;
    this.embedder = embedder;
    this.maxTokens = maxTokens;
  }

  @Override
  public Future<float[]> embed(String text) {
    // A token holds at least one character: a text no longer than the cap is within it.
    if (text.length() <= maxTokens) return embedder.embed(text);
    return vertx.executeBlocking(() -> cap(text, maxTokens), false).compose(embedder::embed);
  }

  /** {@code text} when it has at most {@code maxTokens} tokens, else its head and tail as described above. */
  static String cap(String text, int maxTokens) {
    long window = (long) maxTokens * CHARS_PER_TOKEN;
    if (text.length() <= 2 * window && TokenCounter.count(text) <= maxTokens) return text;
    int head = (maxTokens - JOIN) / 2;
    int tail = maxTokens - JOIN - head;
    String start = text.substring(0, (int) Math.min(text.length(), window));
    String end = text.substring((int) Math.max(0, text.length() - window));
    return TokenCounter.head(start, head) + "\n" + TokenCounter.tail(end, tail);
  }
}
