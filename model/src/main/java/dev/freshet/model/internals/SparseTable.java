package dev.freshet.model.internals;

import dev.freshet.model.Table;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * A collisionless embedding table keyed by raw feature values (a hash map value → row, as in
 * Monolith), with frequency admission and idle expiry.
 *
 * <p>A key is counted by {@link #observe}; it gets its own row once its count reaches the admission
 * limit and maps to the {@code <unk>} row before that. Rows are initialised from a hash of (seed,
 * table, key), so a key's initial row does not depend on the order keys arrive in; the output
 * layer's rows instead start as {@code [prior, 0, ..., 0]} (see {@link #setInitialBias}). Rows are
 * updated with per-row Adagrad (Duchi, Hazan &amp; Singer 2011); in single-precision models every
 * stored value is rounded to float, so exported float rows are exact.
 *
 * <p>The table records which keys were updated or removed since the last {@link #drainUpdated()} /
 * {@link #drainRemoved()}. Not thread-safe.
 */
public final class SparseTable {
  /** The key of the shared row for unknown, missing and not-yet-admitted values. */
  public static final String UNK = "<unk>";

  private final Table table;
  private final int dim;
  private final int admitLimit;
  private final long seed;
  private final boolean roundToFloat;
  private final double initialAccumulator;
  private final boolean outputRows;
  private ToDoubleFunction<String> initialBias = key -> 0.0;
  private boolean randomOutputWeights;
  private long totalCount;
  private final HashMap<String, Entry> entries = new HashMap<>();
  private final Entry unk;
  private final LinkedHashSet<String> updated = new LinkedHashSet<>();
  private final LinkedHashSet<String> removed = new LinkedHashSet<>();

  /**
   * Whether contributions are tracked. While they are, each entry trained since the last {@link
   * #drain} carries its baselines ({@link Entry#base}, {@link Entry#accBase}): its value and
   * accumulator before its first step in the interval (its initial ones if admitted since), moved
   * by every merged delta. The row's own training is its value minus its baseline.
   */
  private boolean tracking;

  /** While tracked: the entries with baselines, in the order they got them. */
  private final ArrayList<Entry> touched = new ArrayList<>();

  /** While tracked: occurrences this replica counted itself ({@link #observe}) since the drain. */
  private HashMap<String, Long> countDeltas;

  /**
   * @param table which table this is (salts the initialisation)
   * @param dim row width
   * @param admitLimit occurrences needed for admission
   * @param seed model seed
   * @param roundToFloat whether stored values are rounded to float
   * @param initialAccumulator initial Adagrad accumulator value
   * @param withUnk whether the table has an {@code <unk>} row (the output table has none)
   * @param outputRows whether rows are output-layer rows {@code [b, w]}: they start with {@code w =
   *     0} and {@code b} from {@link #setInitialBias} instead of uniform random values
   */
  public SparseTable(
      Table table,
      int dim,
      int admitLimit,
      long seed,
      boolean roundToFloat,
      double initialAccumulator,
      boolean withUnk,
      boolean outputRows) {
    this.table = Objects.requireNonNull(table, "table");
    this.dim = dim;
    this.admitLimit = admitLimit;
    this.seed = seed;
    this.roundToFloat = roundToFloat;
    this.initialAccumulator = initialAccumulator;
    this.outputRows = outputRows;
    if (withUnk) {
      unk = new Entry(this, UNK);
      admit(unk);
    } else {
      unk = null;
    }
  }

  public Table table() {
    return table;
  }

  /**
   * Sets the function giving a newly admitted output row's initial bias from its key (default 0).
   * Only used by tables created with {@code outputRows}; the function must be deterministic in the
   * model's state so that equal models admit equal rows.
   */
  public void setInitialBias(ToDoubleFunction<String> bias) {
    this.initialBias = Objects.requireNonNull(bias, "bias");
  }

  /**
   * Whether a newly admitted output row's weights {@code w} start uniform in ±1/√dim (from the same
   * hash as every other row) instead of 0. Cosine scoring needs it: a zero {@code w} has no
   * direction and its normalisation passes no gradient. Only used with {@code outputRows}.
   */
  public void setRandomOutputWeights(boolean random) {
    this.randomOutputWeights = random;
  }

  /**
   * Sum of the counts of every key (admitted and pending, {@code <unk>} excluded): the number of
   * occurrences observed since the keys were first seen, minus those of removed keys. Derived from
   * the entries, so a restored table has the same total.
   */
  public long totalCount() {
    return totalCount;
  }

  public int dim() {
    return dim;
  }

  /** The {@code <unk>} entry, or {@code null} if this table has none. */
  public Entry unk() {
    return unk;
  }

  private static boolean isUnk(String key) {
    return key == null || UNK.equals(key);
  }

  /**
   * Counts one occurrence of {@code key} at event time {@code timeMillis}, admitting it when the
   * count reaches the limit.
   *
   * @return the key's entry (admitted or not), or the {@code <unk>} entry for a null key
   */
  public Entry observe(String key, long timeMillis) {
    if (isUnk(key)) {
      return unk;
    }
    Entry e = entries.computeIfAbsent(key, k -> new Entry(this, k));
    e.count++;
    totalCount++;
    if (countDeltas != null) {
      countDeltas.merge(key, 1L, Long::sum);
    }
    e.lastSeenMillis = Math.max(e.lastSeenMillis, timeMillis);
    if (!e.admitted() && e.count >= admitLimit) {
      admit(e);
    }
    return e;
  }

  /**
   * Adds {@code n} occurrences counted by another replica to {@code key} (admitting it when its
   * count reaches the limit), marking it seen at {@code timeMillis}; returns its entry.
   */
  public Entry addCount(String key, long n, long timeMillis) {
    Entry e = entries.computeIfAbsent(key, k -> new Entry(this, k));
    e.count += n;
    totalCount += n;
    e.lastSeenMillis = Math.max(e.lastSeenMillis, timeMillis);
    if (!e.admitted() && e.count >= admitLimit) {
      admit(e);
      forgetCreation(e);
    }
    return e;
  }

  /** Whether {@code key} has a row of its own. */
  public boolean isAdmitted(String key) {
    Entry e = get(key);
    return e != null && e.admitted();
  }

  /** A row admitted for another replica's change is not this replica's creation. */
  public void forgetCreation(Entry e) {
    e.created = null;
  }

  /**
   * The admitted entry of {@code key}, or {@code <unk>} (never null for tables with an unk row).
   */
  public Entry lookup(String key) {
    if (isUnk(key)) {
      return unk;
    }
    Entry e = entries.get(key);
    return e != null && e.admitted() ? e : unk;
  }

  /** Like {@link #lookup} but also marks the entry as seen at {@code timeMillis}. */
  public Entry touch(String key, long timeMillis) {
    Entry e = lookup(key);
    if (e != null && e != unk) {
      e.lastSeenMillis = Math.max(e.lastSeenMillis, timeMillis);
    }
    return e;
  }

  /** The entry of {@code key} whether admitted or not, or {@code null} if never seen. */
  public Entry get(String key) {
    return isUnk(key) ? unk : entries.get(key);
  }

  /** Gives {@code key} a row now (count raised to the limit); returns its entry. */
  public Entry ensureAdmitted(String key, long timeMillis) {
    if (isUnk(key)) {
      return unk;
    }
    Entry e = entries.computeIfAbsent(key, k -> new Entry(this, k));
    if (e.count < admitLimit) {
      totalCount += admitLimit - e.count;
      e.count = admitLimit;
    }
    e.lastSeenMillis = Math.max(e.lastSeenMillis, timeMillis);
    if (!e.admitted()) {
      admit(e);
    }
    return e;
  }

  private void admit(Entry e) {
    double[] v = new double[dim];
    if (outputRows) {
      double b = initialBias.applyAsDouble(e.key);
      if (!Double.isFinite(b)) {
        throw new IllegalStateException("non-finite initial bias " + b + " for " + e.key);
      }
      if (randomOutputWeights) {
        randomRow(e.key, v, 1);
      }
      v[0] = b;
    } else {
      randomRow(e.key, v, 0);
    }
    double[] acc = new double[dim];
    java.util.Arrays.fill(acc, initialAccumulator);
    store(e, v, acc);
    if (tracking) {
      if (e.base == null) {
        touched.add(e);
      }
      e.base = e.valueCopy(); // as stored: rounded in single precision
      e.created = e.base.clone();
      e.accBase = e.accumulatorCopy();
    }
    markUpdated(e.key);
  }

  /** {@code v[from..dim)} uniform in ±1/√dim from a hash of (seed, table, key). */
  private void randomRow(String key, double[] v, int from) {
    SplitMix64 r = new SplitMix64(seed ^ SplitMix64.hash(table.wireName() + '\u0000' + key));
    double bound = 1.0 / Math.sqrt(dim);
    for (int i = 0; i < dim; i++) {
      double x = r.nextSymmetric(bound);
      if (i >= from) {
        v[i] = x;
      }
    }
  }

  /**
   * Gives {@code e} a row and accumulator of this table's precision holding {@code v}, {@code acc}.
   */
  private void store(Entry e, double[] v, double[] acc) {
    if (roundToFloat) {
      e.valueF = new float[dim];
      e.accF = new float[dim];
      for (int i = 0; i < dim; i++) {
        e.valueF[i] = (float) v[i];
        e.accF[i] = (float) acc[i];
      }
      e.valueD = null;
      e.accD = null;
    } else {
      e.valueD = v;
      e.accD = acc;
      e.valueF = null;
      e.accF = null;
    }
  }

  /**
   * One Adagrad step on {@code e}'s row: {@code acc += g²; w -= lr·g/√acc}.
   *
   * @param e an admitted entry of this table
   * @param grad gradient of the loss w.r.t. the row, length {@link #dim()}
   */
  public void adagrad(Entry e, double[] grad, double learningRate) {
    if (e.table != this || !e.admitted()) {
      throw new IllegalArgumentException("entry " + e.key + " is not an admitted row of " + table);
    }
    if (tracking && e.base == null) {
      e.base = e.valueCopy();
      e.accBase = e.accumulatorCopy();
      touched.add(e);
    }
    if (e.valueF != null) {
      float[] w = e.valueF;
      float[] acc = e.accF;
      for (int i = 0; i < dim; i++) {
        double g = grad[i];
        assert Double.isFinite(g) : "non-finite gradient in " + table + " row " + e.key;
        acc[i] = (float) (acc[i] + g * g);
        w[i] = (float) (w[i] - learningRate * g / Math.sqrt(acc[i]));
      }
    } else {
      double[] w = e.valueD;
      double[] acc = e.accD;
      for (int i = 0; i < dim; i++) {
        double g = grad[i];
        assert Double.isFinite(g) : "non-finite gradient in " + table + " row " + e.key;
        acc[i] = acc[i] + g * g;
        w[i] = w[i] - learningRate * g / Math.sqrt(acc[i]);
      }
    }
    markUpdated(e.key);
  }

  /** Overwrites the row of an admitted entry (values rounded to the model's precision). */
  public void setRow(Entry e, double[] values) {
    if (values.length != dim) {
      throw new IllegalArgumentException(
          "row for " + table + " must have " + dim + " values but had " + values.length);
    }
    for (int i = 0; i < dim; i++) {
      if (e.valueF != null) {
        e.valueF[i] = (float) values[i];
      } else {
        e.valueD[i] = values[i];
      }
    }
    if (e.base != null) {
      e.base = e.valueCopy(); // an import is not training: nothing to contribute
    }
    markUpdated(e.key);
  }

  /**
   * Adds {@code delta} to an admitted row (rounded to the model's precision): another trainer's
   * change. The row's own training since the last {@link #drain} is left as it was.
   */
  public void addToRow(Entry e, float[] delta) {
    if (e.table != this || !e.admitted()) {
      throw new IllegalArgumentException("entry " + e.key + " is not an admitted row of " + table);
    }
    if (delta.length != dim) {
      throw new IllegalArgumentException(
          "delta for " + table + " must have " + dim + " values but had " + delta.length);
    }
    addMoving(e.valueF, e.valueD, delta, e.base);
    markUpdated(e.key);
  }

  /**
   * Adds {@code delta} to an admitted row's Adagrad accumulator: the squared gradients another
   * replica summed on the row, so that this replica's steps on it shrink as a single trainer's
   * would. The row's own accumulation since the last drain is left as it was.
   */
  public void addToAccumulator(Entry e, float[] delta) {
    if (e.table != this || !e.admitted()) {
      throw new IllegalArgumentException("entry " + e.key + " is not an admitted row of " + table);
    }
    if (delta.length != dim) {
      throw new IllegalArgumentException(
          "accumulator delta for "
              + table
              + " must have "
              + dim
              + " values but had "
              + delta.length);
    }
    addMoving(e.accF, e.accD, delta, e.accBase);
  }

  /**
   * Adds {@code delta} to the row held in {@code f} (single precision, rounded) or {@code d}, and
   * moves {@code base}, if any, by what the row moved: another replica's change is not own
   * training.
   */
  private static void addMoving(float[] f, double[] d, float[] delta, double[] base) {
    if (f != null) {
      for (int i = 0; i < f.length; i++) {
        float before = f[i];
        f[i] = (float) (before + (double) delta[i]);
        if (base != null) {
          base[i] += (double) f[i] - before;
        }
      }
    } else {
      for (int i = 0; i < d.length; i++) {
        double before = d[i];
        d[i] += delta[i];
        if (base != null) {
          base[i] += d[i] - before;
        }
      }
    }
  }

  /** Starts recording what this table's own training changes (see {@link #drain}). */
  public void trackDeltas() {
    if (!tracking) {
      tracking = true;
      countDeltas = new HashMap<>();
    }
  }

  /** Stops recording (see {@link #trackDeltas}) and forgets what was recorded. */
  public void untrackDeltas() {
    forgetBaselines();
    tracking = false;
    countDeltas = null;
  }

  private void forgetBaselines() {
    for (Entry e : touched) {
      e.base = null;
      e.accBase = null;
      e.created = null;
    }
    touched.clear();
  }

  /**
   * One interval of this table's own training: the delta of every row that moved, the initial value
   * of those among them this replica admitted itself (a replica without the row starts it from
   * there, whatever its own initial value would be), and the occurrences it counted.
   */
  public record Drained(
      Map<String, float[]> deltas,
      Map<String, float[]> accumulators,
      Map<String, float[]> initials,
      Map<String, Long> counts) {}

  /**
   * The own training since the previous call (or since {@link #trackDeltas}): the change of every
   * row that moved, by key (rows that did not move are left out), with its accumulator's growth,
   * the initial values and the counts of the same interval. Starts the next interval.
   */
  public Drained drain() {
    LinkedHashMap<String, float[]> deltas = new LinkedHashMap<>();
    LinkedHashMap<String, float[]> accumulators = new LinkedHashMap<>();
    LinkedHashMap<String, float[]> created = new LinkedHashMap<>();
    for (Entry e : touched) {
      if (e.removed || !e.admitted()) {
        continue; // removed (and perhaps admitted again as a new entry) since
      }
      float[] d = difference(e.valueF, e.valueD, e.base);
      if (d != null) {
        deltas.put(e.key, d);
        if (e.created != null) {
          float[] f = new float[dim];
          for (int i = 0; i < dim; i++) {
            f[i] = (float) e.created[i];
          }
          created.put(e.key, f);
        }
      }
      float[] a = difference(e.accF, e.accD, e.accBase);
      if (a != null) {
        accumulators.put(e.key, a);
      }
    }
    forgetBaselines();
    Map<String, Long> counts = new LinkedHashMap<>();
    if (countDeltas != null) {
      counts.putAll(countDeltas);
      countDeltas.clear();
    }
    return new Drained(deltas, accumulators, created, counts);
  }

  /** The row in {@code f} or {@code d} minus {@code base}, as floats, or null if nothing moved. */
  private static float[] difference(float[] f, double[] d, double[] base) {
    if (base == null) {
      return null;
    }
    float[] out = new float[base.length];
    boolean moved = false;
    if (f != null) {
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) (f[i] - base[i]);
        moved |= out[i] != 0f;
      }
    } else {
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) (d[i] - base[i]);
        moved |= out[i] != 0f;
      }
    }
    return moved ? out : null;
  }

  /**
   * Removes every entry (admitted or pending) last seen before {@code nowMillis - ttlMillis}. The
   * {@code <unk>} row never expires.
   *
   * @return the removed keys that had rows
   */
  public List<String> expire(long nowMillis, long ttlMillis) {
    List<String> gone = new ArrayList<>();
    var it = entries.values().iterator();
    while (it.hasNext()) {
      Entry e = it.next();
      if (nowMillis - e.lastSeenMillis > ttlMillis) {
        it.remove();
        e.removed = true;
        totalCount -= e.count;
        if (e.admitted()) {
          gone.add(e.key);
          updated.remove(e.key);
          removed.add(e.key);
        }
      }
    }
    return gone;
  }

  /** Removes {@code key} entirely (its count too); returns whether it had a row. */
  public boolean remove(String key) {
    Entry e = entries.remove(key);
    if (e != null) {
      totalCount -= e.count;
      e.removed = true;
    }
    if (e != null && e.admitted()) {
      updated.remove(key);
      removed.add(key);
      return true;
    }
    return false;
  }

  void markUpdated(String key) {
    updated.add(key);
    removed.remove(key);
  }

  /** Keys whose rows changed (admitted, updated, imported) since the last drain; clears them. */
  public Set<String> drainUpdated() {
    Set<String> out = Collections.unmodifiableSet(new LinkedHashSet<>(updated));
    updated.clear();
    return out;
  }

  /** Keys whose rows were removed since the last drain; clears them. */
  public Set<String> drainRemoved() {
    Set<String> out = Collections.unmodifiableSet(new LinkedHashSet<>(removed));
    removed.clear();
    return out;
  }

  /** Every entry except {@code <unk>} (admitted and pending), live. */
  public Collection<Entry> entries() {
    return Collections.unmodifiableCollection(entries.values());
  }

  /** Number of keys with their own row (excluding {@code <unk>}). */
  public int admittedCount() {
    int n = 0;
    for (Entry e : entries.values()) {
      if (e.admitted()) {
        n++;
      }
    }
    return n;
  }

  /** Restores one entry verbatim (checkpoint loading); a null key restores the unk row. */
  public Entry restore(
      String key, long count, long lastSeenMillis, double[] value, double[] accumulator) {
    Entry e;
    if (isUnk(key)) {
      e = Objects.requireNonNull(unk, "unk");
    } else {
      e = new Entry(this, key);
      Entry old = entries.put(key, e);
      if (old != null) {
        totalCount -= old.count;
        old.removed = true;
      }
      totalCount += count;
    }
    e.count = count;
    e.lastSeenMillis = lastSeenMillis;
    if (value == null) {
      e.valueF = null;
      e.accF = null;
      e.valueD = null;
      e.accD = null;
    } else {
      store(e, value, accumulator);
    }
    return e;
  }

  /** Restores the pending change sets (checkpoint loading). */
  public void restoreChanges(Set<String> updatedKeys, Set<String> removedKeys) {
    updated.clear();
    updated.addAll(updatedKeys);
    removed.clear();
    removed.addAll(removedKeys);
  }

  /** Pending updated keys in order (no copy semantics guaranteed; for checkpointing). */
  public List<String> pendingUpdated() {
    return new ArrayList<>(updated);
  }

  /** Pending removed keys in order (for checkpointing). */
  public List<String> pendingRemoved() {
    return new ArrayList<>(removed);
  }
}
