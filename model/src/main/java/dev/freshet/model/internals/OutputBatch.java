package dev.freshet.model.internals;

/**
 * The output-layer side of a training batch: per example the target's output row, the sampled
 * negatives' output rows, the logit corrections ({@code log(k·q)} for NCE, {@code log q} for
 * sampled softmax) and which negatives take part (accidental hits may be dropped).
 */
public final class OutputBatch {
  public final Entry[] targets;
  public final Entry[][] negatives;
  public final double[] targetCorrection;
  public final double[][] negativeCorrection;
  public final boolean[][] keep;

  public OutputBatch(
      Entry[] targets,
      Entry[][] negatives,
      double[] targetCorrection,
      double[][] negativeCorrection,
      boolean[][] keep) {
    int n = targets.length;
    if (negatives.length != n
        || targetCorrection.length != n
        || negativeCorrection.length != n
        || keep.length != n) {
      throw new IllegalArgumentException("output batch arrays must all have length " + n);
    }
    this.targets = targets;
    this.negatives = negatives;
    this.targetCorrection = targetCorrection;
    this.negativeCorrection = negativeCorrection;
    this.keep = keep;
  }
}
