package dev.sluice.plugins.demo;

import java.util.List;

/**
 * A small deterministic generator (SplitMix64) and the FNV-1a hash that seeds it: the same conversation
 * always draws the same numbers. Not thread-safe; make one per answer.
 */
final class Rng {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  private long state;

  Rng(long seed) {
    this.state = seed;
  }

  static long hash(long h, String s) {
    if (s == null) return mix(h + 0x9e3779b97f4a7c15L);
    long x = h == 0 ? FNV_OFFSET : h;
    for (int i = 0; i < s.length(); i++) {
      x ^= s.charAt(i);
      x *= FNV_PRIME;
    }
    return mix(x ^ s.length());
  }

  static long hash(long h, long value) {
    return mix(h ^ mix(value + 0x632be59bd9b4e019L));
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  long nextLong() {
    state += 0x9e3779b97f4a7c15L;
    return mix(state);
  }

  /** A number from 0 (inclusive) to {@code bound} (exclusive). */
  int nextInt(int bound) {
    return (int) Math.floorMod(nextLong(), (long) bound);
  }

  /** A number from {@code min} to {@code max}, both inclusive. */
  int between(int min, int max) {
    return min + nextInt(max - min + 1);
  }

  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  boolean nextBoolean() {
    return nextLong() < 0;
  }

  <T> T pick(List<T> items) {
    return items.get(nextInt(items.size()));
  }

  /** A hex string of {@code length} characters, e.g. for ids. */
  String hex(int length) {
    StringBuilder sb = new StringBuilder(length);
    while (sb.length() < length) sb.append(Long.toHexString(nextLong() | Long.MIN_VALUE));
    return sb.substring(0, length);
  }
}
