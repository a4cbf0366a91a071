package dev.freshet.model.internals;

import dev.freshet.model.Activation;
import dev.freshet.model.ModelConfig;
import dev.freshet.model.SequencePooling;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The user tower's forward pass as tight plain-Java float loops, for the small batches of the
 * stream app (a click or a few): no native calls, so no ~10 µs fixed cost per op. It computes the
 * same function as {@link Network#forward} — same gathers and poolings (in double, rounded to float
 * like the batched path), LSTM over each example's own valid steps only (padding never influences
 * valid steps there either), masked max pooling, both ReLU layers — and agrees with it to float
 * rounding (sums are accumulated in another order than BLAS does).
 *
 * <p>Users go through the layers in blocks ({@link #BLOCK}): each product is {@link #gemm}, which
 * applies four weight rows at a time to every row of the block (a user, or one step of a user's
 * window for the LSTM's input projections) in sweeps HotSpot's superword pass turns into SIMD
 * multiply-adds. Weights are copied at construction, one array per row, and never modified, and all
 * scratch space is per call, so one instance may serve concurrent callers.
 */
public final class PlainTower {
  /**
   * Largest batch for which the plain-Java forward is preferred over the batched ND4J one in single
   * precision: with the weights as row arrays (vectorized sweeps) and users in blocks, plain Java
   * was 18× faster per user than ND4J at 1 user, 2.9× at 8 and 1.8–2.0× at 32 and 128 at the
   * default sizes ({@code UserTowerBenchmark}, see {@code docs/benchmarks.md}, "User tower
   * inference"); larger batches were not measured.
   */
  public static final int MAX_BATCH = 128;

  /**
   * Users per block of {@link #forward(TowerBatch)}: the rows of each matrix product (the LSTM's
   * input projections run over all of a block's steps at once).
   */
  public static final int BLOCK = 8;

  private final ModelConfig cfg;
  private final int e;
  private final int h;
  private final int c;
  private final int d1;
  private final int u;
  private final int offLstm;
  private final int offLast;
  private final boolean reluOut;
  private final int offCategory;
  private final int offTag;
  private final int offSearch;
  private final int offAge;
  private final float[][] wx;
  private final float[][] wh;
  private final float[] lb;
  private final float[][] w1;
  private final float[] b1;
  private final float[][] w2;
  private final float[] b2;
  private final float[][] sk;
  private final ProjectionCache projections;

  /** Copies the dense parameters (names and shapes as in {@link Network#shapes}) as floats. */
  public PlainTower(ModelConfig cfg, Map<String, INDArray> params) {
    this(cfg, params, null);
  }

  /**
   * Like {@link #PlainTower(ModelConfig, Map)}, keeping each item's LSTM input row in {@code
   * projections} (null: none) for the next window that holds the item. The vectors are
   * bit-identical with and without a cache; the rows the batches carry must be replaced, never
   * modified in place (see {@link ProjectionCache}).
   */
  public PlainTower(ModelConfig cfg, Map<String, INDArray> params, ProjectionCache projections) {
    this.cfg = cfg;
    this.projections = projections;
    e = cfg.itemDim();
    h = cfg.lstmHidden();
    c = cfg.concatDim();
    d1 = cfg.hiddenDim();
    u = cfg.userVectorDim();
    offLstm = cfg.userDim() + cfg.provinceDim() + cfg.cityDim() + cfg.phoneDim();
    offLast = cfg.pooling() == SequencePooling.MAX_AND_LAST ? offLstm + h : offLstm;
    reluOut = cfg.userActivation() == Activation.RELU;
    offCategory = offLstm + h * cfg.pooling().vectors();
    offTag = offCategory + cfg.categoryDim();
    offSearch = offTag + cfg.tagDim();
    offAge = offSearch + cfg.searchDim();
    Map<String, long[]> shapes = Network.shapes(cfg);
    wx = rows(weights(params, Network.LSTM_WX, shapes), 4 * h);
    wh = rows(weights(params, Network.LSTM_WH, shapes), 4 * h);
    lb = weights(params, Network.LSTM_B, shapes);
    w1 = rows(weights(params, Network.FC1_W, shapes), d1);
    b1 = weights(params, Network.FC1_B, shapes);
    w2 = rows(weights(params, Network.FC2_W, shapes), u);
    b2 = weights(params, Network.FC2_B, shapes);
    sk = cfg.lastItemSkip() ? rows(weights(params, Network.SKIP_W, shapes), u) : null;
  }

  private static float[] weights(
      Map<String, INDArray> params, String name, Map<String, long[]> shapes) {
    INDArray p = params.get(name);
    long[] s = shapes.get(name);
    if (p == null || p.rows() != s[0] || p.columns() != s[1]) {
      throw new IllegalArgumentException(
          "dense parameter " + name + " missing or not " + s[0] + "x" + s[1]);
    }
    return Buf.reading(p).toFloats();
  }

  /**
   * Each thread's gate and input rows for {@link #lstm}, kept between calls: the stream app runs
   * the tower for every click, and fresh rows for every step of every user were about 25 KB of
   * garbage per user. Shared by every tower (sized to the largest asked for), so a replaced model
   * leaves nothing behind per thread.
   */
  private static final ThreadLocal<Workspace> WORKSPACES = ThreadLocal.withInitial(Workspace::new);

  private static final class Workspace {
    private float[][][] gates = new float[0][][];
    private float[][] inputs = new float[0][];

    /** At least {@code users × steps} rows of at least {@code width}. */
    float[][][] gates(int users, int steps, int width) {
      if (gates.length < users
          || (users > 0
              && (gates[0].length < steps || (steps > 0 && gates[0][0].length < width)))) {
        gates = new float[Math.max(users, gates.length)][Math.max(steps, rowsOf(gates))][width];
      }
      return gates;
    }

    private float[][] missRows = new float[0][];
    private int[] missAt = new int[0];

    /** At least {@code steps} slots for references to the gate rows of a window's missed steps. */
    float[][] missRows(int steps) {
      if (missRows.length < steps) {
        missRows = new float[steps][];
      }
      return missRows;
    }

    /** At least {@code steps} slots for the positions of a window's missed steps. */
    int[] missAt(int steps) {
      if (missAt.length < steps) {
        missAt = new int[steps];
      }
      return missAt;
    }

    /** At least {@code steps} rows of exactly {@code width}. */
    float[][] inputs(int steps, int width) {
      if (inputs.length < steps || (steps > 0 && inputs[0].length != width)) {
        inputs = new float[steps][width];
      }
      return inputs;
    }

    private static int rowsOf(float[][][] a) {
      return a.length == 0 ? 0 : a[0].length;
    }
  }

  /** A row-major matrix {@code cols} wide as an array of its rows. */
  private static float[][] rows(float[] m, int cols) {
    float[][] out = new float[m.length / cols][];
    for (int r = 0; r < out.length; r++) {
      out[r] = java.util.Arrays.copyOfRange(m, r * cols, (r + 1) * cols);
    }
    return out;
  }

  /** Whether the plain-Java forward is the faster choice for {@code batchSize} examples. */
  public static boolean preferred(ModelConfig cfg, int batchSize) {
    return cfg.precision() == ModelConfig.Precision.FLOAT && batchSize <= MAX_BATCH;
  }

  /** {@code u} for every example, {@code [B·userVectorDim]} row-major, as {@link Network}. */
  public double[] forward(TowerBatch batch) {
    return forward(batch, BLOCK);
  }

  /**
   * {@link #forward(TowerBatch)} with at most {@code block} users per matrix product ({@code 1}:
   * the users one at a time, as a cross-check and for benchmarks). Every block size gives
   * bit-identical vectors: each output element is accumulated in the same order whichever users
   * share its product.
   */
  public double[] forward(TowerBatch batch, int block) {
    return forward(batch, block, TowerGates.DEFAULT);
  }

  /**
   * {@link #forward(TowerBatch, int)} with the given LSTM gate pass ({@link TowerGates#SCALAR} to
   * measure what the vector pass buys, or to cross-check it).
   */
  public double[] forward(TowerBatch batch, int block, TowerGates gates) {
    java.util.Objects.requireNonNull(gates, "gates");
    if (block < 1) {
      throw new IllegalArgumentException("block must be at least 1: " + block);
    }
    int n = batch.size;
    double[] out = new double[n * u];
    for (int s = 0; s < n; s += block) {
      forwardBlock(batch, s, Math.min(block, n - s), gates, out);
    }
    if (cfg.cosineScores()) {
      CosineScores.normalizeUsers(out, n, u, cfg.temperature());
    }
    return out;
  }

  /** Users {@code s .. s+m-1} of the batch, through every layer together. */
  private void forwardBlock(TowerBatch batch, int s, int m, TowerGates gates, double[] out) {
    float[][] x = new float[m][c];
    double[] xd = new double[c];
    for (int i = 0; i < m; i++) {
      int b = s + i;
      java.util.Arrays.fill(xd, 0);
      batch.user[b].copyTo(xd, 0, cfg.userDim());
      batch.province[b].copyTo(xd, cfg.userDim(), cfg.provinceDim());
      batch.city[b].copyTo(xd, cfg.userDim() + cfg.provinceDim(), cfg.cityDim());
      batch.phone[b].copyTo(xd, cfg.userDim() + cfg.provinceDim() + cfg.cityDim(), cfg.phoneDim());
      Network.average(batch.categories[b], xd, offCategory, cfg.categoryDim());
      Network.average(batch.tags[b], xd, offTag, cfg.tagDim());
      if (cfg.searchTokens()) {
        Network.average(batch.search[b], xd, offSearch, cfg.searchDim());
      }
      if (cfg.useExampleAge()) {
        xd[offAge] = batch.exampleAge[b];
      }
      for (int k = 0; k < c; k++) {
        x[i][k] = (float) xd[k];
      }
    }
    float[][] last = new float[m][h];
    float[][] pooled = new float[m][h];
    lstm(batch, s, m, gates, last, pooled);
    for (int i = 0; i < m; i++) {
      if (cfg.pooling() != SequencePooling.LAST) {
        System.arraycopy(pooled[i], 0, x[i], offLstm, h);
      }
      if (cfg.pooling() != SequencePooling.MAX) {
        // An empty window leaves last[i] at 0.
        System.arraycopy(last[i], 0, x[i], offLast, h);
      }
    }
    float[][] a1 = dense(x, m, c, w1, b1, d1, true);
    float[][] uo = dense(a1, m, d1, w2, b2, u, false);
    if (sk != null) {
      float[][] xs = new float[m][];
      float[][] us = new float[m][];
      int ms = 0;
      for (int i = 0; i < m; i++) {
        Entry[] items = batch.items[s + i];
        if (items.length > 0) {
          xs[ms] = skipInput(items, new float[e]);
          us[ms++] = uo[i];
        }
      }
      gemm(xs, ms, e, sk, u, us);
    }
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < u; j++) {
        float v = uo[i][j];
        out[(s + i) * u + j] = reluOut ? Math.max(v, 0f) : v;
      }
    }
  }

  /**
   * Runs the LSTM over each user's own window (users {@code s .. s+m-1}); leaves the masked max
   * pool (0 if empty) in {@code pooled[i]} and the last valid step's hidden state (0 if empty) in
   * {@code last[i]}. The input projections of all of a user's steps are one product; the recurrent
   * one is a product over the users still inside their window at that step.
   */
  private void lstm(
      TowerBatch batch, int s, int m, TowerGates gates, float[][] last, float[][] pooled) {
    int h4 = 4 * h;
    int[] len = new int[m];
    int steps = 0;
    for (int i = 0; i < m; i++) {
      len[i] = batch.items[s + i].length;
      steps = Math.max(steps, len[i]);
    }
    Workspace w = WORKSPACES.get();
    float[][][] z = w.gates(m, steps, h4);
    float[][] xt = w.inputs(steps, e);
    float[][] zMiss = w.missRows(steps);
    int[] missAt = w.missAt(steps);
    int hits = 0;
    int misses = 0;
    for (int i = 0; i < m; i++) {
      Entry[] items = batch.items[s + i];
      int n = 0;
      for (int t = 0; t < items.length; t++) {
        Entry item = items[t];
        float[] cached = projections == null ? null : projections.get(item);
        if (cached != null) {
          System.arraycopy(cached, 0, z[i][t], 0, h4);
          continue;
        }
        int skip = item.length() - e; // 1 for a tied output row [b_i, w_i]
        double scale = 1;
        if (skip == 1 && cfg.cosineScores()) {
          double norm = CosineScores.weightNorm(item);
          scale = norm > 0 ? 1.0 / norm : 0;
        }
        for (int k = 0; k < e; k++) {
          xt[n][k] = (float) (item.get(k + skip) * scale);
        }
        System.arraycopy(lb, 0, z[i][t], 0, h4);
        missAt[n] = t;
        zMiss[n++] = z[i][t];
      }
      // A row's product does not depend on the rows beside it, so computing only the missed steps
      // gives each of them exactly the values of the whole window's product.
      gemm(xt, n, e, wx, h4, zMiss);
      if (projections != null) {
        hits += items.length - n;
        misses += n;
        for (int k = 0; k < n; k++) {
          projections.put(items[missAt[k]], zMiss[k].clone());
        }
      }
    }
    if (projections != null) {
      projections.count(hits, misses);
    }
    float[][] cPrev = new float[m][h];
    float[][] hIn = new float[m][];
    float[][] zIn = new float[m][];
    int[] active = new int[m];
    for (int t = 0; t < steps; t++) {
      int ma = 0;
      for (int i = 0; i < m; i++) {
        if (t < len[i]) {
          active[ma] = i;
          hIn[ma] = last[i];
          zIn[ma++] = z[i][t];
        }
      }
      if (t > 0) {
        gemm(hIn, ma, h, wh, h4, zIn);
      }
      for (int a = 0; a < ma; a++) {
        int i = active[a];
        gates.step(zIn[a], cPrev[i], last[i], pooled[i], h, t == 0);
      }
    }
  }

  /**
   * The skip's input: the window's input embeddings weighted by {@link Network#skipWeights}, in
   * double and rounded once, as the batched path does.
   */
  private float[] skipInput(Entry[] items, float[] out) {
    double[] a = Network.skipWeights(items.length, cfg.skipDecay());
    double[] acc = new double[e];
    for (int t = 0; t < items.length; t++) {
      if (a[t] == 0) {
        continue;
      }
      Entry item = items[t];
      int skip = item.length() - e;
      double scale = 1;
      if (skip == 1 && cfg.cosineScores()) {
        double norm = CosineScores.weightNorm(item);
        scale = norm > 0 ? 1.0 / norm : 0;
      }
      for (int k = 0; k < e; k++) {
        acc[k] += a[t] * (float) (item.get(k + skip) * scale);
      }
    }
    for (int k = 0; k < e; k++) {
      out[k] = (float) acc[k];
    }
    return out;
  }

  /** {@code ReLU(b + in·W)} (or without ReLU) for each of the {@code m} rows of {@code in}. */
  private static float[][] dense(
      float[][] in, int m, int k, float[][] w, float[] bias, int cols, boolean relu) {
    float[][] out = new float[m][];
    for (int i = 0; i < m; i++) {
      out[i] = bias.clone();
    }
    gemm(in, m, k, w, cols, out);
    if (relu) {
      for (int i = 0; i < m; i++) {
        float[] o = out[i];
        for (int j = 0; j < cols; j++) {
          o[j] = Math.max(o[j], 0f);
        }
      }
    }
    return out;
  }

  /**
   * {@code out[i][j] += Σ_k a[i][k]·W[k, j]} for the first {@code m} rows of {@code a}, {@code W}
   * as its rows {@code [k][cols]}. Four rows of {@code W} at a time are applied to every row of
   * {@code a} (so that slice of the weights is read from L1 for all of them), each as one sweep in
   * which every load and store of an output slice carries four multiply-adds. Each output element
   * adds {@code a[i][r..r+3]·W[r..r+3, j]} groups in order of {@code r} whatever {@code m} is, so a
   * row's result does not depend on the rows beside it.
   */
  static void gemm(float[][] a, int m, int k, float[][] w, int cols, float[][] out) {
    int r = 0;
    for (; r + 3 < k; r += 4) {
      float[] w0 = w[r];
      float[] w1 = w[r + 1];
      float[] w2 = w[r + 2];
      float[] w3 = w[r + 3];
      for (int i = 0; i < m; i++) {
        float[] x = a[i];
        sweep(out[i], x[r], x[r + 1], x[r + 2], x[r + 3], w0, w1, w2, w3, cols);
      }
    }
    for (; r < k; r++) {
      float[] wr = w[r];
      for (int i = 0; i < m; i++) {
        float ai = a[i][r];
        float[] y = out[i];
        for (int j = 0; j < cols; j++) {
          y[j] += ai * wr[j];
        }
      }
    }
  }

  /**
   * {@code y[j] += a0·w0[j] + a1·w1[j] + a2·w2[j] + a3·w3[j]}. Each operand is an array of its own
   * indexed by {@code j} alone: HotSpot's superword pass vectorizes this form (about 30 GFLOP/s on
   * the development machine), but not the same sweep over one row-major matrix at row offsets
   * {@code w[o + j]} (about 8).
   */
  private static void sweep(
      float[] y,
      float a0,
      float a1,
      float a2,
      float a3,
      float[] w0,
      float[] w1,
      float[] w2,
      float[] w3,
      int cols) {
    for (int j = 0; j < cols; j++) {
      y[j] += a0 * w0[j] + a1 * w1[j] + a2 * w2[j] + a3 * w3[j];
    }
  }
}
