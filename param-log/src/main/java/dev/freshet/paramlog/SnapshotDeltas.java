package dev.freshet.paramlog;

import dev.freshet.avro.ItemVector;
import dev.freshet.avro.ModelUpdate;
import dev.freshet.model.CandidateModel;
import dev.freshet.model.ChangeSet;
import dev.freshet.model.Table;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The records that publish one snapshot's changes, in log order (rows, items, dense); the caller
 * appends the manifest. Built from a model and the {@link ChangeSet} it drained, so every writer of
 * the parameter log (the trainer, a rollback, tests) lays parameters out the same way.
 */
public final class SnapshotDeltas {

  /**
   * One record of {@code model-params}.
   *
   * @param key the record key ({@link ParamKeys})
   * @param value the value, or null for a tombstone
   */
  public record KeyedUpdate(String key, ModelUpdate value) {}

  private final List<KeyedUpdate> params;
  private final Map<String, ItemVector> items;
  private final int rows;
  private final boolean denseChanged;

  private SnapshotDeltas(
      List<KeyedUpdate> params, Map<String, ItemVector> items, int rows, boolean denseChanged) {
    this.params = Collections.unmodifiableList(params);
    this.items = Collections.unmodifiableMap(items);
    this.rows = rows;
    this.denseChanged = denseChanged;
  }

  /**
   * The deltas of {@code changes} with the values {@code model} holds now, stamped {@code version}
   * and (for item vectors) {@code nowMillis}.
   */
  public static SnapshotDeltas of(
      CandidateModel model, ChangeSet changes, long version, long nowMillis) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(changes, "changes");
    List<KeyedUpdate> out = new ArrayList<>();
    Map<String, ItemVector> items = new LinkedHashMap<>();
    int rows = 0;
    for (Table table : Table.values()) {
      if (table == Table.ITEM_OUTPUT) {
        continue;
      }
      for (String key : changes.updated(table)) {
        float[] row = model.exportRow(table, key);
        if (row != null) {
          out.add(
              new KeyedUpdate(
                  ParamKeys.row(table, key), ParamRecords.row(version, table, key, row)));
          rows++;
        }
      }
      for (String key : changes.removed(table)) {
        out.add(new KeyedUpdate(ParamKeys.row(table, key), null));
        rows++;
      }
    }
    for (String id : changes.changedItems()) {
      float[] vector = model.itemVector(id);
      if (vector != null) {
        ItemVector iv = ParamRecords.itemVector(version, id, vector, nowMillis);
        out.add(new KeyedUpdate(ParamKeys.item(id), ParamRecords.item(iv)));
        items.put(id, iv);
      }
    }
    for (String id : changes.removed(Table.ITEM_OUTPUT)) {
      out.add(new KeyedUpdate(ParamKeys.item(id), null));
      items.put(id, null);
    }
    if (changes.denseChanged()) {
      out.add(new KeyedUpdate(ParamKeys.DENSE, ParamRecords.dense(version, model.exportDense())));
    }
    return new SnapshotDeltas(out, items, rows, changes.denseChanged());
  }

  /** The {@code model-params} records, manifest excluded. */
  public List<KeyedUpdate> paramRecords() {
    return params;
  }

  /** Item vectors by id for the {@code item-vectors} topic; a null value is a removal. */
  public Map<String, ItemVector> itemVectors() {
    return items;
  }

  /** Rows written or removed. */
  public int rows() {
    return rows;
  }

  /** Item vectors written or removed. */
  public int items() {
    return items.size();
  }

  public boolean denseChanged() {
    return denseChanged;
  }
}
