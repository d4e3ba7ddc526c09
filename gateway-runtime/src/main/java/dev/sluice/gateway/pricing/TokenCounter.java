package dev.sluice.gateway.pricing;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts tokens when an upstream reports no usage (o200k_base: a close estimate for current models of every
 * provider). CPU work: call it on a worker thread. The encoding loads once, lazily.
 */
public final class TokenCounter {
  private static final class Holder {
    static final Encoding O200K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }

  private TokenCounter() {}

  public static int count(String text) {
    return text == null || text.isEmpty() ? 0 : Holder.O200K.countTokensOrdinary(text);
  }

  /** A cheap estimate for admission (about four characters a token), no tokenizer involved. */
  public static int estimate(long chars) {
    return (int) Math.min(Integer.MAX_VALUE, (chars + 3) / 4);
  }
}
