package dev.freshet.model.internals;

/**
 * One key of a {@link SparseTable}: its admission count, the event time it was last seen, and, once
 * admitted, its row and the row's Adagrad accumulator. Rows are stored in the model's precision:
 * {@code float[]} in single-precision tables (half the memory of doubles; every value a model
 * computes for them is rounded to float anyway), {@code double[]} in double-precision ones (the
 * finite-difference checks). Detached entries (no table) carry rows read from elsewhere for
 * inference only.
 */
public final class Entry {
  final SparseTable table;
  final String key;
  long count;
  long lastSeenMillis;

  /** Single-precision row and accumulator (null unless admitted in a float table). */
  float[] valueF;

  float[] accF;

  /** Double-precision row and accumulator (null unless admitted in a double table). */
  double[] valueD;

  double[] accD;

  /**
   * While its table tracks contributions and the row trained or was admitted since the last drain:
   * the baselines of its value and accumulator (see {@link SparseTable#drain}), and its initial
   * value if this replica admitted it in the interval. Null otherwise.
   */
  double[] base;

  double[] accBase;
  double[] created;

  /**
   * Of an item's {@link dev.freshet.model.Table#ITEM} entry: the count its noise-sampler weight was
   * last set from by a merge or an import, so that merging an item whose count did not change
   * leaves the sampler alone (-1: not yet). Any other path that sets the weight sets it from the
   * current count too, so a stale value only costs one needless update.
   */
  long sampledCount = -1;

  /** Whether the entry was removed from its table (expired, removed, or replaced by a restore). */
  boolean removed;

  Entry(SparseTable table, String key) {
    this.table = table;
    this.key = key;
  }

  /** An entry outside any table that only carries {@code value} for a forward pass. */
  public static Entry detached(String key, double[] value) {
    Entry e = new Entry(null, key);
    e.valueD = value;
    return e;
  }

  /** An entry outside any table that only carries {@code value} (not copied) for a forward pass. */
  public static Entry detached(String key, float[] value) {
    Entry e = new Entry(null, key);
    e.valueF = value;
    return e;
  }

  public String key() {
    return key;
  }

  /** Length of the row (0 while not admitted). */
  int length() {
    return valueF != null ? valueF.length : valueD != null ? valueD.length : 0;
  }

  /**
   * The row as doubles, or {@code null} while the key is not admitted: the live array in
   * double-precision tables, a copy in single-precision ones.
   */
  public double[] value() {
    return valueD != null ? valueD : toDoubles(valueF);
  }

  /** The live single-precision row, or {@code null} (not admitted, or a double-precision table). */
  public float[] floatValue() {
    return valueF;
  }

  /** The Adagrad accumulator as doubles (live in double precision, a copy in single precision). */
  public double[] accumulator() {
    return accD != null ? accD : toDoubles(accF);
  }

  /** A copy of the row as doubles (exact), or null while not admitted. */
  double[] valueCopy() {
    return valueD != null ? valueD.clone() : toDoubles(valueF);
  }

  /** A copy of the accumulator as doubles (exact), or null while not admitted. */
  double[] accumulatorCopy() {
    return accD != null ? accD.clone() : toDoubles(accF);
  }

  private static double[] toDoubles(float[] f) {
    if (f == null) {
      return null;
    }
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  /** Element {@code i} of the row (the entry must be admitted). */
  double get(int i) {
    return valueF != null ? valueF[i] : valueD[i];
  }

  /** Element {@code i} of the accumulator. */
  double acc(int i) {
    return accF != null ? accF[i] : accD[i];
  }

  /** {@code dst[off + j] = row[j]} for the first {@code dim} elements. */
  void copyTo(double[] dst, int off, int dim) {
    if (valueF != null) {
      for (int j = 0; j < dim; j++) {
        dst[off + j] = valueF[j];
      }
    } else {
      System.arraycopy(valueD, 0, dst, off, dim);
    }
  }

  /** Copies the whole row, rounded to float, into {@code dst} at {@code off}. */
  public void copyTo(float[] dst, int off) {
    if (valueF != null) {
      System.arraycopy(valueF, 0, dst, off, valueF.length);
    } else {
      for (int j = 0; j < valueD.length; j++) {
        dst[off + j] = (float) valueD[j];
      }
    }
  }

  /** {@code dst[off + j] += row[j]·scale} for the first {@code dim} elements. */
  void addScaledTo(double[] dst, int off, int dim, double scale) {
    if (valueF != null) {
      for (int j = 0; j < dim; j++) {
        dst[off + j] += valueF[j] * scale;
      }
    } else {
      for (int j = 0; j < dim; j++) {
        dst[off + j] += valueD[j] * scale;
      }
    }
  }

  /** Writes the row into {@code dst} at {@code index} (a bulk copy when both are float). */
  void writeTo(Buf dst, int index) {
    if (valueF != null && dst.isFloat()) {
      dst.put(index, valueF);
      return;
    }
    int n = valueF != null ? valueF.length : valueD.length;
    for (int j = 0; j < n; j++) {
      dst.set(index + j, get(j));
    }
  }

  public long count() {
    return count;
  }

  public long lastSeenMillis() {
    return lastSeenMillis;
  }

  public boolean admitted() {
    return valueF != null || valueD != null;
  }

  /** The owning table, or {@code null} for a detached entry. */
  public SparseTable table() {
    return table;
  }
}
