package dev.freshet.streams.retrieval;

import java.util.Arrays;

/**
 * Items grouped into geometric bands by the norm of their tail {@code w = v[1..]}, each band with
 * an upper bound on that norm and a range of the head {@code b = v[0]}, for exact top-K scans that
 * stop as soon as no unvisited item can still enter the result.
 *
 * <p>For a query {@code q = [q0, u]} and an item {@code [b, w]}, Cauchy-Schwarz gives {@code q·v =
 * q0·b + u·w ≤ q0·b + |u|·|w|}. With the band's largest {@code |w|} and its range of {@code b} this
 * bounds every item of the band. Visiting bands by descending bound and stopping when the next
 * bound is below the {@code k}-th best score seen so far (a lower bound on the true {@code k}-th
 * best) gives the exact top-{@code k}: everything unvisited scores below it. The pruning is as good
 * as the norm spread of the items (trained output rows of popular items have larger norms, the
 * benchmark's synthetic rows a log-normal scale); with no spread it degrades to a full scan, which
 * is why {@link #scan} gives up once the items still in play exceed a multiple of its budget.
 *
 * <p>Bands are geometric, {@link #BANDS_PER_OCTAVE} per doubling of the norm, so a bound is at most
 * 4.4% above the best norm in the band. Each band keeps its items' ordinals, bounds that only widen
 * while the band has items and reset when it empties, and a copy of their vectors laid out for the
 * scan: blocks of {@link #BLOCK} items stored column by column ({@code block[d][lane]}), so scoring
 * a block is {@code dim} element-wise multiply-adds over {@code BLOCK} lanes, a loop shape the JIT
 * can vectorise. The per-lane arithmetic is the same sequence of float operations as {@link
 * Vectors#dot}, so a scanned score is bit-identical to the graph's and the brute-force index's.
 * Upserts and removals are O(dim) (swap with the band's last item) and the bounds stay valid
 * without a rebuild. Not thread-safe; the owner's lock guards it.
 */
final class NormBands {

  /** Items per column-major block. */
  static final int BLOCK = 16;

  /** Bands per doubling of the norm (a band's width ratio is {@code 2^(1/16)}). */
  static final int BANDS_PER_OCTAVE = 16;

  /**
   * Norms below {@code 2^-MAX_OCTAVE} share the lowest band, above {@code 2^MAX_OCTAVE} the top.
   */
  private static final int MAX_OCTAVE = 40;

  private static final int BAND_COUNT = 2 * MAX_OCTAVE * BANDS_PER_OCTAVE;

  /**
   * Relative slack on a bound, far above float rounding in a dot product of a few hundred terms.
   */
  private static final double BOUND_SLACK = 1e-5;

  private final int dim;
  private final float[][] rows = new float[BAND_COUNT][];
  private final int[][] ords = new int[BAND_COUNT][];
  private final int[] sizes = new int[BAND_COUNT];
  private final float[] maxNorm = new float[BAND_COUNT];
  private final float[] maxHead = new float[BAND_COUNT];
  private final float[] minHead = new float[BAND_COUNT];
  private int[] bandOf = new int[0];
  private int[] posOf = new int[0];
  private int nonEmpty;

  NormBands(int dim) {
    this.dim = dim;
    Arrays.fill(maxHead, Float.NEGATIVE_INFINITY);
    Arrays.fill(minHead, Float.POSITIVE_INFINITY);
  }

  /**
   * The outcome of one {@link #scan}.
   *
   * @param scanned items scored
   * @param exact whether the bound proved the result
   * @param bailed whether the scan gave up because too many items were still in play
   */
  record Scan(int scanned, boolean exact, boolean bailed) {}

  /** Stores (or moves) ordinal {@code ord} with the vector {@code src[off, off+dim)}. */
  void put(int ord, float[] src, int off) {
    float tailSq = Vectors.dot(src, off + 1, src, off + 1, dim - 1);
    float norm = (float) Math.sqrt(tailSq);
    int band = bandIndex(norm);
    ensureOrdinal(ord);
    int old = bandOf[ord];
    if (old == band) {
      write(rows[band], posOf[ord], src, off);
    } else {
      if (old >= 0) {
        removeAt(old, posOf[ord]);
      }
      append(band, ord, src, off);
    }
    maxNorm[band] = Math.max(maxNorm[band], norm);
    maxHead[band] = Math.max(maxHead[band], src[off]);
    minHead[band] = Math.min(minHead[band], src[off]);
  }

  /** Forgets ordinal {@code ord} (no-op if absent). */
  void remove(int ord) {
    if (ord >= bandOf.length || bandOf[ord] < 0) {
      return;
    }
    removeAt(bandOf[ord], posOf[ord]);
    bandOf[ord] = -1;
  }

  /**
   * Offers to {@code heap} every item that scores at least {@code max(floor, heap.threshold())},
   * visiting bands by descending bound, until the next band's bound is below that (then the heap
   * holds the exact top-k of all items scoring at least {@code floor}, exclusions aside), {@code
   * maxScan} items have been scored, or the bound shows the scan is hopeless: at checkpoints (at
   * the start if {@code floor} is finite, else after an eighth of {@code maxScan}; then each time
   * the scanned count doubles) the items in bands whose bound reaches the threshold are counted,
   * and the scan gives up if they are more than {@code bailAbove}.
   *
   * @param floor a score at least {@code k} eligible items are known to reach, or negative infinity
   * @param excluded ordinals never offered (a query's excluded items)
   * @param maxScan at most this many items are scored
   * @param bailAbove give up when more items than this are still in play
   */
  Scan scan(float[] query, TopK heap, float floor, int[] excluded, int maxScan, long bailAbove) {
    double uNorm = tailNorm(query);
    float q0 = query[0];
    long[] order = new long[nonEmpty];
    int n = 0;
    for (int b = 0; b < BAND_COUNT; b++) {
      if (sizes[b] > 0) {
        order[n++] = ((long) sortableBits((float) bound(b, q0, uNorm)) << 32) | b;
      }
    }
    assert n == nonEmpty : n + " non-empty bands, counted " + nonEmpty;
    Arrays.sort(order, 0, n);
    int scanned = 0;
    // With a floor the bound is informative at once; without, the first items' scores are a weak
    // threshold, so the first check waits until an eighth of the budget has been spent.
    int nextCheck = floor > Float.NEGATIVE_INFINITY ? 0 : Math.max(4 * BLOCK, maxScan / 8);
    float threshold = Math.max(floor, heap.threshold());
    float[] scores = new float[BLOCK];
    float[] acc1 = new float[BLOCK];
    float[] acc2 = new float[BLOCK];
    float[] acc3 = new float[BLOCK];
    for (int i = n - 1; i >= 0; i--) {
      int b = (int) order[i];
      if (bound(b, q0, uNorm) < threshold) {
        return new Scan(scanned, true, false);
      }
      float[] data = rows[b];
      int[] o = ords[b];
      int size = sizes[b];
      for (int start = 0; start < size; start += BLOCK) {
        if (scanned == maxScan) {
          return new Scan(scanned, false, false);
        }
        if (scanned >= nextCheck && threshold > Float.NEGATIVE_INFINITY) {
          if (inPlay(order, q0, uNorm, threshold) > bailAbove) {
            return new Scan(scanned, false, true);
          }
          nextCheck = Math.max(2 * scanned, 4 * BLOCK);
        }
        int lanes = Math.min(Math.min(BLOCK, size - start), maxScan - scanned);
        scoreBlock(query, data, start / BLOCK, scores, acc1, acc2, acc3);
        scanned += lanes;
        for (int j = 0; j < lanes; j++) {
          float score = scores[j];
          int ord = o[start + j];
          if (score >= threshold && !contains(excluded, ord)) {
            heap.offer(ord, score);
            threshold = Math.max(floor, heap.threshold());
          }
        }
      }
    }
    return new Scan(scanned, true, false);
  }

  /**
   * Items in the bands of {@code order} (sorted by ascending bound) whose bound reaches {@code
   * threshold}, already scanned ones included.
   */
  private long inPlay(long[] order, float q0, double uNorm, float threshold) {
    long count = 0;
    for (int i = order.length - 1; i >= 0; i--) {
      int b = (int) order[i];
      if (bound(b, q0, uNorm) < threshold) {
        break;
      }
      count += sizes[b];
    }
    return count;
  }

  /**
   * Scores the {@link #BLOCK} lanes of one block into {@code out} with four accumulators per lane,
   * in exactly the order {@link Vectors#dot} uses (component {@code d} goes to accumulator {@code d
   * mod 4}, a remainder to the first, then {@code (s0 + s1) + (s2 + s3)}).
   */
  private void scoreBlock(
      float[] q, float[] data, int block, float[] out, float[] acc1, float[] acc2, float[] acc3) {
    Arrays.fill(out, 0f);
    Arrays.fill(acc1, 0f);
    Arrays.fill(acc2, 0f);
    Arrays.fill(acc3, 0f);
    int base = block * dim * BLOCK;
    int d = 0;
    for (; d + 3 < dim; d += 4) {
      float q0 = q[d];
      float q1 = q[d + 1];
      float q2 = q[d + 2];
      float q3 = q[d + 3];
      int c0 = base + d * BLOCK;
      int c1 = c0 + BLOCK;
      int c2 = c1 + BLOCK;
      int c3 = c2 + BLOCK;
      for (int j = 0; j < BLOCK; j++) {
        out[j] += q0 * data[c0 + j];
        acc1[j] += q1 * data[c1 + j];
        acc2[j] += q2 * data[c2 + j];
        acc3[j] += q3 * data[c3 + j];
      }
    }
    for (; d < dim; d++) {
      float qd = q[d];
      int c = base + d * BLOCK;
      for (int j = 0; j < BLOCK; j++) {
        out[j] += qd * data[c + j];
      }
    }
    for (int j = 0; j < BLOCK; j++) {
      out[j] = (out[j] + acc1[j]) + (acc2[j] + acc3[j]);
    }
  }

  /** Bytes held by the band copies of the vectors and the bookkeeping arrays. */
  long bytes() {
    long b = (long) (bandOf.length + posOf.length) * Integer.BYTES;
    for (int i = 0; i < BAND_COUNT; i++) {
      if (rows[i] != null) {
        b += (long) rows[i].length * Float.BYTES + (long) ords[i].length * Integer.BYTES;
      }
    }
    return b;
  }

  /** The number of items held (tests: every live item is in exactly one band). */
  int count() {
    int n = 0;
    for (int s : sizes) {
      n += s;
    }
    return n;
  }

  private double bound(int b, float q0, double uNorm) {
    double head = q0 >= 0f ? (double) q0 * maxHead[b] : (double) q0 * minHead[b];
    double tail = uNorm * maxNorm[b];
    return head + tail + BOUND_SLACK * (Math.abs(head) + tail) + Double.MIN_NORMAL;
  }

  private double tailNorm(float[] query) {
    return Math.sqrt(Vectors.dot(query, 1, query, 1, dim - 1));
  }

  static int bandIndex(float norm) {
    if (!(norm > 0f)) {
      return 0;
    }
    double j = Math.floor(Math.log(norm) * (BANDS_PER_OCTAVE / Math.log(2.0)));
    return (int) Math.max(0, Math.min(BAND_COUNT - 1, j + MAX_OCTAVE * BANDS_PER_OCTAVE));
  }

  private void append(int band, int ord, float[] src, int off) {
    int size = sizes[band];
    if (rows[band] == null) {
      rows[band] = new float[BLOCK * dim];
      ords[band] = new int[BLOCK];
    } else if (size == ords[band].length) {
      int cap = (size + (size >> 1) + BLOCK - 1) / BLOCK * BLOCK;
      rows[band] = Arrays.copyOf(rows[band], cap * dim);
      ords[band] = Arrays.copyOf(ords[band], cap);
    }
    write(rows[band], size, src, off);
    ords[band][size] = ord;
    bandOf[ord] = band;
    posOf[ord] = size;
    sizes[band] = size + 1;
    if (size == 0) {
      nonEmpty++;
    }
  }

  /** Swap-removes position {@code pos} of {@code band}; resets the band's bounds if it empties. */
  private void removeAt(int band, int pos) {
    int last = --sizes[band];
    if (pos != last) {
      int moved = ords[band][last];
      float[] data = rows[band];
      for (int d = 0; d < dim; d++) {
        data[offset(pos, d)] = data[offset(last, d)];
      }
      ords[band][pos] = moved;
      posOf[moved] = pos;
    }
    if (last == 0) {
      nonEmpty--;
      maxNorm[band] = 0f;
      maxHead[band] = Float.NEGATIVE_INFINITY;
      minHead[band] = Float.POSITIVE_INFINITY;
    }
  }

  /** Where component {@code d} of the item at position {@code pos} lives in a band's data. */
  private int offset(int pos, int d) {
    return ((pos / BLOCK) * dim + d) * BLOCK + pos % BLOCK;
  }

  private void write(float[] data, int pos, float[] src, int off) {
    for (int d = 0; d < dim; d++) {
      data[offset(pos, d)] = src[off + d];
    }
  }

  private void ensureOrdinal(int ord) {
    if (ord < bandOf.length) {
      return;
    }
    int old = bandOf.length;
    int cap = Math.max(ord + 1, old + (old >> 1) + 16);
    bandOf = Arrays.copyOf(bandOf, cap);
    posOf = Arrays.copyOf(posOf, cap);
    Arrays.fill(bandOf, old, cap, -1);
  }

  private static boolean contains(int[] values, int v) {
    for (int x : values) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }

  /** Float bits as an int whose signed order is the float order (negative floats flipped). */
  private static int sortableBits(float f) {
    int bits = Float.floatToIntBits(f);
    return bits ^ ((bits >> 31) & 0x7fffffff);
  }
}
