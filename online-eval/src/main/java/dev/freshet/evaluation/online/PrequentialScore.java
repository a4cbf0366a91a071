package dev.freshet.evaluation.online;

/**
 * HR@K and NDCG@K of one recommender over the clicks it was judged on. One relevant item per click:
 * a hit at 0-based rank {@code r} gains {@code 1 / log2(r + 2)}, a miss 0. Not thread-safe.
 */
public final class PrequentialScore {

  private long judged;
  private long hits;
  private double gain;

  /** Records one judged click: the clicked item's 0-based rank in the list, or -1 (a miss). */
  public void record(int rank) {
    if (rank < -1) {
      throw new IllegalArgumentException("rank must be >= -1, was " + rank);
    }
    judged++;
    if (rank >= 0) {
      hits++;
      gain += 1.0 / (Math.log(rank + 2) / Math.log(2));
    }
  }

  /** Clicks judged. */
  public long judged() {
    return judged;
  }

  /** Hits. */
  public long hits() {
    return hits;
  }

  /** HR@K: hits / judged; 0 before the first click. */
  public double hitRatio() {
    return judged == 0 ? 0 : (double) hits / judged;
  }

  /** NDCG@K: mean gain over judged clicks; 0 before the first click. */
  public double ndcg() {
    return judged == 0 ? 0 : gain / judged;
  }
}
