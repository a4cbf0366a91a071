package dev.freshet.model;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a model's own training changed over an interval, as deltas (value now minus the value it
 * trained from, merged deltas of others excluded): see {@link CandidateModel#drainContribution()}.
 * Adding it to another replica of the same model ({@link CandidateModel#merge}) gives that replica
 * the same training.
 *
 * @param rows per table, the delta of every row that moved, by key
 * @param dense the deltas of the dense tensors (empty if none moved)
 */
public record Contribution(Map<Table, Map<String, float[]>> rows, List<DenseTensor> dense) {

  public Contribution {
    EnumMap<Table, Map<String, float[]>> copy = new EnumMap<>(Table.class);
    Objects.requireNonNull(rows, "rows")
        .forEach((t, m) -> copy.put(t, Collections.unmodifiableMap(new LinkedHashMap<>(m))));
    rows = Collections.unmodifiableMap(copy);
    dense = List.copyOf(Objects.requireNonNull(dense, "dense"));
  }

  /** Rows of every table with a delta. */
  public int rowCount() {
    int n = 0;
    for (Map<String, float[]> m : rows.values()) {
      n += m.size();
    }
    return n;
  }

  /** Whether nothing moved. */
  public boolean isEmpty() {
    return rowCount() == 0 && dense.isEmpty();
  }
}
