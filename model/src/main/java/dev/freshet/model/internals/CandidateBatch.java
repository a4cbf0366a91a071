package dev.freshet.model.internals;

import java.util.Objects;

/**
 * The output-layer side of a mini-batch for the batched softmax losses ({@link BatchedSoftmax}):
 * one candidate set shared by every example, scored against all users in one product.
 *
 * <p>Columns {@code [0, inBatchColumns)} hold the batch's own targets in example order (column
 * {@code b} is example {@code b}'s target); the columns after them are the other candidates
 * (negatives drawn once for the batch, or the whole catalogue). {@code positive[b]} is the column
 * of example {@code b}'s target. For example {@code b} a column {@code m != positive[b]} takes part
 * unless it is masked: a leading (in-batch) column when {@code inBatchNegatives} is false, or when
 * it holds the same item as the target; a later column when it holds the same item as the target
 * and {@code removeAccidentalHits} is set.
 */
public final class CandidateBatch {
  public final Entry[] candidates;
  public final double[] correction;
  public final int[] positive;
  public final int inBatchColumns;
  public final boolean inBatchNegatives;
  public final boolean removeAccidentalHits;

  /**
   * @param candidates the output rows of the columns
   * @param correction per column, subtracted from the score (logQ; 0 for the exact softmax)
   * @param positive per example, the column of its target
   * @param inBatchColumns leading columns that are the batch's targets ({@code 0} or the batch
   *     size)
   * @param inBatchNegatives whether the leading columns are negatives for the other examples
   * @param removeAccidentalHits whether later columns holding the target's item are masked
   */
  public CandidateBatch(
      Entry[] candidates,
      double[] correction,
      int[] positive,
      int inBatchColumns,
      boolean inBatchNegatives,
      boolean removeAccidentalHits) {
    this.candidates = Objects.requireNonNull(candidates, "candidates");
    this.correction = Objects.requireNonNull(correction, "correction");
    this.positive = Objects.requireNonNull(positive, "positive");
    if (correction.length != candidates.length) {
      throw new IllegalArgumentException(
          "correction has " + correction.length + " values for " + candidates.length + " columns");
    }
    if (inBatchColumns != 0 && inBatchColumns != positive.length) {
      throw new IllegalArgumentException(
          "inBatchColumns must be 0 or the batch size "
              + positive.length
              + ", was "
              + inBatchColumns);
    }
    for (int p : positive) {
      if (p < 0 || p >= candidates.length) {
        throw new IllegalArgumentException(
            "positive column " + p + " outside [0, " + candidates.length + ")");
      }
    }
    this.inBatchColumns = inBatchColumns;
    this.inBatchNegatives = inBatchNegatives;
    this.removeAccidentalHits = removeAccidentalHits;
  }

  /** Whether column {@code m} takes part in example {@code b}'s softmax. */
  boolean active(int b, int m) {
    int p = positive[b];
    if (m == p) {
      return true;
    }
    boolean sameItem = candidates[m] == candidates[p];
    if (m < inBatchColumns) {
      return inBatchNegatives && !sameItem;
    }
    return !(removeAccidentalHits && sameItem);
  }
}
