package dev.freshet.streams.retrieval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exact search for small catalogues, HNSW for large ones. Below {@code threshold} live items a
 * brute-force scan is fast (about {@code 2·n·dim} flops: 20k items of dim 32 is ~1.3 Mflop, well
 * under a millisecond) and has perfect recall and no build cost; above it the index switches to an
 * {@link HnswItemIndex}. It switches back to exact when the catalogue shrinks below half the
 * threshold (the hysteresis stops flapping around the boundary).
 *
 * <p>A switch is done by the writing thread: it copies the items into the new index while readers
 * keep querying the old one, then publishes the new one with a volatile write. The write that
 * triggers a switch to HNSW therefore takes as long as building the graph for {@code threshold}
 * items (about a second at the default; see {@code docs/benchmarks.md}); readers never wait for it.
 *
 * <p>Thread-safety as in {@link ItemIndex}: writes are serialised on a private monitor; reads go to
 * the delegate current at their start, which is itself safe for concurrent reads and a writer.
 */
public final class AutoItemIndex implements ItemIndex {

  /** The catalogue size above which HNSW pays for itself (see {@code docs/retrieval.md}). */
  public static final int DEFAULT_THRESHOLD = 20_000;

  private static final Logger LOG = LoggerFactory.getLogger(AutoItemIndex.class);

  private final int dimension;
  private final int threshold;
  private final HnswConfig hnswConfig;
  private final Object writeMonitor = new Object();
  private volatile ItemIndex delegate;
  private volatile long version;
  private long switches;

  /** An empty index that starts exact and switches to HNSW above {@code threshold} items. */
  public AutoItemIndex(int dimension, int threshold, HnswConfig hnswConfig) {
    this.dimension = Vectors.checkDimension(dimension);
    if (threshold < 2) {
      throw new IllegalArgumentException("threshold must be >= 2, got " + threshold);
    }
    this.threshold = threshold;
    this.hnswConfig = Objects.requireNonNull(hnswConfig, "hnswConfig");
    this.delegate = new ExactItemIndex(dimension);
  }

  /** {@link #DEFAULT_THRESHOLD} and {@link HnswConfig#defaults()}. */
  public AutoItemIndex(int dimension) {
    this(dimension, DEFAULT_THRESHOLD, HnswConfig.defaults());
  }

  /** Whether queries currently go to an HNSW graph. */
  public boolean usesHnsw() {
    return delegate instanceof HnswItemIndex;
  }

  /** How many times the index switched between exact and HNSW. */
  public long switches() {
    synchronized (writeMonitor) {
      return switches;
    }
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public void upsert(String itemId, float[] vector) {
    synchronized (writeMonitor) {
      delegate.upsert(itemId, vector);
      version++;
      maybeSwitch();
    }
  }

  /**
   * Upserts many items with at most one switch at the end, so a large first load builds the HNSW
   * graph once from all vectors instead of inserting most of them one by one.
   */
  public void upsertAll(Map<String, float[]> items) {
    Objects.requireNonNull(items, "items");
    synchronized (writeMonitor) {
      items.forEach(delegate::upsert);
      version += items.size();
      maybeSwitch();
    }
  }

  @Override
  public boolean remove(String itemId) {
    synchronized (writeMonitor) {
      boolean removed = delegate.remove(itemId);
      if (removed) {
        version++;
        maybeSwitch();
      }
      return removed;
    }
  }

  /** Under the write monitor. */
  private void maybeSwitch() {
    ItemIndex from = delegate;
    int size = from.size();
    ItemIndex to;
    if (from instanceof ExactItemIndex && size > threshold) {
      long t0 = System.nanoTime();
      List<String> ids = new ArrayList<>(size);
      float[] rows = copyAll(from, ids, size);
      to = HnswItemIndex.build(dimension, hnswConfig, ids, rows);
      LOG.info(
          "switched to HNSW at {} items (graph built in {} ms)",
          size,
          (System.nanoTime() - t0) / 1_000_000L);
    } else if (from instanceof HnswItemIndex && size < threshold / 2) {
      List<String> ids = new ArrayList<>(size);
      float[] rows = copyAll(from, ids, size);
      to = ExactItemIndex.of(dimension, ids, rows);
      LOG.info("switched to exact search at {} items", size);
    } else {
      return;
    }
    delegate = to;
    switches++;
    from.close();
  }

  private float[] copyAll(ItemIndex from, List<String> ids, int size) {
    float[][] rows = {new float[Math.multiplyExact(size, dimension)]};
    ItemSink sink =
        (id, v) -> {
          int off = ids.size() * dimension;
          if (off + dimension > rows[0].length) {
            rows[0] = Arrays.copyOf(rows[0], Math.max(off + dimension, rows[0].length * 2));
          }
          System.arraycopy(v, 0, rows[0], off, dimension);
          ids.add(id);
        };
    if (from instanceof ExactItemIndex) {
      ((ExactItemIndex) from).forEach(sink);
    } else {
      ((HnswItemIndex) from).forEach(sink);
    }
    return Arrays.copyOf(rows[0], ids.size() * dimension);
  }

  @Override
  public List<ItemScore> topK(float[] query, int k, Collection<String> excludeIds) {
    return delegate.topK(query, k, excludeIds);
  }

  @Override
  public boolean contains(String itemId) {
    return delegate.contains(itemId);
  }

  @Override
  public Optional<float[]> vector(String itemId) {
    return delegate.vector(itemId);
  }

  @Override
  public int size() {
    return delegate.size();
  }

  @Override
  public long version() {
    return version;
  }

  /**
   * The active delegate's stats, with this index's version. Query counters are the delegate's, so
   * they restart when the index switches between exact and HNSW.
   */
  @Override
  public IndexStats stats() {
    IndexStats s = delegate.stats();
    return new IndexStats(
        s.kind(),
        s.size(),
        s.slots(),
        s.deleted(),
        s.drifted(),
        version,
        s.generation(),
        s.inserts(),
        s.updates(),
        s.removals(),
        s.rebuilds(),
        s.lastBuildMillis(),
        s.normBound(),
        s.normBoundGrowths(),
        s.rebuildInFlight(),
        s.vectorBytes(),
        s.graphBytes(),
        s.search());
  }

  @Override
  public void close() {
    synchronized (writeMonitor) {
      delegate.close();
    }
  }
}
