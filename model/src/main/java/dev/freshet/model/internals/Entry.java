package dev.freshet.model.internals;

/**
 * One key of a {@link SparseTable}: its admission count, the event time it was last seen, and, once
 * admitted, its row and the row's Adagrad accumulator. Detached entries (no table) carry rows read
 * from elsewhere for inference only.
 */
public final class Entry {
  final SparseTable table;
  final String key;
  long count;
  long lastSeenMillis;
  double[] value;
  double[] accumulator;

  Entry(SparseTable table, String key) {
    this.table = table;
    this.key = key;
  }

  /** An entry outside any table that only carries {@code value} for a forward pass. */
  public static Entry detached(String key, double[] value) {
    Entry e = new Entry(null, key);
    e.value = value;
    return e;
  }

  public String key() {
    return key;
  }

  /** The row (live, not a copy); {@code null} while the key is not admitted. */
  public double[] value() {
    return value;
  }

  public double[] accumulator() {
    return accumulator;
  }

  public long count() {
    return count;
  }

  public long lastSeenMillis() {
    return lastSeenMillis;
  }

  public boolean admitted() {
    return value != null;
  }

  /** The owning table, or {@code null} for a detached entry. */
  public SparseTable table() {
    return table;
  }
}
