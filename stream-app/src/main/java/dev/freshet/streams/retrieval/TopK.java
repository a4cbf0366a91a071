package dev.freshet.streams.retrieval;

/**
 * A bounded min-heap of (ordinal, score) on primitive arrays that keeps the {@code k} best. Ties on
 * score prefer the smaller ordinal, so results are deterministic. Not thread-safe: one per query.
 */
final class TopK {

  private final int k;
  private final float[] scores;
  private final int[] ords;
  private int size;

  TopK(int k) {
    this.k = k;
    this.scores = new float[k];
    this.ords = new int[k];
  }

  /** The score an offer must beat to enter a full heap, or negative infinity while not full. */
  float threshold() {
    return size < k ? Float.NEGATIVE_INFINITY : scores[0];
  }

  /** Offers one candidate. */
  void offer(int ord, float score) {
    assert Float.isFinite(score) : "score of " + ord + " is " + score;
    if (size < k) {
      scores[size] = score;
      ords[size] = ord;
      siftUp(size++);
    } else if (worse(0, score, ord)) {
      scores[0] = score;
      ords[0] = ord;
      siftDown(0);
    }
  }

  int size() {
    return size;
  }

  /**
   * Empties the heap into {@code outOrds}/{@code outScores}, best first.
   *
   * @return the number of entries written
   */
  int drainBestFirst(int[] outOrds, float[] outScores) {
    int n = size;
    for (int i = n - 1; i >= 0; i--) {
      outOrds[i] = ords[0];
      outScores[i] = scores[0];
      size--;
      if (size > 0) {
        scores[0] = scores[size];
        ords[0] = ords[size];
        siftDown(0);
      }
    }
    return n;
  }

  /** Whether the entry at {@code i} is worse than (score, ord). */
  private boolean worse(int i, float score, int ord) {
    return scores[i] < score || (scores[i] == score && ords[i] > ord);
  }

  private boolean less(int i, int j) {
    return worse(i, scores[j], ords[j]);
  }

  private void siftUp(int i) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!less(i, parent)) {
        return;
      }
      swap(i, parent);
      i = parent;
    }
  }

  private void siftDown(int i) {
    while (true) {
      int l = 2 * i + 1;
      if (l >= size) {
        return;
      }
      int r = l + 1;
      int min = r < size && less(r, l) ? r : l;
      if (!less(min, i)) {
        return;
      }
      swap(i, min);
      i = min;
    }
  }

  private void swap(int i, int j) {
    float s = scores[i];
    scores[i] = scores[j];
    scores[j] = s;
    int o = ords[i];
    ords[i] = ords[j];
    ords[j] = o;
  }
}
