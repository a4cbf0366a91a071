package dev.freshet.model;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What changed in a model since the previous {@link CandidateModel#drainChanges()}: keys whose rows
 * were created or updated, keys whose rows were removed (expired), and whether the dense parameters
 * changed. Read the new values with {@link CandidateModel#exportRow} and {@link
 * CandidateModel#exportDense()}. Changed item vectors are the updated keys of {@link
 * Table#ITEM_OUTPUT}.
 *
 * @param updated per table, keys created or updated (insertion order)
 * @param removed per table, keys removed
 * @param denseChanged whether any dense parameter changed
 */
public record ChangeSet(
    Map<Table, Set<String>> updated, Map<Table, Set<String>> removed, boolean denseChanged) {

  public ChangeSet {
    updated =
        Collections.unmodifiableMap(new EnumMap<>(Objects.requireNonNull(updated, "updated")));
    removed =
        Collections.unmodifiableMap(new EnumMap<>(Objects.requireNonNull(removed, "removed")));
  }

  /** Updated keys of {@code table} (empty if none). */
  public Set<String> updated(Table table) {
    return updated.getOrDefault(table, Set.of());
  }

  /** Removed keys of {@code table} (empty if none). */
  public Set<String> removed(Table table) {
    return removed.getOrDefault(table, Set.of());
  }

  /** Items whose vectors {@code [b_i, w_i]} were created or updated. */
  public Set<String> changedItems() {
    return updated(Table.ITEM_OUTPUT);
  }

  /** Whether nothing changed. */
  public boolean isEmpty() {
    return !denseChanged
        && updated.values().stream().allMatch(Set::isEmpty)
        && removed.values().stream().allMatch(Set::isEmpty);
  }
}
