package dev.freshet.streams.retrieval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Seeded item and query vectors shaped like trained output rows: a low-rank Gaussian direction plus
 * noise, scaled per item by a log-normal factor (popular items have larger norms), with a bias in
 * front; queries are {@code [1, u]} from the same latent space.
 */
final class SyntheticVectors {

  static final int DIM = 32;
  private static final int RANK = 8;

  private final Random random;
  private final float[][] basis;

  SyntheticVectors(long seed) {
    this.random = new Random(seed);
    this.basis = new float[DIM - 1][RANK];
    for (float[] row : basis) {
      for (int j = 0; j < RANK; j++) {
        row[j] = (float) (random.nextGaussian() / Math.sqrt(RANK));
      }
    }
  }

  float[] item() {
    float[] w = latent(0.3);
    float scale = (float) Math.exp(0.5 * random.nextGaussian());
    float[] v = new float[DIM];
    v[0] = (float) (0.5 * random.nextGaussian());
    for (int i = 1; i < DIM; i++) {
      v[i] = scale * w[i - 1];
    }
    return v;
  }

  float[] query() {
    float[] u = latent(0.3);
    float[] q = new float[DIM];
    q[0] = 1f;
    System.arraycopy(u, 0, q, 1, DIM - 1);
    return q;
  }

  float[] items(int n) {
    float[] rows = new float[n * DIM];
    for (int r = 0; r < n; r++) {
      System.arraycopy(item(), 0, rows, r * DIM, DIM);
    }
    return rows;
  }

  private float[] latent(double noise) {
    double[] z = new double[RANK];
    for (int j = 0; j < RANK; j++) {
      z[j] = random.nextGaussian();
    }
    float[] w = new float[DIM - 1];
    for (int i = 0; i < DIM - 1; i++) {
      double s = 0;
      for (int j = 0; j < RANK; j++) {
        s += basis[i][j] * z[j];
      }
      w[i] = (float) (s + noise * random.nextGaussian());
    }
    return w;
  }

  static List<String> ids(String prefix, int n) {
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add(prefix + i);
    }
    return ids;
  }

  static float[] row(float[] rows, int r) {
    float[] v = new float[DIM];
    System.arraycopy(rows, r * DIM, v, 0, DIM);
    return v;
  }

  /** Mean over queries of |approx ∩ exact| / k. */
  static double recall(ItemIndex approx, ItemIndex exact, List<float[]> queries, int k) {
    double sum = 0;
    for (float[] q : queries) {
      Set<String> truth = new HashSet<>();
      exact.topK(q, k).forEach(s -> truth.add(s.itemId()));
      long hit = approx.topK(q, k).stream().filter(s -> truth.contains(s.itemId())).count();
      sum += (double) hit / Math.min(k, truth.size());
    }
    return sum / queries.size();
  }

  List<float[]> queries(int n) {
    List<float[]> qs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      qs.add(query());
    }
    return qs;
  }
}
