package dev.freshet.streams.retrieval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Approximate maximum inner product search on a Lucene HNSW graph over SIMPLE-LSH-transformed
 * items, kept fresh under a continuous stream of item-vector updates.
 *
 * <ul>
 *   <li><b>New item</b>: stored and linked into the graph at once ({@link
 *       org.apache.lucene.util.hnsw.HnswGraphBuilder#addGraphNode}); found by every later query.
 *   <li><b>Changed vector</b>: replaced in place. The node keeps its links and queries score it
 *       with the new vector, so its score is always right; only its reachability can suffer. The
 *       index adds the item's movement on the SIMPLE-LSH unit sphere to a per-item drift and counts
 *       the item as drifted once that passes {@link HnswConfig#driftThreshold()}.
 *   <li><b>Removed item</b>: marked deleted and filtered out of results; it stays a routing node.
 *   <li><b>Exact scan by the norm bound</b>: every item is also kept in a norm band ({@link
 *       NormBands}); a query can scan the bands by descending bound {@code q0·b + |u|·|w|} and stop
 *       once no unvisited item can enter the top-K, which proves the result exact. {@link
 *       SearchPlan} combines it with the graph search (by default: scan first, graph only when the
 *       scan's budget runs out; see {@link HnswConfig#plan(int, int)}).
 *   <li><b>Norm bound m</b>: only grows (to {@code norm * headroom} when an item outgrows it), so
 *       it always bounds every norm; rankings do not depend on it (see {@link SimpleLsh}).
 *   <li><b>Rebuild</b>: when drifted items, deleted nodes or the growth of {@code m} pass their
 *       thresholds, a new graph is built from a copy of the live items (on a background thread if
 *       {@link HnswConfig#autoRebuild()}, or on demand with {@link #rebuild()}/{@link
 *       #rebuildAsync()}). Writes that land meanwhile are recorded by id and replayed onto the new
 *       graph, first without blocking anyone and the last few under the write lock, then the new
 *       graph replaces the old one atomically. Memory peaks at about twice the index during a
 *       rebuild.
 * </ul>
 *
 * <p><b>Thread-safety</b>: as {@link ItemIndex} states. Implemented with a {@link
 * ReentrantReadWriteLock}: {@link #topK} and the other reads share the read lock (Lucene's on-heap
 * searcher keeps its cursor per call, so concurrent searches are independent); an upsert holds the
 * write lock while it links the node (tens to hundreds of microseconds); the rebuild thread holds
 * it only for the final replay and the swap.
 */
public final class HnswItemIndex implements ItemIndex {

  private static final Logger LOG = LoggerFactory.getLogger(HnswItemIndex.class);

  /** Changes still pending after this many unlocked replay rounds are replayed under the lock. */
  private static final int MAX_UNLOCKED_REPLAY_ROUNDS = 8;

  /** Replay under the write lock once at most this many changes are pending. */
  private static final int LOCKED_REPLAY_MAX = 256;

  private final int dimension;
  private final HnswConfig config;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final AtomicReference<CompletableFuture<IndexStats>> inFlight = new AtomicReference<>();
  private final Set<String> changedDuringRebuild = ConcurrentHashMap.newKeySet();

  private HnswGeneration current;
  private volatile long version;
  private volatile boolean recording;
  private long generation = 1;
  private long inserts;
  private long updates;
  private long removals;
  private long rebuilds;
  private long lastBuildMillis;
  private ExecutorService executor;
  private boolean closed;
  private final LongAdder queries = new LongAdder();
  private final LongAdder provenExact = new LongAdder();
  private final LongAdder refineSkipped = new LongAdder();
  private final LongAdder visitedNodes = new LongAdder();
  private final LongAdder scannedItems = new LongAdder();

  /** An empty index; {@code m} is taken from the first item. */
  public HnswItemIndex(int dimension, HnswConfig config) {
    this.dimension = Vectors.checkDimension(dimension);
    this.config = Objects.requireNonNull(config, "config");
    this.current = new HnswGeneration(dimension, config, 0f, 1024);
  }

  private HnswItemIndex(int dimension, HnswConfig config, HnswGeneration built, long millis) {
    this.dimension = dimension;
    this.config = config;
    this.current = built;
    this.inserts = built.size();
    this.version = built.size();
    this.lastBuildMillis = millis;
  }

  /**
   * Bulk-builds an index over {@code itemIds.get(r)} → {@code rowMajor[r*dim, (r+1)*dim)}, with
   * {@code m} the exact largest norm. A later duplicate id replaces an earlier one.
   *
   * @throws IllegalArgumentException if {@code rowMajor.length != itemIds.size() * dimension} or a
   *     value is not finite
   */
  public static HnswItemIndex build(
      int dimension, HnswConfig config, List<String> itemIds, float[] rowMajor) {
    Vectors.checkDimension(dimension);
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(itemIds, "itemIds");
    Objects.requireNonNull(rowMajor, "rowMajor");
    if ((long) itemIds.size() * dimension != rowMajor.length) {
      throw new IllegalArgumentException(
          "rowMajor has length "
              + rowMajor.length
              + ", expected ["
              + itemIds.size()
              + " x "
              + dimension
              + "]");
    }
    for (int i = 0; i < rowMajor.length; i++) {
      if (!Float.isFinite(rowMajor[i])) {
        throw new IllegalArgumentException(
            "rowMajor[" + i + "] (row " + i / dimension + ") is " + rowMajor[i]);
      }
    }
    String[] ids = new String[itemIds.size()];
    for (int r = 0; r < ids.length; r++) {
      ids[r] = Vectors.checkId(itemIds.get(r));
    }
    long t0 = System.nanoTime();
    HnswGeneration g = HnswGeneration.build(dimension, config, ids, rowMajor, ids.length);
    return new HnswItemIndex(dimension, config, g, (System.nanoTime() - t0) / 1_000_000L);
  }

  /** The parameters this index was created with. */
  public HnswConfig config() {
    return config;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public void upsert(String itemId, float[] vector) {
    Vectors.checkId(itemId);
    Vectors.check("vector", vector, dimension);
    boolean rebuildDue;
    lock.writeLock().lock();
    try {
      if (current.put(itemId, vector, 0)) {
        inserts++;
      } else {
        updates++;
      }
      afterWrite(itemId);
      rebuildDue = current.needsRebuild();
    } finally {
      lock.writeLock().unlock();
    }
    if (rebuildDue) {
      maybeRebuildInBackground();
    }
  }

  @Override
  public boolean remove(String itemId) {
    Objects.requireNonNull(itemId, "itemId");
    boolean rebuildDue;
    lock.writeLock().lock();
    try {
      if (!current.delete(itemId)) {
        return false;
      }
      removals++;
      afterWrite(itemId);
      rebuildDue = current.needsRebuild();
    } finally {
      lock.writeLock().unlock();
    }
    if (rebuildDue) {
      maybeRebuildInBackground();
    }
    return true;
  }

  /** Under the write lock. */
  private void afterWrite(String itemId) {
    version++;
    if (recording) {
      changedDuringRebuild.add(itemId);
    }
  }

  /** As planned by {@link HnswConfig#plan(int, int)} for the current size. */
  @Override
  public List<ItemScore> topK(float[] query, int k, Collection<String> excludeIds) {
    return topK(query, k, excludeIds, config.efSearch());
  }

  /**
   * {@link #topK(float[], int, Collection)} with a per-query search beam: {@code max(k, efSearch)}
   * candidates are kept; the norm-band scan runs as configured ({@link HnswConfig#plan(int, int)}).
   *
   * @throws IllegalArgumentException if {@code efSearch < 1}, or as {@link #topK(float[], int,
   *     Collection)}
   */
  public List<ItemScore> topK(float[] query, int k, Collection<String> excludeIds, int efSearch) {
    if (efSearch < 1) {
      throw new IllegalArgumentException("efSearch must be >= 1, got " + efSearch);
    }
    return topK(query, k, excludeIds, efSearch, null);
  }

  /**
   * Top-{@code k} as {@code plan} says: graph search, exact norm-band scan, or both (see {@link
   * SearchPlan}). Scores are exact in every plan; results proven exact are counted in {@link
   * SearchStats#provenExact()}.
   *
   * @throws IllegalArgumentException as {@link #topK(float[], int, Collection)}
   */
  public List<ItemScore> topK(
      float[] query, int k, Collection<String> excludeIds, SearchPlan plan) {
    Objects.requireNonNull(plan, "plan");
    return topK(query, k, excludeIds, plan.efSearch(), plan);
  }

  private List<ItemScore> topK(
      float[] query, int k, Collection<String> excludeIds, int efSearch, SearchPlan given) {
    Vectors.check("query", query, dimension);
    Vectors.checkK(k);
    Objects.requireNonNull(excludeIds, "excludeIds");
    HnswGeneration.Found found;
    lock.readLock().lock();
    try {
      SearchPlan plan = given != null ? given : config.plan(efSearch, current.size());
      found = current.search(query, k, excludeIds, plan);
    } finally {
      lock.readLock().unlock();
    }
    queries.increment();
    visitedNodes.add(found.visited());
    scannedItems.add(found.scanned());
    switch (found.refinement()) {
      case EXACT -> provenExact.increment();
      case SKIPPED -> refineSkipped.increment();
      case NONE, PARTIAL -> {
        // nothing proven, nothing skipped
      }
    }
    return found.items();
  }

  /** Query counters (see {@link SearchStats}); also part of {@link #stats()}. */
  public SearchStats searchStats() {
    return new SearchStats(
        queries.sum(),
        provenExact.sum(),
        refineSkipped.sum(),
        visitedNodes.sum(),
        scannedItems.sum());
  }

  @Override
  public boolean contains(String itemId) {
    Objects.requireNonNull(itemId, "itemId");
    lock.readLock().lock();
    try {
      return current.contains(itemId);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Optional<float[]> vector(String itemId) {
    Objects.requireNonNull(itemId, "itemId");
    lock.readLock().lock();
    try {
      return Optional.ofNullable(current.copyOf(itemId));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public int size() {
    lock.readLock().lock();
    try {
      return current.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public long version() {
    return version;
  }

  @Override
  public IndexStats stats() {
    lock.readLock().lock();
    try {
      HnswGeneration g = current;
      return new IndexStats(
          "hnsw",
          g.size(),
          g.slots(),
          g.deletedCount(),
          g.driftedCount(),
          version,
          generation,
          inserts,
          updates,
          removals,
          rebuilds,
          lastBuildMillis,
          g.normBound(),
          g.normBoundGrowths(),
          inFlight.get() != null,
          g.vectorBytes(),
          g.graphBytes(),
          searchStats());
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Whether the current graph has passed a rebuild threshold (drift, deletions or growth of m). */
  public boolean rebuildDue() {
    lock.readLock().lock();
    try {
      return current.needsRebuild();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Rebuilds the graph in the calling thread (or waits for the rebuild already running) and swaps
   * it in. Readers and the writer keep going on the old graph meanwhile.
   *
   * @return the stats right after the swap
   */
  public IndexStats rebuild() {
    while (true) {
      CompletableFuture<IndexStats> mine = new CompletableFuture<>();
      if (inFlight.compareAndSet(null, mine)) {
        runRebuild(mine);
        return mine.join();
      }
      CompletableFuture<IndexStats> running = inFlight.get();
      if (running != null) {
        return running.join();
      }
    }
  }

  /**
   * Starts a rebuild on this index's background thread, or returns the one already running.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  public CompletableFuture<IndexStats> rebuildAsync() {
    while (true) {
      CompletableFuture<IndexStats> mine = new CompletableFuture<>();
      if (inFlight.compareAndSet(null, mine)) {
        try {
          executor().execute(() -> runRebuild(mine));
        } catch (RuntimeException e) {
          inFlight.set(null);
          mine.completeExceptionally(e);
          throw e;
        }
        return mine;
      }
      CompletableFuture<IndexStats> running = inFlight.get();
      if (running != null) {
        return running;
      }
    }
  }

  /**
   * The rebuild running now (started by a write, {@link #rebuildAsync()} or {@link #rebuild()}).
   */
  public Optional<CompletableFuture<IndexStats>> runningRebuild() {
    return Optional.ofNullable(inFlight.get());
  }

  private void maybeRebuildInBackground() {
    if (!config.autoRebuild() || inFlight.get() != null) {
      return;
    }
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    rebuildAsync();
  }

  private synchronized ExecutorService executor() {
    if (closed) {
      throw new IllegalStateException("index is closed: no background rebuilds");
    }
    if (executor == null) {
      executor =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "freshet-hnsw-rebuild");
                t.setDaemon(true);
                return t;
              });
    }
    return executor;
  }

  private void runRebuild(CompletableFuture<IndexStats> future) {
    IndexStats result = null;
    RuntimeException failure = null;
    try {
      result = rebuildNow();
    } catch (RuntimeException e) {
      LOG.error("HNSW rebuild failed; the old graph stays in service", e);
      failure = e;
    } finally {
      inFlight.set(null);
    }
    if (failure != null) {
      future.completeExceptionally(failure);
    } else {
      future.complete(result);
    }
  }

  /** Snapshot → build → replay unlocked → replay the rest and swap under the write lock. */
  private IndexStats rebuildNow() {
    long t0 = System.nanoTime();
    List<String> ids = new ArrayList<>();
    float[] rows;
    lock.readLock().lock();
    try {
      HnswGeneration g = current;
      float[] copy = new float[Math.multiplyExact(g.size(), dimension)];
      changedDuringRebuild.clear();
      recording = true;
      g.forEachLive(
          (id, v) -> {
            System.arraycopy(v, 0, copy, ids.size() * dimension, dimension);
            ids.add(id);
          });
      rows = copy;
    } finally {
      lock.readLock().unlock();
    }
    try {
      HnswGeneration fresh =
          HnswGeneration.build(dimension, config, ids.toArray(new String[0]), rows, ids.size());
      int rounds = 0;
      while (changedDuringRebuild.size() > LOCKED_REPLAY_MAX
          && rounds++ < MAX_UNLOCKED_REPLAY_ROUNDS) {
        for (String id : drainChanges()) {
          float[] v;
          lock.readLock().lock();
          try {
            v = current.copyOf(id);
          } finally {
            lock.readLock().unlock();
          }
          replay(fresh, id, v);
        }
      }
      lock.writeLock().lock();
      try {
        for (String id : drainChanges()) {
          replay(fresh, id, current.copyOf(id));
        }
        recording = false;
        current = fresh;
        generation++;
        rebuilds++;
        lastBuildMillis = (System.nanoTime() - t0) / 1_000_000L;
      } finally {
        lock.writeLock().unlock();
      }
      IndexStats after = stats();
      LOG.info(
          "HNSW rebuild swapped in: {} items in {} ms (generation {})",
          after.size(),
          after.lastBuildMillis(),
          after.generation());
      return after;
    } finally {
      recording = false;
    }
  }

  private List<String> drainChanges() {
    List<String> out = new ArrayList<>();
    Iterator<String> it = changedDuringRebuild.iterator();
    while (it.hasNext()) {
      out.add(it.next());
      it.remove();
    }
    return out;
  }

  private static void replay(HnswGeneration fresh, String id, float[] liveVector) {
    if (liveVector == null) {
      fresh.delete(id);
    } else {
      fresh.put(id, liveVector, 0);
    }
  }

  /** Calls {@code sink} with every live item under the read lock (for {@link AutoItemIndex}). */
  void forEach(ItemSink sink) {
    lock.readLock().lock();
    try {
      current.forEachLive(sink);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Runs {@code probe} on the current generation under the read lock (tests only). */
  <T> T inspect(Function<HnswGeneration, T> probe) {
    lock.readLock().lock();
    try {
      return probe.apply(current);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Stops the background rebuild thread after the rebuild it is running, if any; no further
   * background rebuilds start. The index stays usable, {@link #rebuild()} included.
   */
  @Override
  public synchronized void close() {
    closed = true;
    if (executor != null) {
      executor.shutdown();
    }
  }
}
