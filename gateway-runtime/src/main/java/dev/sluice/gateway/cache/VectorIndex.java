package dev.sluice.gateway.cache;

import com.github.jelmerk.hnswlib.core.DistanceFunctions;
import com.github.jelmerk.hnswlib.core.Item;
import com.github.jelmerk.hnswlib.core.SearchResult;
import com.github.jelmerk.hnswlib.core.hnsw.HnswIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Nearest neighbours by cosine (inner product of unit vectors) among the vectors of one bucket. A flat scan up
 * to {@link #FLAT_LIMIT} vectors; beyond, an HNSW graph (hnswlib), built once from the flat vectors. Not
 * thread-safe: the owner serialises access.
 */
abstract class VectorIndex {
  static final int FLAT_LIMIT = 8_192;

  record Candidate(long id, float score) {}

  abstract void add(long id, float[] unitVector);

  abstract void remove(long id);

  /** Up to {@code k} candidates, best first. */
  abstract List<Candidate> nearest(float[] unitVector, int k);

  abstract int size();

  /** A new, empty index: flat until it grows past {@link #FLAT_LIMIT}. */
  static VectorIndex create(int dimensions) {
    return new Growing(dimensions);
  }

  static float dot(float[] a, float[] b, int offset) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int n = a.length;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      s0 += a[i] * b[offset + i];
      s1 += a[i + 1] * b[offset + i + 1];
      s2 += a[i + 2] * b[offset + i + 2];
      s3 += a[i + 3] * b[offset + i + 3];
    }
    for (; i < n; i++) s0 += a[i] * b[offset + i];
    return s0 + s1 + s2 + s3;
  }

  /** Starts flat; moves its vectors into an HNSW graph once it outgrows the flat scan. */
  private static final class Growing extends VectorIndex {
    private final int dims;
    private VectorIndex current;

    Growing(int dims) {
      this.dims = dims;
      this.current = new Flat(dims);
    }

    @Override
    void add(long id, float[] v) {
      current.add(id, v);
      if (current instanceof Flat f && f.size() > FLAT_LIMIT) current = Hnsw.from(f, dims);
    }

    @Override
    void remove(long id) {
      current.remove(id);
    }

    @Override
    List<Candidate> nearest(float[] v, int k) {
      return current.nearest(v, k);
    }

    @Override
    int size() {
      return current.size();
    }
  }

  /** Vectors packed in one array; removal moves the last vector into the hole. */
  static final class Flat extends VectorIndex {
    private final int dims;
    private float[] data;
    private long[] ids;
    private int size;

    Flat(int dims) {
      this.dims = dims;
      this.data = new float[dims * 16];
      this.ids = new long[16];
    }

    @Override
    void add(long id, float[] v) {
      if (size == ids.length) {
        ids = Arrays.copyOf(ids, size * 2);
        data = Arrays.copyOf(data, size * 2 * dims);
      }
      System.arraycopy(v, 0, data, size * dims, dims);
      ids[size++] = id;
    }

    @Override
    void remove(long id) {
      for (int i = 0; i < size; i++) {
        if (ids[i] == id) {
          size--;
          ids[i] = ids[size];
          System.arraycopy(data, size * dims, data, i * dims, dims);
          return;
        }
      }
    }

    @Override
    List<Candidate> nearest(float[] v, int k) {
      long[] bestIds = new long[k];
      float[] best = new float[k];
      Arrays.fill(best, Float.NEGATIVE_INFINITY);
      for (int i = 0; i < size; i++) {
        float s = dot(v, data, i * dims);
        if (s <= best[k - 1]) continue;
        int j = k - 1;
        while (j > 0 && best[j - 1] < s) {
          best[j] = best[j - 1];
          bestIds[j] = bestIds[j - 1];
          j--;
        }
        best[j] = s;
        bestIds[j] = ids[i];
      }
      List<Candidate> out = new ArrayList<>(k);
      for (int j = 0; j < k && best[j] != Float.NEGATIVE_INFINITY; j++) out.add(new Candidate(bestIds[j], best[j]));
      return out;
    }

    @Override
    int size() {
      return size;
    }
  }

  private record Vec(Long id, float[] vector) implements Item<Long, float[]> {
    @Override
    public int dimensions() {
      return vector.length;
    }
  }

  /** hnswlib's graph: M 16, efConstruction 100, ef 64; grows by doubling. */
  static final class Hnsw extends VectorIndex {
    private final HnswIndex<Long, float[], Vec, Float> graph;

    Hnsw(int dims, int capacity) {
      this.graph = HnswIndex.newBuilder(dims, DistanceFunctions.FLOAT_INNER_PRODUCT, capacity)
          .withM(16).withEfConstruction(100).withEf(64).withRemoveEnabled().build();
    }

    static Hnsw from(Flat flat, int dims) {
      Hnsw h = new Hnsw(dims, Math.max(1024, flat.size * 2));
      for (int i = 0; i < flat.size; i++) {
        h.add(flat.ids[i], Arrays.copyOfRange(flat.data, i * dims, (i + 1) * dims));
      }
      return h;
    }

    @Override
    void add(long id, float[] v) {
      if (graph.size() >= graph.getMaxItemCount()) graph.resize(graph.getMaxItemCount() * 2);
      graph.add(new Vec(id, v));
    }

    @Override
    void remove(long id) {
      graph.remove(id, 0);
    }

    @Override
    List<Candidate> nearest(float[] v, int k) {
      List<SearchResult<Vec, Float>> found = graph.findNearest(v, k);
      List<Candidate> out = new ArrayList<>(found.size());
      for (SearchResult<Vec, Float> r : found) out.add(new Candidate(r.item().id(), 1f - r.distance()));
      return out;
    }

    @Override
    int size() {
      return graph.size();
    }
  }
}
