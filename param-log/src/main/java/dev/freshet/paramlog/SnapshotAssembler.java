package dev.freshet.paramlog;

import dev.freshet.avro.DenseParams;
import dev.freshet.avro.EmbeddingRow;
import dev.freshet.avro.ItemVector;
import dev.freshet.avro.ModelUpdate;
import dev.freshet.avro.SnapshotManifest;
import dev.freshet.avro.Tensor;
import dev.freshet.model.DenseTensor;
import dev.freshet.model.ModelConfig;
import dev.freshet.model.Table;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Lock;

/**
 * Rebuilds snapshots from the records of {@code model-params}, in log order. Deltas are held back
 * until the manifest that completes them arrives; then they are applied to the {@link
 * ServingParams} (under the optional write lock) and the listener hears what changed. So a reader
 * never serves half a snapshot.
 *
 * <p>Not thread-safe: one thread (the log reader) calls {@link #accept}.
 */
public final class SnapshotAssembler {

  /** Told about each applied snapshot, on the reading thread. */
  @FunctionalInterface
  public interface Listener {
    /** Runs while the write lock is held: keep it short (swap references, no heavy work). */
    void onSnapshot(AppliedSnapshot snapshot);

    /**
     * Runs right after, without the lock: for work that has its own thread-safety and may take long
     * (e.g. updating a search index that readers keep querying meanwhile).
     */
    default void afterSnapshot(AppliedSnapshot snapshot) {}
  }

  /**
   * What one manifest completed.
   *
   * @param manifest the manifest
   * @param config the model config it carries
   * @param changedItems items whose vectors were created or updated
   * @param removedItems items removed (expired)
   * @param changedRows per table, rows created, updated or removed
   * @param denseChanged whether the dense tensors changed (a new tower is needed)
   * @param params the parameters after the snapshot
   */
  public record AppliedSnapshot(
      SnapshotManifest manifest,
      ModelConfig config,
      Set<String> changedItems,
      Set<String> removedItems,
      Map<Table, Set<String>> changedRows,
      boolean denseChanged,
      ServingParams params) {}

  private final ServingParams params;
  private final Listener listener;
  private final Lock writeLock;
  private final Map<String, ModelUpdate> pending = new LinkedHashMap<>();
  private String configJson;
  private ModelConfig config;

  /**
   * @param params where snapshots are applied
   * @param listener told about every applied snapshot
   * @param writeLock held while a snapshot is applied and the listener runs; may be null
   */
  public SnapshotAssembler(ServingParams params, Listener listener, Lock writeLock) {
    this.params = Objects.requireNonNull(params, "params");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.writeLock = writeLock;
  }

  /** Records not yet completed by a manifest. */
  public int pending() {
    return pending.size();
  }

  /**
   * Takes the next record of the log; {@code value} is null for a tombstone.
   *
   * @throws IllegalArgumentException if the key is not a parameter key, a manifest is a tombstone
   *     or carries an invalid config, or the value does not match its key
   */
  public void accept(String key, ModelUpdate value) {
    ParamKeys.Parsed parsed = ParamKeys.parse(key);
    if (parsed.kind() != ParamKeys.Kind.MANIFEST) {
      checkMatches(parsed, value, key);
      pending.put(key, value);
      return;
    }
    if (value == null || !(value.getPayload() instanceof SnapshotManifest manifest)) {
      throw new IllegalArgumentException("record under key 'manifest' is not a SnapshotManifest");
    }
    if (!manifest.getModelConfig().equals(configJson)) {
      config = ModelConfigCodec.fromJson(manifest.getModelConfig());
      configJson = manifest.getModelConfig();
    }
    AppliedSnapshot applied;
    if (writeLock != null) {
      writeLock.lock();
    }
    try {
      applied = apply(manifest);
      listener.onSnapshot(applied);
    } finally {
      if (writeLock != null) {
        writeLock.unlock();
      }
    }
    listener.afterSnapshot(applied);
  }

  private AppliedSnapshot apply(SnapshotManifest manifest) {
    Set<String> changedItems = new HashSet<>();
    Set<String> removedItems = new HashSet<>();
    Map<Table, Set<String>> changedRows = new EnumMap<>(Table.class);
    boolean denseChanged = false;
    for (Map.Entry<String, ModelUpdate> e : pending.entrySet()) {
      ParamKeys.Parsed k = ParamKeys.parse(e.getKey());
      ModelUpdate v = e.getValue();
      switch (k.kind()) {
        case ROW -> {
          changedRows.computeIfAbsent(k.table(), t -> new HashSet<>()).add(k.value());
          if (v == null) {
            params.removeRow(k.table(), k.value());
          } else {
            EmbeddingRow row = (EmbeddingRow) v.getPayload();
            params.putRow(k.table(), k.value(), ParamRecords.toArray(row.getValues()));
          }
        }
        case ITEM -> {
          if (v == null) {
            removedItems.add(k.value());
            changedItems.remove(k.value());
            params.removeItem(k.value());
          } else {
            changedItems.add(k.value());
            removedItems.remove(k.value());
            params.putItem(
                k.value(), ParamRecords.toArray(((ItemVector) v.getPayload()).getVector()));
          }
        }
        case DENSE -> {
          if (v != null) {
            List<DenseTensor> tensors = new ArrayList<>();
            for (Tensor t : ((DenseParams) v.getPayload()).getTensors()) {
              tensors.add(ParamRecords.fromAvro(t));
            }
            params.setDense(tensors);
            denseChanged = true;
          }
        }
        case MANIFEST -> throw new IllegalStateException("manifest among pending deltas");
      }
    }
    pending.clear();
    params.setManifest(manifest, config);
    return new AppliedSnapshot(
        manifest, config, changedItems, removedItems, changedRows, denseChanged, params);
  }

  private static void checkMatches(ParamKeys.Parsed k, ModelUpdate v, String key) {
    if (v == null) {
      if (k.kind() == ParamKeys.Kind.DENSE) {
        throw new IllegalArgumentException("tombstone under key 'dense'");
      }
      return;
    }
    Object p = v.getPayload();
    boolean ok =
        switch (k.kind()) {
          case ROW -> p instanceof EmbeddingRow;
          case ITEM -> p instanceof ItemVector;
          case DENSE -> p instanceof DenseParams;
          case MANIFEST -> p instanceof SnapshotManifest;
        };
    if (!ok) {
      throw new IllegalArgumentException(
          "record under key '" + key + "' holds a " + p.getClass().getSimpleName());
    }
  }
}
