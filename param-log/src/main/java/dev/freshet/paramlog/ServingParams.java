package dev.freshet.paramlog;

import dev.freshet.avro.SnapshotManifest;
import dev.freshet.model.DenseTensor;
import dev.freshet.model.ModelConfig;
import dev.freshet.model.RowSource;
import dev.freshet.model.Table;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest complete snapshot's parameters as one reader holds them: sparse rows per table, item
 * vectors, dense tensors, the model config and the manifest. Updated only by {@link
 * SnapshotAssembler} on the thread that reads the log; the maps are concurrent so other threads may
 * read rows while a snapshot is applied (a reader that needs a consistent snapshot across several
 * reads synchronizes with the applier itself, e.g. with a read-write lock around the listener).
 */
public final class ServingParams implements RowSource {

  private final Map<Table, Map<String, float[]>> rows = new EnumMap<>(Table.class);
  private final Map<String, float[]> items = new ConcurrentHashMap<>();
  private volatile List<DenseTensor> dense = List.of();
  private volatile ModelConfig config;
  private volatile SnapshotManifest manifest;

  public ServingParams() {
    for (Table t : Table.values()) {
      rows.put(t, new ConcurrentHashMap<>());
    }
  }

  /** A row; {@code ITEM_OUTPUT} rows are the item vectors (tied item embeddings read them). */
  @Override
  public float[] row(Table table, String key) {
    return table == Table.ITEM_OUTPUT ? items.get(key) : rows.get(table).get(key);
  }

  /** The rows of a table (live view; do not modify). */
  public Map<String, float[]> rows(Table table) {
    return rows.get(table);
  }

  /** Item vectors {@code [b_i, w_i]} by item id (live view; do not modify). */
  public Map<String, float[]> items() {
    return items;
  }

  /** The dense tensors of the newest snapshot (empty before the first). */
  public List<DenseTensor> dense() {
    return dense;
  }

  /** The config of the newest snapshot, or null before the first. */
  public ModelConfig config() {
    return config;
  }

  /** The newest applied manifest, or null before the first. */
  public SnapshotManifest manifest() {
    return manifest;
  }

  /** The newest applied version, or -1 before the first. */
  public long version() {
    SnapshotManifest m = manifest;
    return m == null ? -1 : m.getVersion();
  }

  void putRow(Table table, String key, float[] values) {
    rows.get(table).put(key, values);
  }

  void removeRow(Table table, String key) {
    rows.get(table).remove(key);
  }

  void putItem(String id, float[] vector) {
    items.put(id, vector);
  }

  void removeItem(String id) {
    items.remove(id);
  }

  void setDense(List<DenseTensor> dense) {
    this.dense = List.copyOf(dense);
  }

  void setManifest(SnapshotManifest manifest, ModelConfig config) {
    this.config = config;
    this.manifest = manifest;
  }
}
