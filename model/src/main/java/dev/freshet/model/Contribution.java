package dev.freshet.model;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a model's own training changed over an interval, as deltas (value now minus the value it
 * trained from, merged deltas of others excluded): see {@link CandidateModel#drainContribution()}.
 * Adding it to another replica of the same model ({@link CandidateModel#merge}) gives that replica
 * the same training.
 *
 * <p>The maps and arrays are taken over, not copied: a contribution holds hundreds of thousands of
 * floats, and copying them cost the receivers measurably. The record's views are unmodifiable; the
 * caller must not change what it passed in.
 *
 * @param rows per table, the delta of every row that moved, by key
 * @param accumulators per table, the growth of the Adagrad accumulator of every row that moved (the
 *     squared gradients the replica summed on it), so receivers' steps shrink as one trainer's
 *     would
 * @param initial per table, the initial value of those rows the replica admitted itself in the
 *     interval: a replica without the row starts it there (an output row's initial bias depends on
 *     the admitting replica's counts)
 * @param itemCounts clicks the replica counted per item in the interval (its sampler and the output
 *     rows' priors count them)
 * @param dense the deltas of the dense tensors (empty if none moved)
 */
public record Contribution(
    Map<Table, Map<String, float[]>> rows,
    Map<Table, Map<String, float[]>> accumulators,
    Map<Table, Map<String, float[]>> initial,
    Map<String, Long> itemCounts,
    List<DenseTensor> dense) {

  public Contribution {
    rows = unmodifiable(Objects.requireNonNull(rows, "rows"));
    accumulators = unmodifiable(Objects.requireNonNull(accumulators, "accumulators"));
    initial = unmodifiable(Objects.requireNonNull(initial, "initial"));
    itemCounts = Collections.unmodifiableMap(Objects.requireNonNull(itemCounts, "itemCounts"));
    dense = List.copyOf(Objects.requireNonNull(dense, "dense"));
  }

  /** Deltas only: no accumulators, no rows created, nothing counted. */
  public Contribution(Map<Table, Map<String, float[]>> rows, List<DenseTensor> dense) {
    this(rows, Map.of(), Map.of(), Map.of(), dense);
  }

  /** Unmodifiable views, the outer map copied (it is small) and the row maps not. */
  private static Map<Table, Map<String, float[]>> unmodifiable(Map<Table, Map<String, float[]>> m) {
    EnumMap<Table, Map<String, float[]>> out = new EnumMap<>(Table.class);
    m.forEach((t, r) -> out.put(t, Collections.unmodifiableMap(r)));
    return Collections.unmodifiableMap(out);
  }

  /** Rows of every table with a delta. */
  public int rowCount() {
    int n = 0;
    for (Map<String, float[]> m : rows.values()) {
      n += m.size();
    }
    return n;
  }

  /** Whether nothing moved and nothing was counted. */
  public boolean isEmpty() {
    return rowCount() == 0 && dense.isEmpty() && itemCounts.isEmpty();
  }
}
