package dev.freshet.streams.serving;

import dev.freshet.model.ModelConfig;
import dev.freshet.model.ProjectionCounters;
import dev.freshet.model.UserContext;
import dev.freshet.model.UserTower;
import dev.freshet.paramlog.ServingParams;
import dev.freshet.paramlog.SnapshotAssembler;
import dev.freshet.streams.retrieval.AutoItemIndex;
import dev.freshet.streams.retrieval.HnswConfig;
import dev.freshet.streams.retrieval.IndexStats;
import dev.freshet.streams.retrieval.ItemIndex;
import dev.freshet.streams.retrieval.ItemScore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.IntStream;

/**
 * The newest complete model snapshot, ready to score users: a {@link UserTower} over the replicated
 * rows and an {@link ItemIndex} over the item vectors.
 *
 * <p>One thread (the parameter-log reader) applies snapshots through {@link #assembler()}; stream
 * threads call {@link #score}. A snapshot's rows, dense tensors and tower are swapped under the
 * write lock and scoring runs under the read lock, so every user vector of a batch comes from
 * exactly one version. The item index is updated right after, outside the lock (it has its own
 * one-writer, many-readers contract), so a large index build never stalls the stream threads.
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

  /**
   * Slots of each tower's per-item cache of LSTM input rows unless configured ({@code
   * tower.cache.items}).
   */
  public static final int DEFAULT_PROJECTION_SLOTS = 65_536;

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final ServingParams params = new ServingParams();
  private final SnapshotAssembler assembler;
  private final int exactThreshold;
  private final HnswConfig hnsw;
  private final int projectionSlots;
  private final ProjectionCounters projections = new ProjectionCounters();
  private volatile ItemIndex index;
  private volatile UserTower tower;
  private volatile ModelConfig config;
  private volatile long version = -1;
  private volatile long indexedVersion = -1;
  private volatile Served served;

  /**
   * The snapshot being served and when this instance started serving it.
   *
   * @param manifest the snapshot's manifest (version, instances applied, loss, newest event time,
   *     when the trainer wrote it)
   * @param sinceMillis wall-clock time this instance swapped it in
   */
  public record Served(dev.freshet.avro.SnapshotManifest manifest, long sinceMillis) {}

  /**
   * With the default cache of LSTM input rows ({@link #DEFAULT_PROJECTION_SLOTS} slots).
   *
   * @param exactThreshold below this many items the index searches exhaustively; above it uses HNSW
   * @param hnsw the HNSW settings above the threshold
   */
  public ServingModel(int exactThreshold, HnswConfig hnsw) {
    this(exactThreshold, hnsw, DEFAULT_PROJECTION_SLOTS);
  }

  /**
   * @param exactThreshold below this many items the index searches exhaustively; above it uses HNSW
   * @param hnsw the HNSW settings above the threshold
   * @param projectionSlots slots of each tower's per-item cache of LSTM input rows (0: none); the
   *     cache lives as long as the tower, until the next snapshot whose dense tensors changed
   */
  public ServingModel(int exactThreshold, HnswConfig hnsw, int projectionSlots) {
    if (projectionSlots < 0) {
      throw new IllegalArgumentException("projectionSlots must be >= 0: " + projectionSlots);
    }
    this.projectionSlots = projectionSlots;
    this.exactThreshold = exactThreshold;
    this.hnsw = Objects.requireNonNull(hnsw, "hnsw");
    this.assembler =
        new SnapshotAssembler(
            params,
            new SnapshotAssembler.Listener() {
              @Override
              public void onSnapshot(SnapshotAssembler.AppliedSnapshot s) {
                swapTower(s);
              }

              @Override
              public void afterSnapshot(SnapshotAssembler.AppliedSnapshot s) {
                updateIndex(s);
                indexedVersion = s.manifest().getVersion();
              }
            },
            lock.writeLock());
  }

  /** Exhaustive search up to {@code exactThreshold} items, HNSW with default settings above. */
  public ServingModel(int exactThreshold) {
    this(exactThreshold, HnswConfig.defaults());
  }

  /** Hits and misses of the towers' caches of LSTM input rows, over every tower so far. */
  public ProjectionCounters projections() {
    return projections;
  }

  /** Where the parameter-log reader feeds records. */
  public SnapshotAssembler assembler() {
    return assembler;
  }

  /** The version being served, -1 before the first snapshot. */
  public long version() {
    return version;
  }

  /**
   * The newest version whose item vectors are all in the index, -1 before the first. It trails
   * {@link #version()} while a snapshot's items are being indexed; from this version on, every
   * score uses that snapshot's tower and items only (a replay that must not race the index waits
   * for it).
   */
  public long indexedVersion() {
    return indexedVersion;
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

  /** The item index's counters (size, rebuilds, how many searches were proven exact, ...). */
  public Optional<IndexStats> indexStats() {
    ItemIndex idx = index;
    return idx == null ? Optional.empty() : Optional.of(idx.stats());
  }

  /** Under the write lock: the new tower and version become visible together. */
  private void swapTower(SnapshotAssembler.AppliedSnapshot s) {
    ModelConfig c = s.config();
    if (config == null || !config.equals(c)) {
      tower = null;
    }
    if ((s.denseChanged() || tower == null) && !s.params().dense().isEmpty()) {
      tower = new UserTower(c, s.params().dense(), s.params(), projectionSlots, projections);
    }
    version = s.manifest().getVersion();
    served = new Served(s.manifest(), System.currentTimeMillis());
  }

  /** The snapshot being served, empty before the first. */
  public Optional<Served> served() {
    return Optional.ofNullable(served);
  }

  /**
   * After the lock: item vectors go into the index, which is safe for one writer and concurrent
   * readers, so scoring continues meanwhile (an HNSW build for a large first snapshot takes
   * seconds; readers use exhaustive search until it is done). A batch scored meanwhile may see some
   * items' vectors of the previous version.
   */
  private void updateIndex(SnapshotAssembler.AppliedSnapshot s) {
    ModelConfig c = s.config();
    if (config == null || !config.equals(c)) {
      AutoItemIndex fresh = new AutoItemIndex(c.vectorDim(), exactThreshold, hnsw);
      fresh.upsertAll(s.params().items());
      ItemIndex old = index;
      index = fresh;
      config = c;
      if (old != null) {
        old.close();
      }
      return;
    }
    s.removedItems().forEach(index::remove);
    for (String id : s.changedItems()) {
      float[] v = s.params().items().get(id);
      if (v != null) {
        index.upsert(id, v);
      }
    }
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
      ItemIndex idx = index;
      UserTower t = tower;
      if (t == null || idx == null || idx.size() == 0) {
        return Optional.empty();
      }
      // Users are independent: the batch is cut into chunks small enough for the plain-Java
      // tower, and each chunk computes its users' vectors and then searches the index for each,
      // spread over the cores, so both halves of the work use every core. For single-precision
      // models a chunk always runs the plain kernel, which computes each user from its own window
      // alone: a user's vector does not depend on which other clicks shared its batch.
      int size = users.size();
      int chunk = chunkSize(size, ForkJoinPool.getCommonPoolParallelism() + 1);
      int chunks = (size + chunk - 1) / chunk;
      float[][] vectors = new float[size][];
      @SuppressWarnings("unchecked")
      List<ItemScore>[] found = new List[size];
      IntStream range = IntStream.range(0, chunks);
      (chunks > 1 ? range.parallel() : range)
          .forEach(
              c -> {
                int from = c * chunk;
                int to = Math.min(size, from + chunk);
                float[][] v = t.userVectors(users.subList(from, to));
                for (int i = from; i < to; i++) {
                  vectors[i] = v[i - from];
                  found[i] = idx.topK(vectors[i], n, exclude.get(i));
                }
              });
      List<Scored> out = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        out.add(new Scored(vectors[i], found[i]));
      }
      return Optional.of(new Batch(version, out));
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Users per chunk for a batch of {@code n} on {@code workers} threads: about four chunks per
   * worker (so an uneven chunk does not leave a core idle), at least one user and never more than
   * the plain-Java tower's batch limit. Even two users are worth splitting: one user's search over
   * a large index costs far more than handing a task to another core.
   */
  static int chunkSize(int n, int workers) {
    int perChunk = (n + 4 * workers - 1) / (4 * workers);
    return Math.max(1, Math.min(perChunk, UserTower.PLAIN_JAVA_MAX_BATCH));
  }

  /** The items nearest to {@code itemId} by inner product with its vector, or empty if unknown. */
  public Optional<List<ItemScore>> similar(String itemId, int n) {
    lock.readLock().lock();
    try {
      ItemIndex idx = index;
      if (idx == null) {
        return Optional.empty();
      }
      Optional<float[]> v = idx.vector(itemId);
      if (v.isEmpty()) {
        return Optional.empty();
      }
      // Query [1, w_i] shape: the item's vector itself is [b_i, w_i]; use its w part with a
      // leading 1 so the ranking is that of a user whose u equals w_i.
      float[] q = v.get().clone();
      q[0] = 1f;
      return Optional.of(idx.topK(q, n, List.of(itemId)));
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
