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

  /** The first {@code tokens} tokens of {@code text} (all of it when it has no more). */
  public static String head(String text, int tokens) {
    com.knuddels.jtokkit.api.IntArrayList all = Holder.O200K.encodeOrdinary(text);
    if (all.size() <= tokens) return text;
    return clean(Holder.O200K.decode(slice(all, 0, Math.max(0, tokens))));
  }

  /** The last {@code tokens} tokens of {@code text} (all of it when it has no more). */
  public static String tail(String text, int tokens) {
    com.knuddels.jtokkit.api.IntArrayList all = Holder.O200K.encodeOrdinary(text);
    if (all.size() <= tokens) return text;
    return clean(Holder.O200K.decode(slice(all, all.size() - Math.max(0, tokens), all.size())));
  }

  private static com.knuddels.jtokkit.api.IntArrayList slice(com.knuddels.jtokkit.api.IntArrayList all, int from,
                                                             int to) {
    com.knuddels.jtokkit.api.IntArrayList out = new com.knuddels.jtokkit.api.IntArrayList(to - from);
    for (int i = from; i < to; i++) out.add(all.get(i));
    return out;
  }

  /** A cut through a multi-byte character decodes to U+FFFD at an end: drop it. */
  private static String clean(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && s.charAt(from) == '\uFFFD') from++;
    while (to > from && s.charAt(to - 1) == '\uFFFD') to--;
    return s.substring(from, to);
  }

  /** A cheap estimate for admission (about four characters a token), no tokenizer involved. */
  public static int estimate(long chars) {
    return (int) Math.min(Integer.MAX_VALUE, (chars + 3) / 4);
  }
}
