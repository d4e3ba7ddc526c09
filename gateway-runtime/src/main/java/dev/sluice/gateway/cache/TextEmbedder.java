package dev.sluice.gateway.cache;

import io.vertx.core.Future;

/** Turns text into a unit vector, never on an event loop. */
interface TextEmbedder {
  Future<float[]> embed(String text);

  static float[] normalize(float[] v) {
    double norm = 0;
    for (float x : v) norm += x * x;
    if (norm == 0) return v;
    float inv = (float) (1 / Math.sqrt(norm));
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) out[i] = v[i] * inv;
    return out;
  }
}
