package dev.freshet.model;

import java.util.concurrent.atomic.LongAdder;

/**
 * Hits and misses of a {@link UserTower}'s per-item cache of LSTM input rows, to be shared by the
 * successive towers of one server so that the totals survive a tower being replaced. Thread-safe.
 */
public final class ProjectionCounters {
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  /** Window items whose input row was found in the cache. */
  public long hits() {
    return hits.sum();
  }

  /**
   * Window items whose input row had to be computed: never cached, evicted by another item, or
   * their row replaced by a newer snapshot since.
   */
  public long misses() {
    return misses.sum();
  }

  /** Adds one forward pass's counts. */
  public void add(long hit, long miss) {
    if (hit > 0) {
      hits.add(hit);
    }
    if (miss > 0) {
      misses.add(miss);
    }
  }
}
