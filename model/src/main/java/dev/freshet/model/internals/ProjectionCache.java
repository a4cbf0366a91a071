package dev.freshet.model.internals;

import dev.freshet.model.ProjectionCounters;

/**
 * Per-item LSTM input rows {@code b + x_item·W_x} of one tower (its weights fixed), so that an item
 * met again in any user's window costs a copy instead of a {@code [itemDim × 4·hidden]} product.
 *
 * <p>A slot is found by the item's key and holds the row array it was computed from; it serves only
 * while the entry still carries that very array. Rows are therefore never compared by value: a
 * source that replaces a changed row with a new array (as the serving parameters do for every
 * snapshot) invalidates the cached projection by doing so, and a source that modifies rows in place
 * must not be used with a cache (the training model's own tables do, and run without one).
 *
 * <p>Direct-mapped: one slot per hash, the newest item wins, so memory is bounded by the slot count
 * whatever the catalogue. Slots hold immutable objects and are read and written without locks; a
 * racing reader sees either slot, both correct for their row, so concurrent callers are safe.
 */
public final class ProjectionCache {

  private static final class Slot {
    final float[] row;
    final float[] z;

    Slot(float[] row, float[] z) {
      this.row = row;
      this.z = z;
    }
  }

  private final Slot[] slots;
  private final int mask;
  private final ProjectionCounters counters;

  /**
   * @param slots at least 1; rounded up to a power of two
   * @param counters where hits and misses are added
   */
  public ProjectionCache(int slots, ProjectionCounters counters) {
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be at least 1: " + slots);
    }
    int n = Integer.highestOneBit(Math.min(slots, 1 << 30));
    if (n < slots) {
      n <<= 1;
    }
    this.slots = new Slot[n];
    this.mask = n - 1;
    this.counters = java.util.Objects.requireNonNull(counters, "counters");
  }

  /** The projection of {@code item} if cached for its current row array, else null. */
  float[] get(Entry item) {
    float[] row = item.valueF;
    if (row == null) {
      return null;
    }
    Slot s = slots[index(item.key)];
    return s != null && s.row == row ? s.z : null;
  }

  /** Keeps {@code z} (not copied; the caller must not modify it afterwards) for item's row. */
  void put(Entry item, float[] z) {
    float[] row = item.valueF;
    if (row != null) {
      slots[index(item.key)] = new Slot(row, z);
    }
  }

  void count(int hits, int misses) {
    counters.add(hits, misses);
  }

  private int index(String key) {
    int h = key.hashCode() * 0x9E3779B9;
    return (h ^ (h >>> 16)) & mask;
  }
}
