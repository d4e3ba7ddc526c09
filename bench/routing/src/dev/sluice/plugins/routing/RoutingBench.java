package dev.sluice.plugins.routing;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

/**
 * bench/routing: how well each difficulty estimator spends strong-model calls, on RouteLLM's MMLU + GSM8K labels.
 * For every split it trains on the rest and reports on the held-out part: APGR (average performance gap
 * recovered over every share of strong calls) and the share of strong calls needed for 95% of the strong
 * model's accuracy, beside random and prompt-length baselines. With "write" it retrains the shipped models on
 * the fixed TRAIN split and writes them to the plugin's resources.
 */
public final class RoutingBench {
  record Row(String dataset, String subject, String prompt, boolean weak, boolean strong) {}

  interface Scorer {
    /** Scores of the rows in {@code test} after training on the rows in {@code train} (higher: route to strong). */
    double[] score(IntPredicate train, int[] test);
  }

  private static List<Row> rows;
  private static double[][] features;
  private static double[][] embeddings;
  private static double[][] hybrid;
  /** L2 strength of the logistic regressions (BENCH_LAMBDA). */
  private static final double LAMBDA = Double.parseDouble(System.getenv().getOrDefault("BENCH_LAMBDA", "0.3"));
  private static double[] label;

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    Path cache = Path.of(args[1]);
    boolean write = args.length > 2 && args[2].equals("write");
    Path resources = args.length > 3 ? Path.of(args[3]) : null;
    long t0 = System.nanoTime();
    rows = load(data);
    features = rows.stream().map(r -> TextFeatures.of(r.prompt())).toArray(double[][]::new);
    embeddings = embed(cache);
    hybrid = new double[rows.size()][];
    for (int i = 0; i < rows.size(); i++) hybrid[i] = HybridEstimator.inputs(features[i], embeddings[i]);
    // The gain of a strong call: 1 when only the strong model is right. Ranking by its probability is what
    // APGR rewards (a question both get right, or both get wrong, gains nothing from a strong call).
    label = labels(System.getenv().getOrDefault("BENCH_LABEL", "soft"));
    System.out.printf(Locale.ROOT, "%d prompts loaded, features and embeddings ready in %.0f s%n", rows.size(),
        (System.nanoTime() - t0) / 1e9);

    Map<String, Scorer> scorers = new LinkedHashMap<>();
    scorers.put("random", (train, test) -> {
      Random r = new Random(42);
      return Arrays.stream(test).mapToDouble(i -> r.nextDouble()).toArray();
    });
    scorers.put("length", (train, test) -> Arrays.stream(test).mapToDouble(i -> features[i][0]).toArray());
    scorers.put("features", (train, test) -> apply(fit(features, train, LAMBDA), features, test));
    scorers.put("embeddings", (train, test) -> apply(fit(embeddings, train, LAMBDA), embeddings, test));
    scorers.put("hybrid", (train, test) -> apply(fit(hybrid, train, LAMBDA), hybrid, test));

    List<String[]> splits = new ArrayList<>();
    List<Map<String, double[]>> results = new ArrayList<>();
    // Whole subjects held out: 5 folds of the 58 subjects (57 MMLU subjects and GSM8K), round robin by name.
    List<String> subjects = new ArrayList<>(new TreeSet<>(rows.stream().map(Row::subject).toList()));
    Map<String, double[]> folds = new LinkedHashMap<>();
    for (int f = 0; f < 5; f++) {
      int fold = f;
      IntPredicate held = i -> subjects.indexOf(rows.get(i).subject()) % 5 == fold;
      Map<String, double[]> r = evaluate(scorers, held.negate(), held);
      r.forEach((k, v) -> folds.merge(k, v, (a, b) -> new double[] {a[0] + b[0], a[1] + b[1]}));
    }
    folds.replaceAll((k, v) -> new double[] {v[0] / 5, v[1] / 5});
    splits.add(new String[] {"subjects held out (5 folds, mean)"});
    results.add(folds);
    IntPredicate mmlu = i -> rows.get(i).dataset().equals("mmlu");
    splits.add(new String[] {"GSM8K held out (trained on MMLU)"});
    results.add(evaluate(scorers, mmlu, mmlu.negate()));
    splits.add(new String[] {"MMLU held out (trained on GSM8K)"});
    results.add(evaluate(scorers, mmlu.negate(), mmlu));
    IntPredicate test = RoutingBench::inTestSplit;
    splits.add(new String[] {"fixed TEST split (trained on TRAIN: the shipped models)"});
    results.add(evaluate(scorers, test.negate(), test));

    System.out.println();
    System.out.println("| split | estimator | APGR | strong calls for 95% of strong accuracy |");
    System.out.println("|---|---|---|---|");
    for (int s = 0; s < splits.size(); s++) {
      for (var e : results.get(s).entrySet()) {
        System.out.printf(Locale.ROOT, "| %s | %s | %.3f | %s |%n", splits.get(s)[0], e.getKey(), e.getValue()[0],
            Double.isNaN(e.getValue()[1]) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * e.getValue()[1]));
      }
    }
    // The default estimator: the best mean APGR over the held-out splits (subjects, GSM8K, MMLU).
    String best = null;
    double bestApgr = -1;
    System.out.println();
    for (String name : scorers.keySet()) {
      double mean = (results.get(0).get(name)[0] + results.get(1).get(name)[0] + results.get(2).get(name)[0]) / 3;
      System.out.printf(Locale.ROOT, "mean APGR over the held-out splits: %-10s %.3f%n", name, mean);
      if (mean > bestApgr) {
        bestApgr = mean;
        best = name;
      }
    }
    System.out.println("winner on held-out splits (the default estimator): " + best
        + (best.equals("length") ? " - no learned estimator beats prompt length" : ""));
    if (write) {
      IntPredicate train = test.negate();
      JsonObject trainedOn = new JsonObject().put("data", "lm-sys/RouteLLM MMLU + GSM8K labels (GPT-4-1106 vs "
          + "Mixtral-8x7B), TRAIN split: every MMLU subject but those with hashCode % 5 == 0, every GSM8K prompt but "
          + "those with hashCode % 5 == 0").put("label", System.getenv().getOrDefault("BENCH_LABEL", "soft")).put("l2", LAMBDA)
          .put("rows", (int) IntStream.range(0, rows.size()).filter(train).count())
          .put("command", "bench/routing/run.sh write");
      write(resources, "features", fit(features, train, LAMBDA), features, train, "TextFeatures " + TextFeatures.NAMES,
          trainedOn);
      write(resources, "embeddings", fit(embeddings, train, LAMBDA), embeddings, train,
          "all-MiniLM-L6-v2 (quantized) embedding of the last user turn, first " + Prompts.EMBED_CHARS + " chars",
          trainedOn);
      write(resources, "hybrid", fit(hybrid, train, LAMBDA), hybrid, train, "TextFeatures then the MiniLM embedding",
          trainedOn);
      double[][] len = Arrays.stream(features).map(f -> new double[] {f[0]}).toArray(double[][]::new);
      double[] identity = {0, 1, 1, 0}; // mean, scale, weight, bias
      write(resources, "length", identity, len, train, "log(1 + characters of the last user turn)", trainedOn);
    }
  }

  /**
   * gain: 1 when only the strong model is right; soft: (strong - weak + 1) / 2, so a question only the weak model
   * gets right counts against a strong call; weak_fails: 1 when the weak model is wrong.
   */
  static double[] labels(String kind) {
    return rows.stream().mapToDouble(r -> switch (kind) {
      case "gain" -> r.strong() && !r.weak() ? 1 : 0;
      case "soft" -> ((r.strong() ? 1 : 0) - (r.weak() ? 1 : 0) + 1) / 2.0;
      case "weak_fails" -> r.weak() ? 0 : 1;
      default -> throw new IllegalArgumentException("BENCH_LABEL: gain, soft or weak_fails, not " + kind);
    }).toArray();
  }

  static boolean inTestSplit(int i) {
    Row r = rows.get(i);
    String key = r.dataset().equals("gsm8k") ? r.prompt() : r.subject();
    return Math.floorMod(key.hashCode(), 5) == 0;
  }

  private static Map<String, double[]> evaluate(Map<String, Scorer> scorers, IntPredicate train, IntPredicate held) {
    int[] test = IntStream.range(0, rows.size()).filter(held).toArray();
    Map<String, double[]> out = new LinkedHashMap<>();
    for (var e : scorers.entrySet()) {
      if (e.getKey().equals("random")) {
        double apgr = 0;
        double calls = 0;
        for (int seed = 0; seed < 20; seed++) {
          Random r = new Random(seed);
          double[] m = metrics(test, Arrays.stream(test).mapToDouble(i -> r.nextDouble()).toArray());
          apgr += m[0] / 20;
          calls += m[1] / 20;
        }
        out.put(e.getKey(), new double[] {apgr, calls});
      } else {
        out.put(e.getKey(), metrics(test, e.getValue().score(train, test)));
      }
    }
    return out;
  }

  /** {APGR, share of strong calls for 95% of the strong model's accuracy} when the highest scores go strong. */
  static double[] metrics(int[] test, double[] scores) {
    int n = test.length;
    Integer[] order = new Integer[n];
    Random tie = new Random(7);
    double[] jitter = new double[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
      jitter[i] = tie.nextDouble();
    }
    Arrays.sort(order, (a, b) -> scores[a] != scores[b] ? Double.compare(scores[b], scores[a])
        : Double.compare(jitter[a], jitter[b]));
    double weak = 0;
    double strong = 0;
    for (int i : test) {
      weak += rows.get(i).weak() ? 1 : 0;
      strong += rows.get(i).strong() ? 1 : 0;
    }
    double gap = strong - weak;
    double correct = weak;
    double sum = 0;
    double calls95 = Double.NaN;
    double prev = 0;
    for (int k = 0; k <= n; k++) {
      if (k > 0) {
        Row r = rows.get(test[order[k - 1]]);
        correct += (r.strong() ? 1 : 0) - (r.weak() ? 1 : 0);
      }
      double pgr = (correct - weak) / gap;
      if (k > 0) sum += (prev + pgr) / 2;
      prev = pgr;
      if (Double.isNaN(calls95) && correct >= 0.95 * strong) calls95 = (double) k / n;
    }
    return new double[] {sum / n, calls95};
  }

  /** Logistic regression, standardized inputs, L2 {@code lambda}, full-batch Adam; {mean.., scale.., w.., bias}. */
  static double[] fit(double[][] x, IntPredicate train, double lambda) {
    int[] idx = IntStream.range(0, x.length).filter(train).toArray();
    int d = x[0].length;
    double[] mean = new double[d];
    double[] scale = new double[d];
    for (int i : idx) for (int j = 0; j < d; j++) mean[j] += x[i][j] / idx.length;
    for (int i : idx) for (int j = 0; j < d; j++) scale[j] += Math.pow(x[i][j] - mean[j], 2) / idx.length;
    for (int j = 0; j < d; j++) scale[j] = Math.sqrt(scale[j]) + 1e-9;
    double[][] z = new double[idx.length][];
    for (int r = 0; r < idx.length; r++) {
      z[r] = new double[d];
      for (int j = 0; j < d; j++) z[r][j] = (x[idx[r]][j] - mean[j]) / scale[j];
    }
    double[] w = new double[d + 1];
    double[] m1 = new double[d + 1];
    double[] m2 = new double[d + 1];
    double lr = 0.05;
    for (int it = 1; it <= 300; it++) {
      double[] g = new double[d + 1];
      for (int r = 0; r < idx.length; r++) {
        double s = w[d];
        for (int j = 0; j < d; j++) s += w[j] * z[r][j];
        double err = 1 / (1 + Math.exp(-s)) - label[idx[r]];
        for (int j = 0; j < d; j++) g[j] += err * z[r][j];
        g[d] += err;
      }
      for (int j = 0; j <= d; j++) {
        double gj = g[j] / idx.length + (j < d ? lambda * w[j] : 0);
        m1[j] = 0.9 * m1[j] + 0.1 * gj;
        m2[j] = 0.999 * m2[j] + 0.001 * gj * gj;
        double mh = m1[j] / (1 - Math.pow(0.9, it));
        double vh = m2[j] / (1 - Math.pow(0.999, it));
        w[j] -= lr * mh / (Math.sqrt(vh) + 1e-8);
      }
    }
    double[] out = new double[3 * d + 1];
    System.arraycopy(mean, 0, out, 0, d);
    System.arraycopy(scale, 0, out, d, d);
    System.arraycopy(w, 0, out, 2 * d, d + 1);
    return out;
  }

  static double[] apply(double[] model, double[][] x, int[] rowsToScore) {
    LogisticModel m = model(model, x[0].length, new double[] {0, 1}, "", new JsonObject());
    return Arrays.stream(rowsToScore).mapToDouble(i -> m.score(x[i])).toArray();
  }

  private static LogisticModel model(double[] p, int d, double[] quantiles, String inputs, JsonObject trainedOn) {
    return new LogisticModel(inputs, Arrays.copyOfRange(p, 0, d), Arrays.copyOfRange(p, d, 2 * d),
        Arrays.copyOfRange(p, 2 * d, 3 * d), p[3 * d], quantiles, trainedOn);
  }

  private static void write(Path dir, String name, double[] params, double[][] x, IntPredicate train, String inputs,
                            JsonObject trainedOn) throws IOException {
    int d = x[0].length;
    LogisticModel m = model(params, d, new double[] {0, 1}, inputs, trainedOn);
    double[] scores = IntStream.range(0, x.length).filter(train).mapToDouble(i -> m.score(x[i])).toArray();
    LogisticModel shipped = model(params, d, LogisticModel.quantilesOf(scores, 100), inputs, trainedOn);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name + ".json"), shipped.toJson().encode() + "\n");
    System.out.println("wrote " + dir.resolve(name + ".json"));
  }

  private static List<Row> load(Path file) throws IOException {
    List<Row> out = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
        StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) continue;
        JsonObject j = new JsonObject(line);
        out.add(new Row(j.getString("dataset"), j.getString("subject"), j.getString("prompt"),
            j.getBoolean("weak_correct"), j.getBoolean("strong_correct")));
      }
    }
    return out;
  }

  /** The MiniLM embedding of every prompt (as the estimator embeds it), cached in {@code cache}. */
  private static double[][] embed(Path cache) throws Exception {
    int n = rows.size();
    double[][] out = new double[n][];
    if (Files.exists(cache)) {
      try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(cache)))) {
        if (in.readInt() == n) {
          int d = in.readInt();
          for (int i = 0; i < n; i++) {
            out[i] = new double[d];
            for (int j = 0; j < d; j++) out[i][j] = in.readFloat();
          }
          return out;
        }
      }
    }
    AllMiniLmL6V2QuantizedEmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();
    long t0 = System.nanoTime();
    int threads = Integer.parseInt(System.getenv().getOrDefault("BENCH_THREADS", "2"));
    java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
    new ForkJoinPool(threads).submit(() -> IntStream.range(0, n).parallel().forEach(i -> {
      String text = rows.get(i).prompt();
      if (text.length() > Prompts.EMBED_CHARS) text = text.substring(0, Prompts.EMBED_CHARS);
      float[] v = model.embed(text).content().vector();
      double norm = 0;
      for (float f : v) norm += f * f;
      norm = Math.sqrt(norm);
      double[] u = new double[v.length];
      for (int j = 0; j < v.length; j++) u[j] = v[j] / norm;
      out[i] = u;
      if (done.incrementAndGet() % 2000 == 0) System.out.printf("embedded %d/%d%n", done.get(), n);
    })).get();
    System.out.printf(Locale.ROOT, "embedded %d prompts in %.0f s (%d threads)%n", n, (System.nanoTime() - t0) / 1e9,
        threads);
    Files.createDirectories(cache.getParent());
    try (DataOutputStream o = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(cache)))) {
      o.writeInt(n);
      o.writeInt(out[0].length);
      for (double[] v : out) for (double f : v) o.writeFloat((float) f);
    }
    return out;
  }
}
