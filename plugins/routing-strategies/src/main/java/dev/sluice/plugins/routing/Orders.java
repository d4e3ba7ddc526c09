package dev.sluice.plugins.routing;

import dev.sluice.api.routing.RouteCandidate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToDoubleFunction;

/** Shared ordering helpers: a weighted random permutation, and a sort whose ties fall in that permutation. */
final class Orders {
  private Orders() {}

  /**
   * A random permutation where each candidate comes first with probability weight / total weight (weighted
   * sampling without replacement, by the key {@code u^(1/w)}).
   */
  static <T extends RouteCandidate> List<T> weightedShuffle(List<T> candidates) {
    int n = candidates.size();
    if (n <= 1) return List.copyOf(candidates);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    double[] keys = new double[n];
    Integer[] index = new Integer[n];
    for (int i = 0; i < n; i++) {
      index[i] = i;
      keys[i] = Math.log(random.nextDouble(Double.MIN_VALUE, 1.0)) / Math.max(1, candidates.get(i).weight());
    }
    java.util.Arrays.sort(index, (a, b) -> Double.compare(keys[b], keys[a]));
    List<T> out = new ArrayList<>(n);
    for (Integer i : index) out.add(candidates.get(i));
    return out;
  }

  /**
   * Sorted by {@code score} (lower first); equal scores keep a weighted random order. Each candidate is scored
   * once: its live statistics move while they are read, and a sort whose keys change under it may throw.
   */
  static <T extends RouteCandidate> List<T> byScore(List<T> candidates, ToDoubleFunction<T> score) {
    List<T> shuffled = weightedShuffle(candidates);
    return sortedBy(shuffled, scores(shuffled, score));
  }

  /** Each candidate's score, read once. */
  static <T> double[] scores(List<T> candidates, ToDoubleFunction<T> score) {
    double[] out = new double[candidates.size()];
    for (int i = 0; i < out.length; i++) out[i] = score.applyAsDouble(candidates.get(i));
    return out;
  }

  /** {@code candidates} sorted by {@code scores} (lower first), ties in their given order. */
  static <T> List<T> sortedBy(List<T> candidates, double[] scores) {
    Integer[] index = new Integer[candidates.size()];
    for (int i = 0; i < index.length; i++) index[i] = i;
    java.util.Arrays.sort(index, (a, b) -> Double.compare(scores[a], scores[b])); // stable
    List<T> out = new ArrayList<>(index.length);
    for (Integer i : index) out.add(candidates.get(i));
    return out;
  }
}
