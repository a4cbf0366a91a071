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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntFunction;

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

  /** Receives a batch's scored users, in order, on the thread that called {@link #score}. */
  @FunctionalInterface
  public interface ScoredSink {
    /**
     * @param index the user's position in the batch
     * @param version the snapshot version that scored the batch (the same for every user)
     * @param scored the user's vector and top-N
     */
    void accept(int index, long version, Scored scored);
  }

  /**
   * Scores a batch: user vectors in one forward pass, then the top {@code n} items of each, leaving
   * out that user's {@code exclude} set.
   *
   * @return empty when no usable snapshot exists yet (the caller falls back to popularity)
   */
  public Optional<Batch> score(
      List<UserContext> users, List<? extends Collection<String>> exclude, int n) {
    Scored[] out = new Scored[users.size()];
    long[] version = {-1};
    boolean scored =
        score(
            users,
            exclude,
            n,
            (i, v, s) -> {
              out[i] = s;
              version[0] = v;
            });
    return scored ? Optional.of(new Batch(version[0], List.of(out))) : Optional.empty();
  }

  /**
   * Scores a batch as {@link #score(List, List, int)} does, handing each user to {@code sink} as
   * soon as it and every user before it are scored, in order, on the calling thread. Users are
   * scored in chunks on every core; the calling thread hands on the chunks that are done (in a
   * stream thread: encodes and sends their records) while the pool scores the next ones, and scores
   * chunks itself when none is ready. So the caller's own work on the results overlaps the scoring
   * instead of following it. Every user of the batch is scored with one snapshot (the read lock is
   * held until the last user has been handed on).
   *
   * @return false, without calling {@code sink}, when no usable snapshot exists yet
   * @throws RuntimeException what scoring or {@code sink} threw; users not yet handed on are not
   */
  public boolean score(
      List<UserContext> users, List<? extends Collection<String>> exclude, int n, ScoredSink sink) {
    Objects.requireNonNull(users, "users");
    Objects.requireNonNull(sink, "sink");
    if (users.size() != exclude.size()) {
      throw new IllegalArgumentException(
          "users and exclude differ in size: " + users.size() + " vs " + exclude.size());
    }
    lock.readLock().lock();
    try {
      ItemIndex idx = index;
      UserTower t = tower;
      if (t == null || idx == null || idx.size() == 0) {
        return false;
      }
      long v = version;
      // Users are independent: the batch is cut into chunks small enough for the plain-Java
      // tower, and each chunk computes its users' vectors and then searches the index for each.
      // For single-precision models a chunk always runs the plain kernel, which computes each user
      // from its own window alone: a user's vector does not depend on which other clicks shared
      // its batch or chunk.
      int size = users.size();
      int workers = ForkJoinPool.getCommonPoolParallelism();
      int chunk = chunkSize(size, workers + 1);
      Chunks chunks = new Chunks((size + chunk - 1) / chunk);
      IntFunction<Scored[]> scoreChunk =
          c -> {
            int from = c * chunk;
            int to = Math.min(size, from + chunk);
            float[][] vectors = t.userVectors(users.subList(from, to));
            Scored[] out = new Scored[to - from];
            for (int i = from; i < to; i++) {
              float[] u = vectors[i - from];
              out[i - from] = new Scored(u, idx.topK(u, n, exclude.get(i)));
            }
            return out;
          };
      for (int w = 0; w < Math.min(workers, chunks.count - 1); w++) {
        ForkJoinPool.commonPool().execute(() -> chunks.work(scoreChunk));
      }
      try {
        for (int c = 0; c < chunks.count; c++) {
          Scored[] done;
          while ((done = chunks.poll(c)) == null) {
            if (!chunks.claimAndScore(scoreChunk)) {
              done = chunks.await(c);
              break;
            }
          }
          for (int k = 0; k < done.length; k++) {
            sink.accept(c * chunk + k, v, done[k]);
          }
        }
      } catch (RuntimeException | Error e) {
        chunks.abandon();
        throw e;
      }
      return true;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** A batch's chunks: claimed one at a time by whichever thread is free, kept by index. */
  private static final class Chunks {
    final int count;
    private final AtomicInteger next = new AtomicInteger();
    private final List<CompletableFuture<Scored[]>> results;

    Chunks(int count) {
      this.count = count;
      this.results = new ArrayList<>(count);
      for (int c = 0; c < count; c++) {
        results.add(new CompletableFuture<>());
      }
    }

    /** A pool worker: scores chunks until none is left. */
    void work(IntFunction<Scored[]> score) {
      while (claimAndScore(score)) {
        // next chunk
      }
    }

    /** Scores the next unclaimed chunk; false if none was left. */
    boolean claimAndScore(IntFunction<Scored[]> score) {
      int c = next.getAndIncrement();
      if (c >= count) {
        return false;
      }
      try {
        results.get(c).complete(score.apply(c));
      } catch (Throwable e) {
        results.get(c).completeExceptionally(e);
      }
      return true;
    }

    /** Chunk {@code c} if it is scored, else null; rethrows what scoring it threw. */
    Scored[] poll(int c) {
      CompletableFuture<Scored[]> f = results.get(c);
      return f.isDone() ? await(c) : null;
    }

    /** Waits for chunk {@code c}; rethrows what scoring it threw. */
    Scored[] await(int c) {
      try {
        return results.get(c).join();
      } catch (CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw e;
      }
    }

    /** After a failure: no chunk is claimed any more (workers stop after their current one). */
    void abandon() {
      next.set(count);
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
