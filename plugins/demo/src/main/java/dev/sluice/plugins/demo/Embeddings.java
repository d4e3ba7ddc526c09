package dev.sluice.plugins.demo;

import java.util.List;
import java.util.Locale;

/**
 * Deterministic text vectors by feature hashing: each lower-cased word (plurals folded) and each pair of
 * neighbouring words adds a signed weight to one of {@code dimensions} buckets, function words count less, and
 * the vector is L2-normalised. Texts sharing words are therefore closer (by cosine) than unrelated ones, which
 * is what a semantic cache or a similarity demo needs.
 */
final class Embeddings {
  private static final double UNIGRAM = 1.0;
  private static final double FUNCTION_WORD = 0.25;
  private static final double BIGRAM = 0.5;

  private Embeddings() {}

  static float[] vector(String text, int dimensions, long seed) {
    double[] acc = new double[dimensions];
    List<String> words = Keywords.words(text);
    String previous = null;
    for (String w : words) {
      String word = fold(w.toLowerCase(Locale.ROOT));
      add(acc, Rng.hash(seed, word), Keywords.isContent(word) ? UNIGRAM : FUNCTION_WORD);
      if (previous != null) add(acc, Rng.hash(Rng.hash(seed, previous), word), BIGRAM);
      previous = word;
    }
    if (words.isEmpty()) add(acc, Rng.hash(seed, text.strip()), UNIGRAM);
    double norm = 0;
    for (double v : acc) norm += v * v;
    norm = Math.sqrt(norm);
    float[] out = new float[dimensions];
    for (int i = 0; i < dimensions; i++) out[i] = norm == 0 ? 0f : (float) (acc[i] / norm);
    return out;
  }

  private static void add(double[] acc, long h, double weight) {
    int bucket = (int) Math.floorMod(h, (long) acc.length);
    acc[bucket] += (h & (1L << 62)) == 0 ? weight : -weight;
  }

  /** Folds a regular plural onto its singular ("caches" and "cache" hash alike). */
  private static String fold(String word) {
    if (word.length() > 4 && word.endsWith("ies")) return word.substring(0, word.length() - 3) + "y";
    if (word.length() > 3 && word.endsWith("s") && !word.endsWith("ss") && !word.endsWith("us")) {
      return word.substring(0, word.length() - 1);
    }
    return word;
  }
}
