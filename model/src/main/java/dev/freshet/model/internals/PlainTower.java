package dev.freshet.model.internals;

import dev.freshet.model.Activation;
import dev.freshet.model.ModelConfig;
import dev.freshet.model.SequencePooling;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The user tower's forward pass as tight plain-Java float loops, one example at a time, for the
 * small batches of the stream app (a click or a few): no native calls, so no ~10 µs fixed cost per
 * op. It computes the same function as {@link Network#forward} — same gathers and poolings (in
 * double, rounded to float like the batched path), LSTM over each example's own valid steps only
 * (padding never influences valid steps there either), masked max pooling, both ReLU layers — and
 * agrees with it to float rounding (sums are accumulated in another order than BLAS does).
 *
 * <p>Matrix-vector products are written as {@code z[j] += x[k]·W[k, j]} over contiguous rows of the
 * row-major weights, which HotSpot's superword pass turns into SIMD multiply-adds. Weights are
 * copied at construction and never modified, and all scratch space is per call, so one instance may
 * serve concurrent callers.
 */
public final class PlainTower {
  /**
   * Largest batch for which the plain-Java forward is preferred over the batched ND4J one in single
   * precision: at the reference sizes plain Java was 2–6× faster per user at 1–16 users and 1.6× at
   * 32, the two were within noise at 64, and ND4J was ~2× faster from 128 up ({@code
   * UserTowerBenchmark}, see {@code docs/benchmarks.md}, "User tower inference").
   */
  public static final int MAX_BATCH = 32;

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
  private final float[] wx;
  private final float[] wh;
  private final float[] lb;
  private final float[] w1;
  private final float[] b1;
  private final float[] w2;
  private final float[] b2;
  private final float[] sk;

  /** Copies the dense parameters (names and shapes as in {@link Network#shapes}) as floats. */
  public PlainTower(ModelConfig cfg, Map<String, INDArray> params) {
    this.cfg = cfg;
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
    wx = weights(params, Network.LSTM_WX, shapes);
    wh = weights(params, Network.LSTM_WH, shapes);
    lb = weights(params, Network.LSTM_B, shapes);
    w1 = weights(params, Network.FC1_W, shapes);
    b1 = weights(params, Network.FC1_B, shapes);
    w2 = weights(params, Network.FC2_W, shapes);
    b2 = weights(params, Network.FC2_B, shapes);
    sk = cfg.lastItemSkip() ? weights(params, Network.SKIP_W, shapes) : null;
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

  /** Whether the plain-Java forward is the faster choice for {@code batchSize} examples. */
  public static boolean preferred(ModelConfig cfg, int batchSize) {
    return cfg.precision() == ModelConfig.Precision.FLOAT && batchSize <= MAX_BATCH;
  }

  /** {@code u} for every example, {@code [B·userVectorDim]} row-major, as {@link Network}. */
  public double[] forward(TowerBatch batch) {
    int n = batch.size;
    double[] out = new double[n * u];
    double[] xd = new double[c];
    float[] x = new float[c];
    float[] xt = new float[e];
    float[] z = new float[4 * h];
    float[] hPrev = new float[h];
    float[] cPrev = new float[h];
    float[] pooled = new float[h];
    float[] a1 = new float[d1];
    float[] uo = new float[u];
    float[] xs = new float[e];
    for (int b = 0; b < n; b++) {
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
        x[k] = (float) xd[k];
      }
      lstm(batch.items[b], xt, z, hPrev, cPrev, pooled);
      if (cfg.pooling() != SequencePooling.LAST) {
        System.arraycopy(pooled, 0, x, offLstm, h);
      }
      if (cfg.pooling() != SequencePooling.MAX) {
        if (batch.items[b].length == 0) {
          java.util.Arrays.fill(x, offLast, offLast + h, 0f);
        } else {
          System.arraycopy(hPrev, 0, x, offLast, h);
        }
      }
      dense(x, c, w1, b1, a1, d1, true);
      dense(a1, d1, w2, b2, uo, u, false);
      if (sk != null && batch.items[b].length > 0) {
        matVec(skipInput(batch.items[b], xs), e, sk, uo, u);
      }
      if (reluOut) {
        for (int j = 0; j < u; j++) {
          uo[j] = Math.max(uo[j], 0f);
        }
      }
      for (int j = 0; j < u; j++) {
        out[b * u + j] = uo[j];
      }
    }
    if (cfg.cosineScores()) {
      CosineScores.normalizeUsers(out, n, u, cfg.temperature());
    }
    return out;
  }

  /**
   * Runs the LSTM over the example's window; leaves the masked max pool (0 if empty) in pooled and
   * the last valid step's hidden state in hPrev.
   */
  private void lstm(
      Entry[] items, float[] xt, float[] z, float[] hPrev, float[] cPrev, float[] pooled) {
    int h4 = 4 * h;
    java.util.Arrays.fill(pooled, 0f);
    for (int t = 0; t < items.length; t++) {
      Entry item = items[t];
      int skip = item.length() - e; // 1 for a tied output row [b_i, w_i]
      double scale = 1;
      if (skip == 1 && cfg.cosineScores()) {
        double norm = CosineScores.weightNorm(item);
        scale = norm > 0 ? 1.0 / norm : 0;
      }
      for (int k = 0; k < e; k++) {
        xt[k] = (float) (item.get(k + skip) * scale);
      }
      System.arraycopy(lb, 0, z, 0, h4);
      matVec(xt, e, wx, z, h4);
      if (t > 0) {
        matVec(hPrev, h, wh, z, h4);
      }
      for (int j = 0; j < h; j++) {
        float i = (float) Lstm.sigmoid(z[j]);
        float f = (float) Lstm.sigmoid(z[h + j]);
        float o = (float) Lstm.sigmoid(z[2 * h + j]);
        float g = (float) Lstm.tanh(z[3 * h + j]);
        double cd = (double) i * g;
        if (t > 0) {
          cd += (double) f * cPrev[j];
        }
        float cf = (float) cd;
        float tc = (float) Lstm.tanh(cf);
        float hv = (float) ((double) o * tc);
        cPrev[j] = cf;
        hPrev[j] = hv;
        pooled[j] = t == 0 ? hv : Math.max(pooled[j], hv);
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

  /** {@code out = ReLU(b + in·W)} (or without ReLU), {@code W} row-major {@code [k, cols]}. */
  private static void dense(
      float[] in, int k, float[] w, float[] bias, float[] out, int cols, boolean relu) {
    System.arraycopy(bias, 0, out, 0, cols);
    matVec(in, k, w, out, cols);
    if (relu) {
      for (int j = 0; j < cols; j++) {
        out[j] = Math.max(out[j], 0f);
      }
    }
  }

  /**
   * {@code out[j] += Σ_k in[k]·W[k, j]}, four rows of {@code W} per sweep so each SIMD load and
   * store of {@code out} carries four multiply-adds (the inner loops are contiguous axpys that
   * HotSpot vectorizes).
   */
  private static void matVec(float[] in, int k, float[] w, float[] out, int cols) {
    int r = 0;
    for (; r + 3 < k; r += 4) {
      float a0 = in[r];
      float a1 = in[r + 1];
      float a2 = in[r + 2];
      float a3 = in[r + 3];
      if (a0 == 0f && a1 == 0f && a2 == 0f && a3 == 0f) {
        continue;
      }
      int o0 = r * cols;
      int o1 = o0 + cols;
      int o2 = o1 + cols;
      int o3 = o2 + cols;
      for (int j = 0; j < cols; j++) {
        out[j] += a0 * w[o0 + j] + a1 * w[o1 + j] + a2 * w[o2 + j] + a3 * w[o3 + j];
      }
    }
    for (; r < k; r++) {
      float a = in[r];
      int o = r * cols;
      for (int j = 0; j < cols; j++) {
        out[j] += a * w[o + j];
      }
    }
  }
}
