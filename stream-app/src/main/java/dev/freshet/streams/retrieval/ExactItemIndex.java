package dev.freshet.streams.retrieval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Exact top-K by brute force: every query scores every live item with a tight plain-Java loop over
 * one contiguous row-major {@code float[]} matrix. O(n·dim) per query, no build cost, no
 * approximation: the index for small catalogues and the ground truth for {@link HnswItemIndex}.
 *
 * <p>Rows stay dense: removing an item moves the last row into its slot. Thread-safety as in {@link
 * ItemIndex}, with a {@link ReentrantReadWriteLock}: queries share the read lock, writes take the
 * write lock for the O(dim) time they need.
 */
public final class ExactItemIndex implements ItemIndex {

  private final int dimension;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final HashMap<String, Integer> rowOf = new HashMap<>();
  private float[] matrix;
  private String[] ids;
  private int size;
  private volatile long version;
  private long inserts;
  private long updates;
  private long removals;
  private final LongAdder queries = new LongAdder();

  /** An empty index for vectors of length {@code dimension}. */
  public ExactItemIndex(int dimension) {
    this(dimension, 1024);
  }

  /** An empty index with room for {@code initialCapacity} items before it grows. */
  public ExactItemIndex(int dimension, int initialCapacity) {
    this.dimension = Vectors.checkDimension(dimension);
    if (initialCapacity < 1) {
      throw new IllegalArgumentException("initialCapacity must be >= 1, got " + initialCapacity);
    }
    this.matrix = new float[Math.multiplyExact(initialCapacity, dimension)];
    this.ids = new String[initialCapacity];
  }

  /**
   * An index holding {@code itemIds.get(r)} with vector {@code rowMajor[r*dim, (r+1)*dim)}. A later
   * duplicate id replaces an earlier one.
   *
   * @throws IllegalArgumentException if {@code rowMajor.length != itemIds.size() * dimension}
   */
  public static ExactItemIndex of(int dimension, List<String> itemIds, float[] rowMajor) {
    Objects.requireNonNull(itemIds, "itemIds");
    Objects.requireNonNull(rowMajor, "rowMajor");
    Vectors.checkDimension(dimension);
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
    ExactItemIndex index = new ExactItemIndex(dimension, Math.max(1, itemIds.size()));
    float[] row = new float[dimension];
    for (int r = 0; r < itemIds.size(); r++) {
      System.arraycopy(rowMajor, r * dimension, row, 0, dimension);
      index.upsert(itemIds.get(r), row);
    }
    return index;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public void upsert(String itemId, float[] vector) {
    Vectors.checkId(itemId);
    Vectors.check("vector", vector, dimension);
    lock.writeLock().lock();
    try {
      Integer row = rowOf.get(itemId);
      if (row == null) {
        if (size == ids.length) {
          int capacity = Math.max(16, ids.length + (ids.length >> 1));
          ids = Arrays.copyOf(ids, capacity);
          matrix = Arrays.copyOf(matrix, Math.multiplyExact(capacity, dimension));
        }
        row = size++;
        rowOf.put(itemId, row);
        ids[row] = itemId;
        inserts++;
      } else {
        updates++;
      }
      System.arraycopy(vector, 0, matrix, row * dimension, dimension);
      version++;
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public boolean remove(String itemId) {
    Objects.requireNonNull(itemId, "itemId");
    lock.writeLock().lock();
    try {
      Integer row = rowOf.remove(itemId);
      if (row == null) {
        return false;
      }
      int last = --size;
      if (row != last) {
        System.arraycopy(matrix, last * dimension, matrix, row * dimension, dimension);
        ids[row] = ids[last];
        rowOf.put(ids[row], row);
      }
      ids[last] = null;
      removals++;
      version++;
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public List<ItemScore> topK(float[] query, int k, Collection<String> excludeIds) {
    Vectors.check("query", query, dimension);
    Vectors.checkK(k);
    Objects.requireNonNull(excludeIds, "excludeIds");
    lock.readLock().lock();
    try {
      queries.increment();
      int[] excluded = excludedRows(excludeIds);
      TopK heap = new TopK(Math.min(k, Math.max(1, size)));
      final float[] m = matrix;
      final int dim = dimension;
      float threshold = Float.NEGATIVE_INFINITY;
      for (int r = 0, off = 0; r < size; r++, off += dim) {
        float s = Vectors.dot(query, 0, m, off, dim);
        if (s >= threshold && !isExcluded(excluded, r)) {
          heap.offer(r, s);
          threshold = heap.threshold();
        }
      }
      int[] rows = new int[heap.size()];
      float[] scores = new float[heap.size()];
      int n = heap.drainBestFirst(rows, scores);
      List<ItemScore> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(new ItemScore(ids[rows[i]], scores[i]));
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  private int[] excludedRows(Collection<String> excludeIds) {
    if (excludeIds.isEmpty()) {
      return new int[0];
    }
    int[] rows = new int[excludeIds.size()];
    int n = 0;
    for (String id : excludeIds) {
      Integer row = rowOf.get(Objects.requireNonNull(id, "excludeIds element"));
      if (row != null) {
        rows[n++] = row;
      }
    }
    return Arrays.copyOf(rows, n);
  }

  private static boolean isExcluded(int[] excluded, int row) {
    for (int e : excluded) {
      if (e == row) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean contains(String itemId) {
    Objects.requireNonNull(itemId, "itemId");
    lock.readLock().lock();
    try {
      return rowOf.containsKey(itemId);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Optional<float[]> vector(String itemId) {
    Objects.requireNonNull(itemId, "itemId");
    lock.readLock().lock();
    try {
      Integer row = rowOf.get(itemId);
      return row == null
          ? Optional.empty()
          : Optional.of(Arrays.copyOfRange(matrix, row * dimension, (row + 1) * dimension));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public int size() {
    lock.readLock().lock();
    try {
      return size;
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
      long answered = queries.sum();
      return new IndexStats(
          "exact",
          size,
          size,
          0,
          0,
          version,
          0,
          inserts,
          updates,
          removals,
          0,
          0,
          0f,
          0,
          false,
          (long) matrix.length * Float.BYTES,
          0,
          new SearchStats(answered, answered, 0, 0, 0));
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Calls {@code sink} with every live item, in row order, under the read lock. The array passed is
   * reused between calls.
   */
  void forEach(ItemSink sink) {
    lock.readLock().lock();
    try {
      float[] row = new float[dimension];
      for (int r = 0; r < size; r++) {
        System.arraycopy(matrix, r * dimension, row, 0, dimension);
        sink.accept(ids[r], row);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Has nothing to release; the index stays usable. */
  @Override
  public void close() {}
}
