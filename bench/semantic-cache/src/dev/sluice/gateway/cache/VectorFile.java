package dev.sluice.gateway.cache;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Embeddings of a list of texts, computed once and kept under bench/semantic-cache/target (never committed), so
 * that replays with other thresholds and verifiers do not embed 80,000 texts again.
 */
final class VectorFile {
  private VectorFile() {}

  static float[][] load(Path file, LocalEmbedder embedder, List<String> texts) throws Exception {
    if (Files.exists(file)) {
      try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
        int n = in.readInt();
        int d = in.readInt();
        if (n == texts.size()) {
          float[][] out = new float[n][d];
          for (float[] v : out) for (int i = 0; i < d; i++) v[i] = in.readFloat();
          return out;
        }
      }
    }
    float[][] out = new float[texts.size()][];
    IntStream.range(0, texts.size()).parallel().forEach(i -> out[i] = embedder.embedNow(texts.get(i)));
    try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20))) {
      o.writeInt(out.length);
      o.writeInt(out.length == 0 ? 0 : out[0].length);
      for (float[] v : out) for (float f : v) o.writeFloat(f);
    }
    return out;
  }
}
