package dev.freshet.streams.retrieval;

import java.util.Objects;

/**
 * The SIMPLE-LSH reduction of maximum inner product search to angular search (Neyshabur and Srebro,
 * ICML 2015), as the reference {@code youtube_recall} applies it to item vectors.
 *
 * <p>With {@code m >= max_i |v_i|}, an item becomes the unit vector {@code P(v) = [v/m ;
 * sqrt(1-|v/m|^2)]} and a query becomes {@code Q(q) = [q/|q| ; 0]}. Then {@code <P(v), Q(q)> = <v,
 * q> / (m |q|)}: for a fixed query the angular ranking of items equals their inner-product ranking,
 * for <em>every</em> admissible {@code m}. The indexes in this package rely on that: they link
 * items by {@link #itemSimilarity} (the cosine of transformed items, which depends on {@code m})
 * but score queries with the raw inner product, so a change of {@code m} never changes a ranking,
 * only how well the graph is shaped.
 */
public final class SimpleLsh {

  private SimpleLsh() {}

  /**
   * The transformed item {@code [v/m ; sqrt(1-|v/m|^2)]}, of length {@code v.length + 1} and unit
   * norm.
   *
   * @throws IllegalArgumentException if {@code m} is not positive and finite or {@code |v| > m}
   *     beyond float rounding
   */
  public static float[] transformItem(float[] v, float m) {
    Objects.requireNonNull(v, "v");
    if (!(m > 0f) || !Float.isFinite(m)) {
      throw new IllegalArgumentException("m must be positive and finite, got " + m);
    }
    float normSq = Vectors.normSq(v);
    if (normSq > m * m * (1f + 1e-5f)) {
      throw new IllegalArgumentException(
          "|v| = " + Math.sqrt(normSq) + " exceeds m = " + m + "; m must bound every item norm");
    }
    float[] out = new float[v.length + 1];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] / m;
    }
    out[v.length] = tail(normSq, m);
    return out;
  }

  /**
   * The transformed query {@code [q/|q| ; 0]} of length {@code q.length + 1}.
   *
   * @throws IllegalArgumentException if {@code q} is the zero vector
   */
  public static float[] transformQuery(float[] q) {
    Objects.requireNonNull(q, "q");
    float norm = (float) Math.sqrt(Vectors.normSq(q));
    if (!(norm > 0f)) {
      throw new IllegalArgumentException("the query must be non-zero, |q| = " + norm);
    }
    float[] out = new float[q.length + 1];
    for (int i = 0; i < q.length; i++) {
      out[i] = q[i] / norm;
    }
    return out;
  }

  /** The largest Euclidean norm among the first {@code count} rows of a row-major matrix. */
  public static float maxNorm(float[] rowMajor, int count, int dim) {
    Objects.requireNonNull(rowMajor, "rowMajor");
    if (count < 0 || dim < 1 || (long) count * dim > rowMajor.length) {
      throw new IllegalArgumentException(
          "matrix of length " + rowMajor.length + " has no " + count + " rows of dim " + dim);
    }
    float max = 0f;
    for (int r = 0; r < count; r++) {
      max = Math.max(max, Vectors.dot(rowMajor, r * dim, rowMajor, r * dim, dim));
    }
    return (float) Math.sqrt(max);
  }

  /**
   * The extra SIMPLE-LSH component {@code sqrt(1 - |v|^2/m^2)} of an item with squared norm {@code
   * normSq}, clamped at 0 against float rounding.
   */
  static float tail(float normSq, float m) {
    return (float) Math.sqrt(Math.max(0.0, 1.0 - (double) normSq / ((double) m * m)));
  }

  /**
   * The cosine of two transformed items, {@code <P(a), P(b)> = <a,b>/m^2 + tail(a) tail(b)},
   * computed from the raw dot product and the precomputed tails without materialising {@code P}.
   */
  static float itemSimilarity(float rawDot, float tailA, float tailB, float m) {
    return rawDot / (m * m) + tailA * tailB;
  }
}
