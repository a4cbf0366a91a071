package dev.freshet.model;

import java.util.Objects;

/**
 * The SIMPLE-LSH transform (Neyshabur &amp; Srebro 2015) that reduces maximum inner product search
 * to cosine / nearest-neighbour search: items become {@code [v/m ; √(1 - |v/m|²)]} (unit norm),
 * users become {@code [u/|u| ; 0]}, where {@code m} is the largest item norm of the snapshot. Then
 * {@code cos(P(v), Q(u)) = v·u / (m |u|)}, which ranks items exactly like the inner product.
 */
public final class SimpleLsh {
  private final float maxNorm;

  private SimpleLsh(float maxNorm) {
    this.maxNorm = maxNorm;
  }

  /** Uses the largest item norm of {@code items} as {@code m} (1 for an all-zero snapshot). */
  public static SimpleLsh fit(ItemVectors items) {
    Objects.requireNonNull(items, "items");
    double m = 0;
    for (int i = 0; i < items.size(); i++) {
      m = Math.max(m, norm(items.vector(i)));
    }
    return new SimpleLsh(m > 0 ? (float) m : 1f);
  }

  /** Uses a given {@code m}, which must be positive. */
  public static SimpleLsh withMaxNorm(float maxNorm) {
    if (!(maxNorm > 0) || !Float.isFinite(maxNorm)) {
      throw new IllegalArgumentException("maxNorm must be finite and > 0 but was " + maxNorm);
    }
    return new SimpleLsh(maxNorm);
  }

  public float maxNorm() {
    return maxNorm;
  }

  /**
   * {@code [v/m ; √(1-|v/m|²)]}, one dimension longer than {@code v}. Norms above {@code m} (items
   * newer than the snapshot's {@code m}) are clamped: the last coordinate becomes 0.
   */
  public float[] transformItem(float[] v) {
    Objects.requireNonNull(v, "v");
    float[] out = new float[v.length + 1];
    double sq = 0;
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] / maxNorm;
      sq += (double) out[i] * out[i];
    }
    out[v.length] = (float) Math.sqrt(Math.max(0, 1 - sq));
    return out;
  }

  /** {@code [u/|u| ; 0]}; a zero vector stays zero. */
  public static float[] transformUser(float[] u) {
    Objects.requireNonNull(u, "u");
    double n = norm(u);
    float[] out = new float[u.length + 1];
    if (n > 0) {
      for (int i = 0; i < u.length; i++) {
        out[i] = (float) (u[i] / n);
      }
    }
    return out;
  }

  /** Every item of {@code items} transformed, same ids and order. */
  public ItemVectors transformItems(ItemVectors items) {
    int d = items.dim() + 1;
    float[] data = new float[items.size() * d];
    for (int i = 0; i < items.size(); i++) {
      System.arraycopy(transformItem(items.vector(i)), 0, data, i * d, d);
    }
    return new ItemVectors(items.ids(), data, d);
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }
}
