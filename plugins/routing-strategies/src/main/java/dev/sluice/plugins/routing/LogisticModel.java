package dev.sluice.plugins.routing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A logistic regression over standardized inputs, with the quantiles of the scores it gave its training data:
 * {@link #percentile} turns a raw score into the difficulty percentile the {@code DifficultyEstimator} contract
 * asks for. Trained by {@code bench/routing} and shipped as a small JSON resource (weights only, no data).
 */
record LogisticModel(String inputs, double[] mean, double[] scale, double[] weights, double bias,
                     double[] quantiles, JsonObject trainedOn) {

  double score(double[] x) {
    if (x.length != weights.length) {
      throw new IllegalArgumentException("expected " + weights.length + " inputs, got " + x.length);
    }
    double z = bias;
    for (int i = 0; i < x.length; i++) z += weights[i] * (x[i] - mean[i]) / scale[i];
    return z;
  }

  /** Where {@code score} falls among the training scores, 0 to 1, interpolated between quantiles. */
  double percentile(double score) {
    return percentile(quantiles, score);
  }

  static double percentile(double[] quantiles, double score) {
    int n = quantiles.length;
    if (score <= quantiles[0]) return 0;
    if (score >= quantiles[n - 1]) return 1;
    int i = Arrays.binarySearch(quantiles, score);
    if (i >= 0) {
      int j = i;
      while (j + 1 < n && quantiles[j + 1] == score) j++;
      return (i + j) / 2.0 / (n - 1);
    }
    int hi = -i - 1;
    int lo = hi - 1;
    double span = quantiles[hi] - quantiles[lo];
    double f = span == 0 ? 0.5 : (score - quantiles[lo]) / span;
    return (lo + f) / (n - 1);
  }

  /** {@code count + 1} evenly spaced quantiles of {@code scores} (sorted in place). */
  static double[] quantilesOf(double[] scores, int count) {
    Arrays.sort(scores);
    double[] q = new double[count + 1];
    for (int i = 0; i <= count; i++) q[i] = scores[(int) Math.round((double) i / count * (scores.length - 1))];
    return q;
  }

  JsonObject toJson() {
    return new JsonObject().put("inputs", inputs).put("trained_on", trainedOn).put("bias", bias)
        .put("weights", array(weights)).put("mean", array(mean)).put("scale", array(scale))
        .put("quantiles", array(quantiles));
  }

  static LogisticModel fromJson(JsonObject j) {
    return new LogisticModel(j.getString("inputs"), doubles(j.getJsonArray("mean")), doubles(j.getJsonArray("scale")),
        doubles(j.getJsonArray("weights")), j.getDouble("bias"), doubles(j.getJsonArray("quantiles")),
        j.getJsonObject("trained_on", new JsonObject()));
  }

  /** Loads {@code /difficulty/<name>.json} from this plugin's resources. */
  static LogisticModel resource(String name) {
    String path = "/difficulty/" + name + ".json";
    try (InputStream in = LogisticModel.class.getResourceAsStream(path)) {
      if (in == null) throw new IllegalStateException("missing resource " + path + " in the routing-strategies plugin");
      return fromJson(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonArray array(double[] v) {
    JsonArray a = new JsonArray();
    for (double d : v) a.add((float) d);
    return a;
  }

  private static double[] doubles(JsonArray a) {
    double[] v = new double[a.size()];
    for (int i = 0; i < v.length; i++) v[i] = a.getDouble(i);
    return v;
  }
}
