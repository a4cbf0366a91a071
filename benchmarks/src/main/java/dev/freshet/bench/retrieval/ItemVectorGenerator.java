package dev.freshet.bench.retrieval;

import java.util.SplittableRandom;

/**
 * Seeded {@code [b, w]} item vectors and {@code [1, u]} queries shaped like trained output rows: a
 * rank-8 Gaussian direction plus isotropic noise, each item scaled by a log-normal factor ({@code
 * exp(0.5 N(0,1))}: popular items have larger norms, max/median norm about 7 at 1M items), and a
 * Gaussian bias in front. Queries come from the same latent space. A scale spread of 0 gives items
 * with no norm spread beyond the latent's own (the worst case for the norm-bound scan).
 */
public final class ItemVectorGenerator {

  private static final int RANK = 8;
  private static final double NOISE = 0.3;

  private final int dim;
  private final SplittableRandom random;
  private final double[][] basis;
  private final double scaleSpread;

  public ItemVectorGenerator(int dim, long seed) {
    this(dim, seed, 0.5);
  }

  /**
   * @param scaleSpread standard deviation of the log of the per-item scale (0.5 by default)
   */
  public ItemVectorGenerator(int dim, long seed, double scaleSpread) {
    if (dim < 2) {
      throw new IllegalArgumentException("dim must be >= 2, got " + dim);
    }
    this.dim = dim;
    this.scaleSpread = scaleSpread;
    this.random = new SplittableRandom(seed);
    this.basis = new double[dim - 1][RANK];
    for (double[] row : basis) {
      for (int j = 0; j < RANK; j++) {
        row[j] = gaussian() / Math.sqrt(RANK);
      }
    }
  }

  /** {@code n} items, row-major. */
  public float[] items(int n) {
    float[] rows = new float[Math.multiplyExact(n, dim)];
    double[] w = new double[dim - 1];
    for (int r = 0; r < n; r++) {
      latent(w);
      double scale = Math.exp(scaleSpread * gaussian());
      int off = r * dim;
      rows[off] = (float) (0.5 * gaussian());
      for (int i = 1; i < dim; i++) {
        rows[off + i] = (float) (scale * w[i - 1]);
      }
    }
    return rows;
  }

  /** {@code n} queries {@code [1, u]}. */
  public float[][] queries(int n) {
    float[][] qs = new float[n][dim];
    double[] u = new double[dim - 1];
    for (float[] q : qs) {
      latent(u);
      q[0] = 1f;
      for (int i = 1; i < dim; i++) {
        q[i] = (float) u[i - 1];
      }
    }
    return qs;
  }

  private void latent(double[] out) {
    double[] z = new double[RANK];
    for (int j = 0; j < RANK; j++) {
      z[j] = gaussian();
    }
    for (int i = 0; i < out.length; i++) {
      double s = 0;
      for (int j = 0; j < RANK; j++) {
        s += basis[i][j] * z[j];
      }
      out[i] = s + NOISE * gaussian();
    }
  }

  /** Box-Muller; SplittableRandom has no nextGaussian on Java 17. */
  private double gaussian() {
    double u1 = random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2.0 * Math.PI * u2);
  }
}
