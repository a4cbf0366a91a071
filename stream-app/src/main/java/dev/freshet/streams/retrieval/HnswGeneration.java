package dev.freshet.streams.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * One HNSW graph and the vectors it links: the mutable state behind {@link HnswItemIndex}, replaced
 * wholesale by a rebuild. Not thread-safe; {@link HnswItemIndex} guards it with its lock.
 *
 * <p>Nodes are dense ordinals {@code 0..slots-1} in insertion order (Lucene's builder requires
 * that). Each ordinal keeps its raw vector {@code [b,w]} in one row-major {@code float[]}, its
 * squared norm and its SIMPLE-LSH tail {@code sqrt(1-|v|^2/L^2)} for the link bound {@code L = m *
 * linkNormFraction}. Graph construction compares items by the dot product of their SIMPLE-LSH
 * transforms under {@code L} (mapped by {@code (1+x)/2} like Lucene's DOT_PRODUCT); queries are
 * scored with the raw inner product, which ranks items exactly like the transformed query would
 * (see {@link SimpleLsh}) and is the score callers want. A removed item stays a node (other nodes
 * route through it) but is filtered out of results; a rebuild compacts it away.
 */
final class HnswGeneration {

  private final int dim;
  private final HnswConfig config;
  private final HnswGraphBuilder builder;
  private final HashMap<String, Integer> ordOf = new HashMap<>();
  private final BitSet deleted = new BitSet();
  private final BitSet drifted = new BitSet();
  private final NormBands bands;
  private float[] vectors;
  private float[] normSq;
  private float[] tails;
  private float[] drift;
  private String[] ids;
  private int slots;
  private int deletedCount;
  private int driftedCount;
  private float m;
  private float mAtBuild;
  private int mGrowths;

  /**
   * An empty generation.
   *
   * @param m the initial SIMPLE-LSH bound, or 0 to take it from the first item
   */
  HnswGeneration(int dim, HnswConfig config, float m, int capacity) {
    this.dim = dim;
    this.config = config;
    this.m = m;
    this.mAtBuild = m;
    this.bands = new NormBands(dim);
    int cap = Math.max(16, capacity);
    this.vectors = new float[Math.multiplyExact(cap, dim)];
    this.normSq = new float[cap];
    this.tails = new float[cap];
    this.drift = new float[cap];
    this.ids = new String[cap];
    try {
      this.builder =
          HnswGraphBuilder.create(
              new ItemScorerSupplier(), config.maxConn(), config.beamWidth(), config.seed());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A generation holding the first {@code count} rows of {@code rowMajor} under {@code itemIds},
   * with {@code m} set to their largest norm so the transform is exactly the reference's.
   */
  static HnswGeneration build(
      int dim, HnswConfig config, String[] itemIds, float[] rowMajor, int count) {
    float maxNorm = SimpleLsh.maxNorm(rowMajor, count, dim);
    HnswGeneration g = new HnswGeneration(dim, config, maxNorm > 0f ? maxNorm : 0f, count);
    for (int r = 0; r < count; r++) {
      g.put(itemIds[r], rowMajor, r * dim);
    }
    return g;
  }

  /**
   * Inserts or updates the item from {@code src[off, off+dim)}.
   *
   * @return true if the item was new
   */
  boolean put(String itemId, float[] src, int off) {
    float nsq = Vectors.dot(src, off, src, off, dim);
    assert Float.isFinite(nsq) : "norm^2 of " + itemId + " is " + nsq;
    ensureBound((float) Math.sqrt(nsq));
    Integer existing = ordOf.get(itemId);
    if (existing == null) {
      int ord = slots;
      ensureCapacity(ord + 1);
      store(ord, src, off, nsq);
      bands.put(ord, src, off);
      ids[ord] = itemId;
      ordOf.put(itemId, ord);
      slots++;
      try {
        builder.addGraphNode(ord);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return true;
    }
    int ord = existing;
    float moved = 0f;
    for (int i = 0; i < dim; i++) {
      float d = src[off + i] - vectors[ord * dim + i];
      moved += d * d;
    }
    float newTail = SimpleLsh.tail(nsq, m);
    float dt = newTail - tails[ord];
    drift[ord] += (float) Math.sqrt(moved / (m * m) + dt * dt);
    if (drift[ord] >= config.driftThreshold() && !drifted.get(ord)) {
      drifted.set(ord);
      driftedCount++;
    }
    store(ord, src, off, nsq);
    bands.put(ord, src, off);
    return false;
  }

  /** Marks the item deleted; it stays a graph node until the next rebuild. */
  boolean delete(String itemId) {
    Integer ord = ordOf.remove(itemId);
    if (ord == null) {
      return false;
    }
    deleted.set(ord);
    deletedCount++;
    bands.remove(ord);
    if (drifted.get(ord)) {
      drifted.clear(ord);
      driftedCount--;
    }
    return true;
  }

  /** A copy of the item's vector, or null if absent. */
  float[] copyOf(String itemId) {
    Integer ord = ordOf.get(itemId);
    return ord == null ? null : Arrays.copyOfRange(vectors, ord * dim, (ord + 1) * dim);
  }

  boolean contains(String itemId) {
    return ordOf.containsKey(itemId);
  }

  /** Calls {@code sink} with every live item in ordinal order. */
  void forEachLive(ItemSink sink) {
    float[] row = new float[dim];
    for (int ord = 0; ord < slots; ord++) {
      if (!deleted.get(ord)) {
        System.arraycopy(vectors, ord * dim, row, 0, dim);
        sink.accept(ids[ord], row);
      }
    }
  }

  /** What the norm-band scan did in one search. */
  enum Refinement {
    /** No scan in the plan: the graph's result as it is. */
    NONE,
    /** The bound proved the result: it is the exact top-k. */
    EXACT,
    /** The bound left too many items in play and the scan gave up (see {@link SearchPlan}). */
    SKIPPED,
    /** The scan's budget ran out before a proof: the best of the graph and the items scanned. */
    PARTIAL
  }

  /**
   * One search's result and cost.
   *
   * @param items best first, exact scores
   * @param visited nodes the graph search scored
   * @param scanned items the band scan scored
   * @param refinement what the band scan did
   */
  record Found(List<ItemScore> items, int visited, int scanned, Refinement refinement) {}

  /**
   * Top-{@code k} as {@code plan} says (see {@link SearchPlan}): a graph search with a beam of
   * {@code max(k, efSearch)} and an exact scan of the norm bands ({@link NormBands}) of at most
   * {@code maxScan} items, merged. A plan that scans never returns worse than its graph search
   * alone would.
   */
  Found search(float[] query, int k, Collection<String> excludeIds, SearchPlan plan) {
    if (ordOf.isEmpty()) {
      return new Found(List.of(), 0, 0, Refinement.NONE);
    }
    int[] excluded = new int[excludeIds.size()];
    int nExcluded = 0;
    for (String id : excludeIds) {
      Integer ord = ordOf.get(id);
      if (ord != null) {
        excluded[nExcluded++] = ord;
      }
    }
    excluded = Arrays.copyOf(excluded, nExcluded);
    long bailAbove = (long) SearchPlan.BAIL_FACTOR * plan.maxScan();
    TopK heap = new TopK(Math.min(k, ordOf.size()));
    NormBands.Scan scan = null;
    if (plan.maxScan() > 0 && (plan.scanFirst() || plan.efSearch() == 0)) {
      scan = bands.scan(query, heap, Float.NEGATIVE_INFINITY, excluded, plan.maxScan(), bailAbove);
      if (scan.exact() || plan.efSearch() == 0) {
        return found(k, heap, new ScoreDoc[0], 0, scan);
      }
    }
    KnnCollector graph = graphSearch(query, Math.max(k, plan.efSearch()), excluded);
    ScoreDoc[] docs = graph.topDocs().scoreDocs;
    Arrays.sort(
        docs,
        (a, b) ->
            a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.doc, b.doc));
    int visited = (int) Math.min(Integer.MAX_VALUE, graph.visitedCount());
    if (scan == null && plan.maxScan() > 0) {
      float floor = docs.length >= k ? docs[k - 1].score : Float.NEGATIVE_INFINITY;
      scan = bands.scan(query, heap, floor, excluded, plan.maxScan(), bailAbove);
    }
    return found(k, heap, docs, visited, scan);
  }

  private Found found(int k, TopK heap, ScoreDoc[] docs, int visited, NormBands.Scan scan) {
    int[] hOrds = new int[heap.size()];
    float[] hScores = new float[heap.size()];
    int h = heap.drainBestFirst(hOrds, hScores);
    int nDocs = Math.min(k, docs.length);
    Refinement r;
    if (scan == null) {
      r = Refinement.NONE;
    } else if (scan.exact()) {
      r = Refinement.EXACT;
    } else if (scan.bailed()) {
      r = Refinement.SKIPPED;
    } else {
      r = Refinement.PARTIAL;
    }
    return new Found(
        merge(hOrds, hScores, h, docs, nDocs, k), visited, scan == null ? 0 : scan.scanned(), r);
  }

  /** Lucene's HNSW search over live, non-excluded nodes, scored by the raw inner product. */
  private KnnCollector graphSearch(float[] query, int beam, int[] excluded) {
    Bits accept =
        deletedCount == 0 && excluded.length == 0 ? null : new AcceptBits(deleted, excluded, slots);
    try {
      return HnswGraphSearcher.search(
          new QueryScorer(query), beam, builder.getGraph(), accept, Integer.MAX_VALUE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The best {@code k} of two lists sorted best first (score descending, ordinal ascending on
   * ties), an ordinal present in both counted once.
   */
  private List<ItemScore> merge(
      int[] hOrds, float[] hScores, int h, ScoreDoc[] docs, int nDocs, int k) {
    List<ItemScore> out = new ArrayList<>(Math.min(k, h + nDocs));
    int i = 0;
    int j = 0;
    while (out.size() < k && (i < h || j < nDocs)) {
      int cmp;
      if (i == h) {
        cmp = 1;
      } else if (j == nDocs) {
        cmp = -1;
      } else if (hScores[i] != docs[j].score) {
        cmp = Float.compare(docs[j].score, hScores[i]);
      } else {
        cmp = Integer.compare(hOrds[i], docs[j].doc);
      }
      if (cmp <= 0) {
        assert !deleted.get(hOrds[i]) : "deleted ordinal " + hOrds[i] + " in results";
        out.add(new ItemScore(ids[hOrds[i]], hScores[i]));
        i++;
        if (cmp == 0) {
          j++;
        }
      } else {
        assert !deleted.get(docs[j].doc) : "deleted ordinal " + docs[j].doc + " in results";
        out.add(new ItemScore(ids[docs[j].doc], docs[j].score));
        j++;
      }
    }
    return out;
  }

  /** Items held by the norm bands (tests). */
  int bandedCount() {
    return bands.count();
  }

  /**
   * Whether the graph has degraded enough to rebuild: too many drifted or deleted nodes, or {@code
   * m} grown too far past its value at build. Never below {@code autoRebuildMinSize} nodes.
   */
  boolean needsRebuild() {
    if (slots < config.autoRebuildMinSize()) {
      return false;
    }
    return driftedCount >= config.rebuildDriftFraction() * Math.max(1, ordOf.size())
        || deletedCount >= config.rebuildDeletedFraction() * slots
        || (mAtBuild > 0f && m > mAtBuild * config.rebuildNormGrowth());
  }

  int size() {
    return ordOf.size();
  }

  int slots() {
    return slots;
  }

  int deletedCount() {
    return deletedCount;
  }

  int driftedCount() {
    return driftedCount;
  }

  float normBound() {
    return m;
  }

  int normBoundGrowths() {
    return mGrowths;
  }

  long vectorBytes() {
    return (long) vectors.length * Float.BYTES + 3L * normSq.length * Float.BYTES + bands.bytes();
  }

  long graphBytes() {
    return builder.getGraph().ramBytesUsed();
  }

  /**
   * The similarity the graph builder links by: the SIMPLE-LSH cosine {@code <P(a), P(b)>} of the
   * two stored items, with {@code linkBound()} in place of {@code m}.
   */
  float itemSimilarity(int a, int b) {
    float dot = Vectors.dot(vectors, a * dim, vectors, b * dim, dim);
    return SimpleLsh.itemSimilarity(dot, tails[a], tails[b], linkBound());
  }

  /** The ordinal of a live item, or -1. */
  int ordinalOf(String itemId) {
    Integer ord = ordOf.get(itemId);
    return ord == null ? -1 : ord;
  }

  /**
   * Keeps {@code m >= norm}. When an item outgrows the bound, {@code m} becomes {@code norm *
   * headroom} and every tail is recomputed: O(slots), rare because the bound grows geometrically.
   * Rankings do not depend on {@code m}; only the shape of future links does.
   */
  private void ensureBound(float norm) {
    boolean first = m == 0f;
    if (norm <= m && !first) {
      return;
    }
    m = norm > 0f ? norm * config.normGrowthHeadroom() : 1f;
    if (first) {
      mAtBuild = m;
    } else {
      mGrowths++;
    }
    for (int ord = 0; ord < slots; ord++) {
      tails[ord] = SimpleLsh.tail(normSq[ord], linkBound());
    }
  }

  /**
   * The bound used to shape links: {@code m * linkNormFraction}. Items with a larger norm get tail
   * 0. Fraction 1 is plain SIMPLE-LSH; towards 0 it becomes an inner-product graph.
   */
  private float linkBound() {
    return m * config.linkNormFraction();
  }

  private void store(int ord, float[] src, int off, float nsq) {
    System.arraycopy(src, off, vectors, ord * dim, dim);
    normSq[ord] = nsq;
    tails[ord] = SimpleLsh.tail(nsq, linkBound());
  }

  private void ensureCapacity(int needed) {
    if (needed <= ids.length) {
      return;
    }
    int cap = Math.max(needed, ids.length + (ids.length >> 1));
    vectors = Arrays.copyOf(vectors, Math.multiplyExact(cap, dim));
    normSq = Arrays.copyOf(normSq, cap);
    tails = Arrays.copyOf(tails, cap);
    drift = Arrays.copyOf(drift, cap);
    ids = Arrays.copyOf(ids, cap);
  }

  /** Scores stored items against one stored item: the builder's view (angular, in [0,1]). */
  private final class ItemScorerSupplier implements RandomVectorScorerSupplier {
    @Override
    public RandomVectorScorer scorer(int ord) {
      return new RandomVectorScorer() {
        @Override
        public float score(int node) {
          return (1f + itemSimilarity(ord, node)) * 0.5f;
        }

        @Override
        public int maxOrd() {
          return slots;
        }
      };
    }

    @Override
    public RandomVectorScorerSupplier copy() {
      return this;
    }
  }

  /** Scores stored items against a query by the raw inner product. */
  private final class QueryScorer implements RandomVectorScorer {
    private final float[] query;

    QueryScorer(float[] query) {
      this.query = query;
    }

    @Override
    public float score(int node) {
      return Vectors.dot(query, 0, vectors, node * dim, dim);
    }

    @Override
    public int maxOrd() {
      return slots;
    }
  }

  /** Live and not excluded. The excluded list is short (a user's recent clicks): linear scan. */
  private static final class AcceptBits implements Bits {
    private final BitSet deleted;
    private final int[] excluded;
    private final int length;

    AcceptBits(BitSet deleted, int[] excluded, int length) {
      this.deleted = deleted;
      this.excluded = excluded;
      this.length = length;
    }

    @Override
    public boolean get(int index) {
      if (deleted.get(index)) {
        return false;
      }
      for (int e : excluded) {
        if (e == index) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int length() {
      return length;
    }
  }
}
