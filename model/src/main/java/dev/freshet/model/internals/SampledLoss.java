package dev.freshet.model.internals;

import dev.freshet.model.LossType;
import java.util.Map;

/**
 * The sampled output layer: scores {@code s(x) = [1, u]·[b_x, w_x]} for each example's target and
 * negatives, and one of two objectives, averaged over the batch.
 *
 * <ul>
 *   <li>NCE (Gutmann &amp; Hyvärinen 2010; Mnih &amp; Teh 2012): with {@code s'(x) = s(x) - log(k
 *       q(x))}, {@code loss = softplus(-s'(t)) + Σ_j softplus(s'(n_j))}.
 *   <li>Sampled softmax (Bengio &amp; Senécal 2008; Jean et al. 2015): with {@code z(x) = s(x) -
 *       log q(x)}, {@code loss = logsumexp(z(t), z(n_1..k)) - z(t)}.
 * </ul>
 *
 * Negatives whose {@code keep} flag is false (accidental hits) are left out. Math is in double.
 */
public final class SampledLoss {
  private SampledLoss() {}

  /**
   * Computes the mean loss; adds {@code dLoss/du} into {@code dU} ({@code [B·U]}) and row gradients
   * into {@code rowGrads} (created on demand).
   *
   * @param u user representations {@code [B·U]}, row-major
   */
  public static double compute(
      LossType type,
      double[] u,
      int userDim,
      OutputBatch out,
      double[] dU,
      Map<Entry, double[]> rowGrads) {
    int n = out.targets.length;
    double total = 0;
    double scale = 1.0 / n;
    for (int b = 0; b < n; b++) {
      Entry[] negs = out.negatives[b];
      int k = negs.length;
      double[] logits = new double[k + 1];
      logits[0] = score(out.targets[b], u, b * userDim, userDim) - out.targetCorrection[b];
      for (int j = 0; j < k; j++) {
        logits[j + 1] = score(negs[j], u, b * userDim, userDim) - out.negativeCorrection[b][j];
      }
      double[] dLogit = new double[k + 1];
      if (type == LossType.NCE) {
        total += softplus(-logits[0]);
        dLogit[0] = sigmoid(logits[0]) - 1;
        for (int j = 0; j < k; j++) {
          if (out.keep[b][j]) {
            total += softplus(logits[j + 1]);
            dLogit[j + 1] = sigmoid(logits[j + 1]);
          }
        }
      } else {
        double max = logits[0];
        for (int j = 0; j < k; j++) {
          if (out.keep[b][j]) {
            max = Math.max(max, logits[j + 1]);
          }
        }
        double sum = Math.exp(logits[0] - max);
        for (int j = 0; j < k; j++) {
          if (out.keep[b][j]) {
            sum += Math.exp(logits[j + 1] - max);
          }
        }
        double lse = max + Math.log(sum);
        total += lse - logits[0];
        dLogit[0] = Math.exp(logits[0] - lse) - 1;
        for (int j = 0; j < k; j++) {
          if (out.keep[b][j]) {
            dLogit[j + 1] = Math.exp(logits[j + 1] - lse);
          }
        }
      }
      accumulate(out.targets[b], dLogit[0] * scale, u, b, userDim, dU, rowGrads);
      for (int j = 0; j < k; j++) {
        if (dLogit[j + 1] != 0) {
          accumulate(negs[j], dLogit[j + 1] * scale, u, b, userDim, dU, rowGrads);
        }
      }
    }
    assert Double.isFinite(total) : "non-finite loss";
    return total * scale;
  }

  /**
   * {@code row[0] + Σ row[1+j]·u[off+j]}: the inner product of {@code [b, w]} and {@code [1, u]}.
   */
  static double score(Entry row, double[] u, int off, int userDim) {
    double s = row.get(0);
    for (int j = 0; j < userDim; j++) {
      s += row.get(1 + j) * u[off + j];
    }
    return s;
  }

  /** {@link #score(Entry, double[], int, int)} of a row given as an array. */
  static double score(double[] row, double[] u, int off, int userDim) {
    double s = row[0];
    for (int j = 0; j < userDim; j++) {
      s += row[1 + j] * u[off + j];
    }
    return s;
  }

  private static void accumulate(
      Entry e, double ds, double[] u, int b, int userDim, double[] dU, Map<Entry, double[]> grads) {
    double[] g = grads.computeIfAbsent(e, x -> new double[userDim + 1]);
    int off = b * userDim;
    g[0] += ds;
    for (int j = 0; j < userDim; j++) {
      g[1 + j] += ds * u[off + j];
      dU[off + j] += ds * e.get(1 + j);
    }
  }

  static double softplus(double x) {
    return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
  }

  static double sigmoid(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }
}
