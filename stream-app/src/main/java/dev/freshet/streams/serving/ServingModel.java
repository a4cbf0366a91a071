package dev.freshet.streams.serving;

import dev.freshet.model.ModelConfig;
import dev.freshet.model.UserContext;
import dev.freshet.model.UserTower;
import dev.freshet.paramlog.ServingParams;
import dev.freshet.paramlog.SnapshotAssembler;
import dev.freshet.streams.retrieval.AutoItemIndex;
import dev.freshet.streams.retrieval.ItemIndex;
import dev.freshet.streams.retrieval.ItemScore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The newest complete model snapshot, ready to score users: a {@link UserTower} over the replicated
 * rows and an {@link ItemIndex} over the item vectors.
 *
 * <p>One thread (the parameter-log reader) applies snapshots through {@link #assembler()}; stream
 * threads call {@link #score}. A snapshot is applied under the write lock and scoring runs under
 * the read lock, so a batch is always scored with exactly one version's parameters.
 */
public final class ServingModel implements AutoCloseable {

  /**
   * A scored user.
   *
   * @param userVector {@code [1, u]}
   * @param items the top-N, best first
   */
  public record Scored(float[] userVector, List<ItemScore> items) {}

  /**
   * The result of one batch.
   *
   * @param version the snapshot version that scored it
   * @param users one entry per input context, in order
   */
  public record Batch(long version, List<Scored> users) {}

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final ServingParams params = new ServingParams();
  private final SnapshotAssembler assembler;
  private final int exactThreshold;
  private ItemIndex index;
  private UserTower tower;
  private ModelConfig config;
  private volatile long version = -1;

  /**
   * @param exactThreshold below this many items the index searches exhaustively; above it uses HNSW
   */
  public ServingModel(int exactThreshold) {
    this.exactThreshold = exactThreshold;
    this.assembler = new SnapshotAssembler(params, this::apply, lock.writeLock());
  }

  /** Where the parameter-log reader feeds records. */
  public SnapshotAssembler assembler() {
    return assembler;
  }

  /** The version being served, -1 before the first snapshot. */
  public long version() {
    return version;
  }

  /** Whether a snapshot with at least one item has been applied. */
  public boolean ready() {
    lock.readLock().lock();
    try {
      return tower != null && index != null && index.size() > 0;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Items in the index (0 before the first snapshot). */
  public int items() {
    lock.readLock().lock();
    try {
      return index == null ? 0 : index.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  private void apply(SnapshotAssembler.AppliedSnapshot s) {
    ModelConfig c = s.config();
    if (config == null || !config.equals(c)) {
      if (index != null) {
        index.close();
      }
      index =
          new AutoItemIndex(
              c.vectorDim(), exactThreshold, dev.freshet.streams.retrieval.HnswConfig.defaults());
      s.params().items().forEach(index::upsert);
      tower = null;
      config = c;
    } else {
      s.removedItems().forEach(index::remove);
      for (String id : s.changedItems()) {
        index.upsert(id, s.params().items().get(id));
      }
    }
    if ((s.denseChanged() || tower == null) && !s.params().dense().isEmpty()) {
      tower = new UserTower(c, s.params().dense(), s.params());
    }
    version = s.manifest().getVersion();
  }

  /**
   * Scores a batch: user vectors in one forward pass, then the top {@code n} items of each, leaving
   * out that user's {@code exclude} set.
   *
   * @return empty when no usable snapshot exists yet (the caller falls back to popularity)
   */
  public Optional<Batch> score(
      List<UserContext> users, List<? extends Collection<String>> exclude, int n) {
    Objects.requireNonNull(users, "users");
    if (users.size() != exclude.size()) {
      throw new IllegalArgumentException(
          "users and exclude differ in size: " + users.size() + " vs " + exclude.size());
    }
    lock.readLock().lock();
    try {
      if (tower == null || index == null || index.size() == 0) {
        return Optional.empty();
      }
      float[][] vectors = tower.userVectors(users);
      List<Scored> out = new ArrayList<>(users.size());
      for (int i = 0; i < vectors.length; i++) {
        out.add(new Scored(vectors[i], index.topK(vectors[i], n, exclude.get(i))));
      }
      return Optional.of(new Batch(version, out));
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The items nearest to {@code itemId} by inner product with its vector, or empty if unknown. */
  public Optional<List<ItemScore>> similar(String itemId, int n) {
    lock.readLock().lock();
    try {
      if (index == null) {
        return Optional.empty();
      }
      Optional<float[]> v = index.vector(itemId);
      if (v.isEmpty()) {
        return Optional.empty();
      }
      // Query [1, w_i] shape: the item's vector itself is [b_i, w_i]; use its w part with a
      // leading 1 so the ranking is that of a user whose u equals w_i.
      float[] q = v.get().clone();
      q[0] = 1f;
      return Optional.of(index.topK(q, n, List.of(itemId)));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (index != null) {
        index.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
