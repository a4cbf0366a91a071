package dev.freshet.model;

/**
 * Where a read-only {@link UserTower} gets embedding rows: typically a replicated store rebuilt
 * from the parameters a trainer published. Every table the tower reads must have a {@code <unk>}
 * row (key {@link UserTower#UNK}); absent keys resolve to it, as unadmitted values do in the full
 * model.
 */
@FunctionalInterface
public interface RowSource {
  /**
   * The row of {@code key} in {@code table}, or {@code null} if there is none. Callers must not
   * modify the returned array.
   */
  float[] row(Table table, String key);
}
