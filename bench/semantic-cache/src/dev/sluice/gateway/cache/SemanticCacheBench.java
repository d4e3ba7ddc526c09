package dev.sluice.gateway.cache;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Replays QQP pairs through Sluice's semantic-cache parts (the same embedder, index and guard the gateway
 * uses): store every {@code a}, look up every {@code b}, score the top accepted hit. A hit on another pair's
 * {@code a} is wrong unless the two texts are labelled duplicates somewhere in the file.
 *
 * <p>Arguments: {@code <file> <pairs> <model: q|full> <fill-to entries> [guard maxNewTerms]}.
 */
public final class SemanticCacheBench {
  record Pair(String a, String b, boolean dup) {}


  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int limit = Integer.parseInt(args[1]);
    boolean full = args[2].equals("full");
    int fillTo = Integer.parseInt(args[3]);
    List<Pair> pairs = read(file, Integer.MAX_VALUE);
    Set<String> dupPairs = new HashSet<>();
    for (Pair p : pairs) if (p.dup()) dupPairs.add(norm(p.a()) + "\u0000" + norm(p.b()));
    List<Pair> used = pairs.subList(0, Math.min(limit, pairs.size()));
    var model = full ? new AllMiniLmL6V2EmbeddingModel() : new AllMiniLmL6V2QuantizedEmbeddingModel();
    LocalEmbedder embedder = new LocalEmbedder(null, () -> model);
    embedder.embedNow("warm up the model");
    long t0 = System.nanoTime();
    String tag = file.getFileName().toString().replace(".jsonl.gz", "") + "-" + (full ? "full" : "q");
    Path cacheDir = Path.of("bench/semantic-cache/target");
    float[][] allA = VectorFile.load(cacheDir.resolve(tag + "-a.vec"), embedder, pairs.stream().map(Pair::a).toList());
    float[][] allB = VectorFile.load(cacheDir.resolve(tag + "-b.vec"), embedder, pairs.stream().map(Pair::b).toList());
    float[][] av = Arrays.copyOf(allA, used.size());
    float[][] bv = Arrays.copyOf(allB, used.size());
    double embedMs = (System.nanoTime() - t0) / 1e6 / (2.0 * pairs.size());
    VectorIndex index = VectorIndex.create(384);
    for (int i = 0; i < used.size(); i++) index.add(i, av[i]);
    // Filler entries (other pairs' texts, never scored as right) bring the index to the size measured.
    // The rest of this half first, then the other half's texts when more are needed (arg 6: its file).
    // Their vectors come from the same cached files as the replay's (VectorFile).
    List<String> poolTexts = new ArrayList<>();
    List<float[]> poolVectors = new ArrayList<>();
    for (int i = used.size(); i < pairs.size(); i++) {
      poolTexts.add(pairs.get(i).a());
      poolVectors.add(allA[i]);
      poolTexts.add(pairs.get(i).b());
      poolVectors.add(allB[i]);
    }
    if (args.length > 5 && used.size() + poolTexts.size() < fillTo) {
      List<Pair> other = read(Path.of(args[5]), Integer.MAX_VALUE);
      String otherTag = Path.of(args[5]).getFileName().toString().replace(".jsonl.gz", "") + "-" + (full ? "full" : "q");
      float[][] oa = VectorFile.load(cacheDir.resolve(otherTag + "-a.vec"), embedder, other.stream().map(Pair::a).toList());
      float[][] ob = VectorFile.load(cacheDir.resolve(otherTag + "-b.vec"), embedder, other.stream().map(Pair::b).toList());
      for (int i = 0; i < other.size(); i++) {
        poolTexts.add(other.get(i).a());
        poolVectors.add(oa[i]);
        poolTexts.add(other.get(i).b());
        poolVectors.add(ob[i]);
      }
    }
    int fillCount = Math.max(0, Math.min(poolTexts.size(), fillTo - used.size()));
    List<String> filler = poolTexts.subList(0, fillCount);
    float[][] fv = poolVectors.subList(0, fillCount).toArray(new float[0][]);
    for (int i = 0; i < fv.length; i++) index.add(1_000_000L + i, fv[i]);
    System.out.printf(Locale.ROOT, "model=%s pairs=%d duplicates=%d index=%d embed(mean)=%.2fms%n",
        full ? "full" : "quantized", used.size(), used.stream().filter(Pair::dup).count(), index.size(), embedMs);

    // Latency: embed + search, one lookup at a time, as the gateway does it.
    long[] lat = new long[Math.min(2000, used.size())];
    for (int i = 0; i < lat.length; i++) {
      long s = System.nanoTime();
      index.nearest(embedder.embedNow(used.get(i).b()), SemanticCache.CANDIDATES);
      lat[i] = System.nanoTime() - s;
    }
    Arrays.sort(lat);
    long[] searchOnly = new long[lat.length];
    for (int i = 0; i < lat.length; i++) {
      long s = System.nanoTime();
      index.nearest(bv[i], SemanticCache.CANDIDATES);
      searchOnly[i] = System.nanoTime() - s;
    }
    Arrays.sort(searchOnly);
    System.gc();
    Runtime rt = Runtime.getRuntime();
    System.out.printf(Locale.ROOT, "latency embed+search p50=%.2fms p99=%.2fms (search alone p50=%.3fms p99=%.3fms);"
        + " heap used=%dMB rss=%s%n", lat[lat.length / 2] / 1e6, lat[lat.length * 99 / 100] / 1e6,
        searchOnly[searchOnly.length / 2] / 1e6, searchOnly[searchOnly.length * 99 / 100] / 1e6,
        (rt.totalMemory() - rt.freeMemory()) >> 20, rss());

    List<List<VectorIndex.Candidate>> found = new ArrayList<>();
    for (float[] v : bv) found.add(index.nearest(v, SemanticCache.CANDIDATES));
    long duplicates = used.stream().filter(Pair::dup).count();
    // Exact-match baseline: the normalised texts are equal.
    score("exact-match", used, dupPairs, duplicates, i -> norm(used.get(i).a()).equals(norm(used.get(i).b())) ? i : -1);
    double[] thresholds = {0.80, 0.85, 0.90, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99};
    for (String g : (args.length > 4 ? args[4] : "0").split(",")) {
      String[] gs = g.split(":");
      int words = gs.length > 1 ? Integer.parseInt(gs[1]) : Integer.MAX_VALUE;
      PrecisionGuard guard = new PrecisionGuard(Integer.parseInt(gs[0]), words);
      System.out.println("guard: at most " + gs[0] + " content words, " + (gs.length > 1 ? gs[1] : "any")
          + " other words in one question only");
      for (double t : thresholds) {
        score(String.format(Locale.ROOT, "threshold %.2f", t), used, dupPairs, duplicates, i -> {
          List<VectorIndex.Candidate> c = found.get(i);
          return !c.isEmpty() && c.get(0).score() >= t ? (int) c.get(0).id() : -1;
        });
        score(String.format(Locale.ROOT, "threshold %.2f + guard", t), used, dupPairs, duplicates, i -> {
          for (VectorIndex.Candidate c : found.get(i)) {
            if (c.score() < t) break;
            String text = c.id() >= 1_000_000L ? filler.get((int) (c.id() - 1_000_000L)) : used.get((int) c.id()).a();
            if (guard.accepts(used.get(i).b(), text)) return (int) c.id();
          }
          return -1;
        });
      }
    }
    // The gateway's defaults: cache.semantic.threshold and the guard as PrecisionGuard.tuned() sets it.
    double t = dev.sluice.gateway.config.CacheConfig.DISABLED.semantic().threshold();
    PrecisionGuard tuned = PrecisionGuard.tuned();
    score(String.format(Locale.ROOT, "DEFAULT %.2f + tuned", t), used, dupPairs, duplicates, i -> {
      for (VectorIndex.Candidate c : found.get(i)) {
        if (c.score() < t) break;
        String text = c.id() >= 1_000_000L ? filler.get((int) (c.id() - 1_000_000L)) : used.get((int) c.id()).a();
        if (tuned.accepts(used.get(i).b(), text)) return (int) c.id();
      }
      return -1;
    });
    String dump = System.getenv("BENCH_DUMP");
    if (dump != null) dump(Path.of(dump), used, found, dupPairs, new PrecisionGuard(0), 0.90);
  }

  /** Every guarded hit at or above {@code t}: right or wrong, its score, the query and the entry's text. */
  static void dump(Path out, List<Pair> used, List<List<VectorIndex.Candidate>> found, Set<String> dupPairs,
                   PrecisionGuard guard, double t) throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < used.size(); i++) {
      for (VectorIndex.Candidate c : found.get(i)) {
        if (c.score() < t || c.id() >= used.size()) break;
        String text = used.get((int) c.id()).a();
        if (!guard.accepts(used.get(i).b(), text)) continue;
        lines.add(String.format(Locale.ROOT, "%s\t%.4f\t%s\t%s\t%s", right(used, dupPairs, i, (int) c.id()) ? "R" : "W",
            c.score(), c.id() == i ? "own" : "cross", used.get(i).b(), text));
        break;
      }
    }
    Files.write(out, lines);
  }

  static boolean right(List<Pair> used, Set<String> dupPairs, int i, int j) {
    if (j == i) return used.get(i).dup();
    if (j >= used.size()) return false;
    String a = norm(used.get(j).a());
    String b = norm(used.get(i).b());
    return a.equals(b) || dupPairs.contains(a + "\u0000" + b) || dupPairs.contains(b + "\u0000" + a);
  }

  interface Lookup {
    int hit(int query);
  }

  static void score(String name, List<Pair> used, Set<String> dupPairs, long duplicates, Lookup lookup) {
    long hits = 0;
    long right = 0;
    long cross = 0;
    for (int i = 0; i < used.size(); i++) {
      int j = lookup.hit(i);
      if (j < 0) continue;
      hits++;
      if (j == i) {
        if (used.get(i).dup()) right++;
      } else if (j < used.size()) {
        cross++;
        String a = norm(used.get(j).a());
        String b = norm(used.get(i).b());
        // Another pair's entry: right only when labelled duplicates somewhere, or the very same text.
        if (a.equals(b) || dupPairs.contains(a + "\u0000" + b) || dupPairs.contains(b + "\u0000" + a)) right++;
      } else {
        cross++;
      }
    }
    double p = hits == 0 ? 0 : (double) right / hits;
    double[] ci = wilson(right, hits);
    System.out.printf(Locale.ROOT, "%-24s hit rate %.3f  precision %.3f [%.3f, %.3f]  recall %.3f  (hits %d, on other pairs %d)%n",
        name, (double) hits / used.size(), p, ci[0], ci[1], (double) right / duplicates, hits, cross);
  }

  static double[] wilson(long k, long n) {
    if (n == 0) return new double[] {0, 0};
    double z = 1.96;
    double p = (double) k / n;
    double d = 1 + z * z / n;
    double c = (p + z * z / (2 * n)) / d;
    double h = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / d;
    return new double[] {c - h, c + h};
  }

  static String norm(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").trim();
  }

  static String rss() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) return (Long.parseLong(line.replaceAll("\\D", "")) >> 10) + "MB";
    }
    return "?";
  }

  static List<Pair> read(Path file, int limit) throws Exception {
    List<Pair> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
        StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null && out.size() < limit; ) {
        JsonObject o = new JsonObject(line);
        out.add(new Pair(o.getString("a"), o.getString("b"), o.getBoolean("duplicate")));
      }
    }
    return out;
  }
}
