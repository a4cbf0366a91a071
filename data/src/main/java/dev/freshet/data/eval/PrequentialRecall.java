package dev.freshet.data.eval;

import java.util.List;
import java.util.Objects;

/**
 * Prequential ("test, then train") recall of a live recommender: for each click, was the clicked
 * item among the top {@code k} recommended to that user just before it? Keeps the running recall
 * since the start and a windowed recall over the most recent {@code window} clicks, which shows
 * whether quality holds up as the data drifts.
 *
 * <p>The caller remembers each user's last recommendation list (in the stream app, a state store)
 * and calls {@link #record} when the user's next click arrives. A click for which nothing was
 * recommended yet (no list) counts as a miss, so cold starts are not hidden. Not thread-safe.
 */
public final class PrequentialRecall {

  private final int k;
  private final boolean[] recent;
  private long events;
  private long hits;
  private int windowHits;
  private int next;

  /**
   * An accumulator.
   *
   * @param k the cut-off, {@code >= 1}
   * @param window the number of recent clicks in {@link #windowedRecall()}, {@code >= 1}
   */
  public PrequentialRecall(int k, int window) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, was " + k);
    }
    if (window < 1) {
      throw new IllegalArgumentException("window must be >= 1, was " + window);
    }
    this.k = k;
    this.recent = new boolean[window];
  }

  /**
   * Records one click.
   *
   * @param clickedItem the item the user clicked
   * @param recommendedBefore the list recommended to the user before the click, best first, or null
   *     if none; only its first {@code k} entries count
   * @return whether it was a hit
   */
  public boolean record(String clickedItem, List<String> recommendedBefore) {
    Objects.requireNonNull(clickedItem, "clickedItem");
    boolean hit =
        recommendedBefore != null && Metrics.rankOf(recommendedBefore, clickedItem, k) >= 0;
    int slot = next;
    if (events >= recent.length && recent[slot]) {
      windowHits--;
    }
    recent[slot] = hit;
    if (hit) {
      windowHits++;
      hits++;
    }
    next = (slot + 1) % recent.length;
    events++;
    return hit;
  }

  /** The cut-off. */
  public int k() {
    return k;
  }

  /** Clicks recorded. */
  public long events() {
    return events;
  }

  /** Hits recorded. */
  public long hits() {
    return hits;
  }

  /** Hits / clicks since the start; 0 before the first click. */
  public double recall() {
    return events == 0 ? 0 : (double) hits / events;
  }

  /** Hits / clicks over the last {@code min(events, window)} clicks; 0 before the first click. */
  public double windowedRecall() {
    long n = Math.min(events, recent.length);
    return n == 0 ? 0 : (double) windowHits / n;
  }

  /** Clicks currently in the window. */
  public int windowEvents() {
    return (int) Math.min(events, recent.length);
  }
}
