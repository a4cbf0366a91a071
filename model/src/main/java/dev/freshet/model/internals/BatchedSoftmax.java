package dev.freshet.model.internals;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Softmax cross-entropy of every example of a mini-batch against one shared candidate set, as three
 * gemms: logits {@code Z = [1, u]·Cᵀ} ({@code [B, M]}), then {@code dU = dZ·C} and {@code dC =
 * dZᵀ·[1, u]}. With {@code M} = a few hundred sampled negatives plus the batch's targets this is
 * sampled softmax with many negatives for the price of a gemm (Jean et al. 2015; in-batch negatives
 * with logQ correction as in Yi et al. 2019, "Sampling-Bias-Corrected Neural Modeling for Large
 * Corpus Item Recommendations"); with {@code M} = the whole catalogue and no correction it is the
 * exact softmax.
 *
 * <p>Per example {@code b}: {@code z_m = s_m - correction_m} over the columns active for {@code b}
 * ({@link CandidateBatch#active}), {@code loss_b = logsumexp_m z_m - z_positive}; the result is the
 * mean over the batch. The softmax itself is computed in double; the gemms run in the model's
 * precision.
 */
public final class BatchedSoftmax {
  private BatchedSoftmax() {}

  /**
   * Computes the mean loss; adds {@code dLoss/du} into {@code dU} ({@code [B·U]}) and row gradients
   * into {@code rowGrads} (created on demand; a row appearing in several columns gets the sum).
   *
   * @param u user representations {@code [B·U]}, row-major
   * @param unitItems whether a candidate's vector is {@code [b, w/|w|]} (cosine scores) instead of
   *     its row {@code [b, w]}; its gradient is then with respect to that vector
   */
  public static double compute(
      double[] u,
      int userDim,
      CandidateBatch out,
      boolean unitItems,
      DataType dt,
      Scratch scratch,
      double[] dU,
      Map<Entry, double[]> rowGrads) {
    int n = out.positive.length;
    int m = out.candidates.length;
    int d = userDim + 1;
    if (u.length != n * userDim || dU.length != n * userDim) {
      throw new IllegalArgumentException(
          "u and dU must have "
              + n
              + "x"
              + userDim
              + " values, were "
              + u.length
              + ", "
              + dU.length);
    }
    INDArray users = Scratch.take(scratch, "softmax.u", dt, n, d);
    Buf ub = new Buf(users);
    for (int b = 0; b < n; b++) {
      ub.set(b * d, 1);
      for (int j = 0; j < userDim; j++) {
        ub.set(b * d + 1 + j, u[b * userDim + j]);
      }
    }
    INDArray cand = Scratch.take(scratch, "softmax.c", dt, m, d);
    Buf cb = new Buf(cand);
    for (int c = 0; c < m; c++) {
      if (unitItems) {
        CosineScores.writeItem(out.candidates[c], cb, c * d);
      } else {
        out.candidates[c].writeTo(cb, c * d);
      }
    }
    INDArray z = Tensors.gemm(users, cand, false, true, scratch, "softmax.z");
    Buf zb = new Buf(z);
    double scale = 1.0 / n;
    double total = 0;
    double[] row = new double[m];
    for (int b = 0; b < n; b++) {
      int o = b * m;
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < m; c++) {
        if (out.active(b, c)) {
          row[c] = zb.get(o + c) - out.correction[c];
          max = Math.max(max, row[c]);
        } else {
          row[c] = Double.NaN;
        }
      }
      double sum = 0;
      for (int c = 0; c < m; c++) {
        if (!Double.isNaN(row[c])) {
          sum += Math.exp(row[c] - max);
        }
      }
      double lse = max + Math.log(sum);
      int p = out.positive[b];
      total += lse - row[p];
      for (int c = 0; c < m; c++) {
        double g = Double.isNaN(row[c]) ? 0 : Math.exp(row[c] - lse);
        if (c == p) {
          g -= 1;
        }
        zb.set(o + c, g * scale);
      }
    }
    INDArray dUsers = Tensors.gemm(z, cand, false, false, scratch, "softmax.du");
    Buf dub = new Buf(dUsers);
    for (int b = 0; b < n; b++) {
      for (int j = 0; j < userDim; j++) {
        dU[b * userDim + j] += dub.get(b * d + 1 + j);
      }
    }
    INDArray dCand = Tensors.gemm(z, users, true, false, scratch, "softmax.dc");
    Buf dcb = new Buf(dCand);
    for (int c = 0; c < m; c++) {
      double[] g = rowGrads.computeIfAbsent(out.candidates[c], x -> new double[d]);
      for (int j = 0; j < d; j++) {
        g[j] += dcb.get(c * d + j);
      }
    }
    assert Double.isFinite(total) : "non-finite loss";
    return total * scale;
  }
}
