package dev.freshet.model.internals;

/**
 * Cosine scoring with a temperature ({@link dev.freshet.model.ModelConfig#temperature()}): the user
 * vector is {@code [1, u/(|u|·τ)]} and the item vector {@code [b_i, w_i/|w_i|]}, so an inner
 * product is {@code b_i + cos(u, w_i)/τ}. Bounding both norms takes away the model's cheapest way
 * to lower the softmax loss — growing the norms of popular items and of confident users — and
 * leaves the direction of {@code u} to carry the preference; {@code τ} sets how peaked the softmax
 * can get (Wang et al., "Understanding the Behaviour of Contrastive Loss", CVPR 2021; Wu et al.,
 * "On the Effectiveness of Sampled Softmax Loss for Item Recommendation", 2023).
 *
 * <p>The stored parameters stay unconstrained: a row {@code [b_i, w_i]} of any norm, and the linear
 * {@code u}. Normalisation is part of the function, so its gradient is the projection onto the
 * tangent space: for {@code v̂ = v/|v|}, {@code ∂L/∂v = (g − v̂(v̂·g))/|v|} with {@code g =
 * ∂L/∂v̂}. A zero vector has no direction; it is left at zero and passes no gradient.
 */
public final class CosineScores {
  private CosineScores() {}

  /**
   * Scales each of the {@code n} rows of {@code u} ({@code [n·dim]}, in place) to norm {@code 1/τ};
   * returns the original norms, which {@link #userBackward} needs.
   */
  static double[] normalizeUsers(double[] u, int n, int dim, double tau) {
    double[] norms = new double[n];
    for (int b = 0; b < n; b++) {
      double s = 0;
      for (int j = 0; j < dim; j++) {
        double x = u[b * dim + j];
        s += x * x;
      }
      double norm = Math.sqrt(s);
      norms[b] = norm;
      if (norm > 0) {
        double scale = 1.0 / (norm * tau);
        for (int j = 0; j < dim; j++) {
          u[b * dim + j] *= scale;
        }
      }
    }
    return norms;
  }

  /**
   * Turns {@code dU}, the loss gradient with respect to the scaled user vectors {@code uOut =
   * u/(|u|·τ)}, into the gradient with respect to the raw {@code u} (in place).
   */
  static void userBackward(double[] dU, double[] uOut, double[] norms, int n, int dim, double tau) {
    for (int b = 0; b < n; b++) {
      int o = b * dim;
      if (!(norms[b] > 0)) {
        java.util.Arrays.fill(dU, o, o + dim, 0);
        continue;
      }
      // With û = uOut·τ (unit length) and g = dL/duOut: dL/du = (g − û(û·g)) / (|u|·τ).
      double dot = 0;
      for (int j = 0; j < dim; j++) {
        dot += uOut[o + j] * tau * dU[o + j];
      }
      double scale = 1.0 / (norms[b] * tau);
      for (int j = 0; j < dim; j++) {
        dU[o + j] = (dU[o + j] - uOut[o + j] * tau * dot) * scale;
      }
    }
  }

  /** The norm of the weights {@code w_i} of an item row {@code [b_i, w_i]}. */
  static double weightNorm(Entry item) {
    int d = item.length();
    double s = 0;
    for (int j = 1; j < d; j++) {
      double x = item.get(j);
      s += x * x;
    }
    return Math.sqrt(s);
  }

  /** Writes the item vector {@code [b_i, w_i/|w_i|]} of a row into {@code dst} at {@code index}. */
  static void writeItem(Entry item, Buf dst, int index) {
    int d = item.length();
    double norm = weightNorm(item);
    double inv = norm > 0 ? 1.0 / norm : 0;
    dst.set(index, item.get(0));
    for (int j = 1; j < d; j++) {
      dst.set(index + j, item.get(j) * inv);
    }
  }

  /** The item vector {@code [b_i, w_i/|w_i|]} of a row, as floats. */
  public static float[] itemVector(Entry item) {
    int d = item.length();
    double norm = weightNorm(item);
    double inv = norm > 0 ? 1.0 / norm : 0;
    float[] out = new float[d];
    out[0] = (float) item.get(0);
    for (int j = 1; j < d; j++) {
      out[j] = (float) (item.get(j) * inv);
    }
    return out;
  }

  /**
   * Turns {@code g}, the loss gradient with respect to an item vector {@code [b_i, w_i/|w_i|]},
   * into the gradient with respect to the stored row {@code [b_i, w_i]} (in place; the bias passes
   * through).
   */
  static void itemBackward(Entry item, double[] g) {
    int d = item.length();
    double norm = weightNorm(item);
    if (!(norm > 0)) {
      java.util.Arrays.fill(g, 1, d, 0);
      return;
    }
    double dot = 0;
    for (int j = 1; j < d; j++) {
      dot += item.get(j) / norm * g[j];
    }
    for (int j = 1; j < d; j++) {
      g[j] = (g[j] - item.get(j) / norm * dot) / norm;
    }
  }
}
