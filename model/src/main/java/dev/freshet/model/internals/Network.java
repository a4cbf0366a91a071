package dev.freshet.model.internals;

import dev.freshet.model.Activation;
import dev.freshet.model.ModelConfig;
import dev.freshet.model.SequencePooling;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The user tower of Covington et al. 2016 as in the PaddlePaddle {@code youtube_recall} reference,
 * forward and backward over a whole mini-batch.
 *
 * <pre>
 * concat = [ user | province | city | phone | pool_t LSTM(items) | avg(categories) | avg(tags)
 *            | avg(search tokens)? | age? ]
 * a1 = dropout(ReLU(concat·W1 + b1))   [B, hiddenDim]
 * u  = act(a1·W2 + b2)                 [B, userVectorDim]
 * </pre>
 *
 * <p>{@code pool} is the configured {@link SequencePooling}: masked max over the valid steps (the
 * reference), the hidden state of the last valid step, or both concatenated; {@code act} is ReLU
 * (the reference) or the identity ({@link Activation}). Dropout (training only, inverted: kept
 * units are scaled by {@code 1/(1-rate)}) draws its mask from a hash of (seed, stream, example,
 * unit), so a training step is a deterministic function of the model state and finite differences
 * see the same mask.
 *
 * <p>Embedding gathers, average pooling and masked max pooling run as plain-Java loops over the
 * touched rows (they are memory moves, one pass each); the LSTM and the dense layers run as batched
 * ND4J gemms with their element-wise parts (gates, bias, ReLU and their gradients) fused into
 * plain-Java passes over the gemm outputs' buffers. Pooling of an empty window yields zeros:
 * average pooling divides by the number of pooled rows only when there is at least one, and masked
 * max pooling over no valid step is defined as 0 with no gradient, so a first-click user is
 * represented by profile features alone.
 *
 * <p>Dense parameters (names are stable and used in checkpoints and published parameters): {@value
 * #LSTM_WX} {@code [itemDim, 4H]}, {@value #LSTM_WH} {@code [H, 4H]}, {@value #LSTM_B} {@code [1,
 * 4H]}, {@value #FC1_W} {@code [concatDim, hiddenDim]}, {@value #FC1_B}, {@value #FC2_W} {@code
 * [hiddenDim, userVectorDim]}, {@value #FC2_B}.
 */
public final class Network {
  public static final String LSTM_WX = "lstm.wx";
  public static final String LSTM_WH = "lstm.wh";
  public static final String LSTM_B = "lstm.b";
  public static final String FC1_W = "fc1.w";
  public static final String FC1_B = "fc1.b";
  public static final String FC2_W = "fc2.w";
  public static final String FC2_B = "fc2.b";
  public static final String SKIP_W = "skip.w";

  private final ModelConfig cfg;
  private final DataType dt;
  private final LinkedHashMap<String, INDArray> params;
  private final int offProvince;
  private final int offCity;
  private final int offPhone;
  private final int offLstm;
  private final int offLast;
  private final int offCategory;
  private final int offTag;
  private final int offSearch;
  private final int offAge;

  /**
   * @param params dense parameters by name, shapes as in {@link #shapes}; used live (not copied)
   */
  public Network(ModelConfig cfg, Map<String, INDArray> params) {
    this.cfg = cfg;
    this.dt = dataType(cfg);
    Map<String, long[]> shapes = shapes(cfg);
    this.params = new LinkedHashMap<>();
    for (var e : shapes.entrySet()) {
      INDArray p = params.get(e.getKey());
      if (p == null) {
        throw new IllegalArgumentException("missing dense parameter " + e.getKey());
      }
      if (!Arrays.equals(p.shape(), e.getValue()) || p.dataType() != dt) {
        throw new IllegalArgumentException(
            "dense parameter "
                + e.getKey()
                + " must be "
                + dt
                + Arrays.toString(e.getValue())
                + " but was "
                + p.dataType()
                + Arrays.toString(p.shape()));
      }
      this.params.put(e.getKey(), p);
    }
    offProvince = cfg.userDim();
    offCity = offProvince + cfg.provinceDim();
    offPhone = offCity + cfg.cityDim();
    offLstm = offPhone + cfg.phoneDim();
    offLast = cfg.pooling() == SequencePooling.MAX_AND_LAST ? offLstm + cfg.lstmHidden() : offLstm;
    offCategory = offLstm + cfg.lstmHidden() * cfg.pooling().vectors();
    offTag = offCategory + cfg.categoryDim();
    offSearch = offTag + cfg.tagDim();
    offAge = offSearch + cfg.searchDim();
  }

  /** ND4J data type for the configured precision. */
  public static DataType dataType(ModelConfig cfg) {
    return cfg.precision() == ModelConfig.Precision.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
  }

  /** Names and shapes of the dense parameters, in canonical order. */
  public static Map<String, long[]> shapes(ModelConfig cfg) {
    long h = cfg.lstmHidden();
    LinkedHashMap<String, long[]> s = new LinkedHashMap<>();
    s.put(LSTM_WX, new long[] {cfg.itemDim(), 4 * h});
    s.put(LSTM_WH, new long[] {h, 4 * h});
    s.put(LSTM_B, new long[] {1, 4 * h});
    s.put(FC1_W, new long[] {cfg.concatDim(), cfg.hiddenDim()});
    s.put(FC1_B, new long[] {1, cfg.hiddenDim()});
    s.put(FC2_W, new long[] {cfg.hiddenDim(), cfg.userVectorDim()});
    s.put(FC2_B, new long[] {1, cfg.userVectorDim()});
    if (cfg.lastItemSkip()) {
      s.put(SKIP_W, new long[] {cfg.itemDim(), cfg.userVectorDim()});
    }
    return Collections.unmodifiableMap(s);
  }

  /**
   * Seeded initial dense parameters: LSTM weights uniform in ±1/√H with forget-gate bias 1; ReLU
   * layers He-uniform (±√(6/fan_in)) with bias 0.01.
   */
  public static LinkedHashMap<String, INDArray> initialParams(ModelConfig cfg) {
    SplitMix64 rng = new SplitMix64(cfg.seed() ^ 0x5DEECE66DL);
    DataType dt = dataType(cfg);
    LinkedHashMap<String, INDArray> out = new LinkedHashMap<>();
    int h = cfg.lstmHidden();
    for (var e : shapes(cfg).entrySet()) {
      long rows = e.getValue()[0];
      long cols = e.getValue()[1];
      double[] v = new double[(int) (rows * cols)];
      String name = e.getKey();
      switch (name) {
        case LSTM_WX, LSTM_WH -> fill(v, rng, 1.0 / Math.sqrt(h));
        case LSTM_B -> Arrays.fill(v, h, 2 * h, 1.0);
        case FC1_W, FC2_W -> fill(v, rng, Math.sqrt(6.0 / rows));
        case SKIP_W -> {
          // The identity when the widths match: u starts as the last click's embedding plus the
          // hidden layer's output, so "like the last click" is where training starts from.
          if (rows == cols) {
            for (int i = 0; i < rows; i++) {
              v[(int) (i * cols + i)] = 1;
            }
          }
        }
        default -> Arrays.fill(v, 0.01);
      }
      out.put(name, Tensors.matrix(v, rows, cols, dt));
    }
    return out;
  }

  private static void fill(double[] v, SplitMix64 rng, double bound) {
    for (int i = 0; i < v.length; i++) {
      v[i] = rng.nextSymmetric(bound);
    }
  }

  /** The live dense parameters by name. */
  public Map<String, INDArray> params() {
    return Collections.unmodifiableMap(params);
  }

  public DataType dataType() {
    return dt;
  }

  /** Activations of one forward pass, kept for {@link #backward}. */
  public static final class Forward {
    final TowerBatch batch;
    final Lstm.Cache lstm;
    final int[] argmax;
    final INDArray concat;
    final INDArray a1;
    final float[] keep;
    final double[] u;
    final double[] uNorms;
    final INDArray xLast;

    Forward(
        TowerBatch batch,
        Lstm.Cache lstm,
        int[] argmax,
        INDArray concat,
        INDArray a1,
        float[] keep,
        double[] u,
        double[] uNorms,
        INDArray xLast) {
      this.batch = batch;
      this.lstm = lstm;
      this.argmax = argmax;
      this.concat = concat;
      this.a1 = a1;
      this.keep = keep;
      this.u = u;
      this.uNorms = uNorms;
      this.xLast = xLast;
    }

    /**
     * {@code u} for every example, {@code [B·userVectorDim]} row-major (scaled to norm {@code 1/τ}
     * with cosine scores).
     */
    public double[] u() {
      return u;
    }
  }

  /** Gradients of one backward pass: dense by parameter name, sparse by entry (insertion order). */
  public record Grads(Map<String, INDArray> dense, Map<Entry, double[]> sparse) {}

  /** Runs the tower over the batch (inference: no dropout). */
  public Forward forward(TowerBatch batch) {
    return forward(batch, null, NO_DROPOUT);
  }

  /** Dropout stream meaning "no dropout" (inference). */
  public static final long NO_DROPOUT = -1;

  /**
   * {@link #forward(TowerBatch)} with activations in {@code scratch} slots (null: fresh arrays);
   * the result is valid until the scratch is used again. With a {@code dropoutStream >= 0} and a
   * configured dropout rate, the first hidden layer is dropped out with the mask of that stream
   * (training).
   */
  Forward forward(TowerBatch batch, Scratch scratch, long dropoutStream) {
    int n = batch.size;
    int c = cfg.concatDim();
    int hid = cfg.lstmHidden();
    double[] x = new double[n * c];
    for (int b = 0; b < n; b++) {
      int off = b * c;
      put(batch.user[b], x, off, cfg.userDim());
      put(batch.province[b], x, off + offProvince, cfg.provinceDim());
      put(batch.city[b], x, off + offCity, cfg.cityDim());
      put(batch.phone[b], x, off + offPhone, cfg.phoneDim());
      average(batch.categories[b], x, off + offCategory, cfg.categoryDim());
      average(batch.tags[b], x, off + offTag, cfg.tagDim());
      if (cfg.searchTokens()) {
        average(batch.search[b], x, off + offSearch, cfg.searchDim());
      }
      if (cfg.useExampleAge()) {
        x[off + offAge] = batch.exampleAge[b];
      }
    }
    int steps = batch.maxLength();
    Lstm.Cache lstm = null;
    INDArray xLast = null;
    int[] argmax = new int[n * hid];
    Arrays.fill(argmax, -1);
    if (steps > 0) {
      int e = cfg.itemDim();
      INDArray xs = Scratch.zeros(scratch, "lstm.x", dt, (long) steps * n, e);
      Buf xb = new Buf(xs);
      for (int b = 0; b < n; b++) {
        Entry[] w = batch.items[b];
        for (int t = 0; t < w.length; t++) {
          writeInput(w[t], xb, (t * n + b) * e, e, cfg.cosineScores());
        }
      }
      if (cfg.lastItemSkip()) {
        xLast = Scratch.zeros(scratch, "skip.x", dt, n, e);
        Buf xl = new Buf(xLast);
        for (int b = 0; b < n; b++) {
          int len = batch.items[b].length;
          double[] a = skipWeights(len, cfg.skipDecay());
          for (int j = 0; j < e; j++) {
            double v = 0;
            for (int t = 0; t < len; t++) {
              v += a[t] == 0 ? 0 : a[t] * xb.get((t * n + b) * e + j);
            }
            xl.set(b * e + j, v);
          }
        }
      }
      lstm =
          Lstm.forward(
              xs, steps, n, params.get(LSTM_WX), params.get(LSTM_WH), params.get(LSTM_B), scratch);
      Buf hs = new Buf(lstm.hs);
      if (cfg.pooling() != SequencePooling.LAST) {
        maxPool(hs, batch, n, hid, x, c, offLstm, argmax);
      }
      if (cfg.pooling() != SequencePooling.MAX) {
        lastState(hs, batch, n, hid, x, c, offLast);
      }
    }
    INDArray concat = Scratch.take(scratch, "concat", dt, n, c);
    new Buf(concat).write(x, 0, 0, n * c);
    INDArray a1 = Tensors.gemm(concat, params.get(FC1_W), false, false, scratch, "a1");
    biasAct(new Buf(a1), n, cfg.hiddenDim(), params.get(FC1_B), true);
    float[] keep = null;
    if (dropoutStream >= 0 && cfg.dropout() > 0) {
      keep = dropoutMask(cfg.seed(), dropoutStream, n, cfg.hiddenDim(), cfg.dropout());
      Buf ab = new Buf(a1);
      for (int i = 0; i < keep.length; i++) {
        ab.set(i, ab.get(i) * keep[i]);
      }
    }
    INDArray z2 = Tensors.gemm(a1, params.get(FC2_W), false, false, scratch, "z2");
    if (xLast != null) {
      z2.addi(Tensors.gemm(xLast, params.get(SKIP_W), false, false));
    }
    Buf zb = new Buf(z2);
    biasAct(zb, n, cfg.userVectorDim(), params.get(FC2_B), cfg.userActivation() == Activation.RELU);
    double[] u = zb.toDoubles();
    double[] norms =
        cfg.cosineScores()
            ? CosineScores.normalizeUsers(u, n, cfg.userVectorDim(), cfg.temperature())
            : null;
    return new Forward(batch, lstm, argmax, concat, a1, keep, u, norms, xLast);
  }

  /**
   * The inverted-dropout multipliers of one training step: {@code 0} for a dropped unit, {@code
   * 1/(1-rate)} for a kept one, from a SplitMix64 hash of (seed, stream, position).
   */
  static float[] dropoutMask(long seed, long stream, int rows, int cols, double rate) {
    float[] keep = new float[rows * cols];
    float scale = (float) (1.0 / (1.0 - rate));
    long base = SplitMix64.mix(seed ^ SplitMix64.mix(stream + 0x632BE59BD9B4E019L));
    for (int i = 0; i < keep.length; i++) {
      double r = (SplitMix64.mix(base + i) >>> 11) * 0x1.0p-53;
      keep[i] = r < rate ? 0f : scale;
    }
    return keep;
  }

  /**
   * Writes a history item's input embedding: the whole {@code ITEM} row, or the weights {@code w_i}
   * of an output row {@code [b_i, w_i]} when item embeddings are tied (one value longer), as the
   * unit vector {@code w_i/|w_i|} with {@code unit} (cosine scores).
   */
  private static void writeInput(Entry item, Buf dst, int index, int e, boolean unit) {
    if (item.length() == e) {
      item.writeTo(dst, index);
    } else {
      double scale = 1;
      if (unit) {
        double norm = CosineScores.weightNorm(item);
        scale = norm > 0 ? 1.0 / norm : 0;
      }
      for (int j = 0; j < e; j++) {
        dst.set(index + j, item.get(j + 1) * scale);
      }
    }
  }

  /**
   * The hidden state of each example's last valid step, {@code h[(L_b - 1)·n + b]}, or 0 for an
   * empty window.
   */
  static void lastState(
      Buf h, TowerBatch batch, int n, int hid, double[] out, int stride, int off) {
    for (int b = 0; b < n; b++) {
      int len = batch.items[b].length;
      for (int j = 0; j < hid; j++) {
        out[b * stride + off + j] = len == 0 ? 0 : h.get(((len - 1) * n + b) * hid + j);
      }
    }
  }

  /**
   * The weights of the skip's input over a window of {@code len} clicks: {@code d^(len-1-t)}
   * normalised to sum 1; with {@code d = 0} all weight on the last click. Empty for an empty
   * window.
   */
  static double[] skipWeights(int len, double decay) {
    double[] a = new double[len];
    if (len == 0) {
      return a;
    }
    double w = 1;
    double sum = 0;
    for (int t = len - 1; t >= 0 && w > 0; t--) {
      a[t] = w;
      sum += w;
      w *= decay;
    }
    for (int t = 0; t < len; t++) {
      a[t] /= sum;
    }
    return a;
  }

  /** {@code a[r, j] = max(0, a[r, j] + bias[j])} (or without the clamp) in one pass. */
  private static void biasAct(Buf a, int rows, int cols, INDArray bias, boolean relu) {
    double[] bv = Buf.reading(bias).toDoubles();
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      for (int j = 0; j < cols; j++) {
        // Add, round to the array's type, then clamp: the same values as bias add then ReLU.
        a.set(o + j, a.get(o + j) + bv[j]);
        if (relu && !(a.get(o + j) > 0)) {
          a.set(o + j, 0);
        }
      }
    }
  }

  /**
   * Masked max pooling over time: for example {@code b} with window length {@code L_b}, {@code
   * pooled[b, j] = max_{t < L_b} h[t·n + b, j]}, and 0 when {@code L_b = 0}. Records the arg-max
   * step ({@code -1} for empty windows) for the backward pass.
   */
  static void maxPool(
      Buf h, TowerBatch batch, int n, int hid, double[] out, int stride, int off, int[] arg) {
    for (int b = 0; b < n; b++) {
      int len = batch.items[b].length;
      for (int j = 0; j < hid; j++) {
        if (len == 0) {
          out[b * stride + off + j] = 0;
          arg[b * hid + j] = -1;
          continue;
        }
        int best = 0;
        double bestV = h.get(b * hid + j);
        for (int t = 1; t < len; t++) {
          double v = h.get((t * n + b) * hid + j);
          if (v > bestV) {
            bestV = v;
            best = t;
          }
        }
        out[b * stride + off + j] = bestV;
        arg[b * hid + j] = best;
      }
    }
  }

  private static void put(Entry e, double[] x, int off, int dim) {
    e.copyTo(x, off, dim);
  }

  /** Average pooling: {@code x[off..off+dim) = mean of the rows}, zeros for no rows. */
  static void average(Entry[] rows, double[] x, int off, int dim) {
    if (rows.length == 0) {
      return;
    }
    double inv = 1.0 / rows.length;
    for (Entry e : rows) {
      e.addScaledTo(x, off, dim, inv);
    }
  }

  /**
   * Back-propagates {@code dU} (loss gradient w.r.t. {@code u}, {@code [B·userVectorDim]}) through
   * the tower to every dense parameter and every touched row.
   */
  public Grads backward(Forward f, double[] dU) {
    return backward(f, dU, null);
  }

  /**
   * {@link #backward(Forward, double[])} with intermediate arrays in {@code scratch} slots; the
   * returned gradients are fresh arrays.
   */
  Grads backward(Forward f, double[] dU, Scratch scratch) {
    TowerBatch batch = f.batch;
    int n = batch.size;
    int uDim = cfg.userVectorDim();
    int c = cfg.concatDim();
    int hid = cfg.lstmHidden();
    if (dU.length != n * uDim) {
      throw new IllegalArgumentException(
          "dU has " + dU.length + " values, expected " + n + "x" + uDim);
    }
    if (f.uNorms != null) {
      dU = dU.clone();
      CosineScores.userBackward(dU, f.u, f.uNorms, n, uDim, cfg.temperature());
    }
    int d1 = cfg.hiddenDim();
    LinkedHashMap<String, INDArray> dense = new LinkedHashMap<>();
    INDArray dZ2 = Scratch.take(scratch, "dz2", dt, n, uDim);
    Buf dz2 = new Buf(dZ2);
    boolean relu = cfg.userActivation() == Activation.RELU;
    for (int i = 0; i < dU.length; i++) {
      dz2.set(i, !relu || f.u[i] > 0 ? dU[i] : 0);
    }
    INDArray dW2 = Tensors.gemm(f.a1, dZ2, true, false);
    Buf dLast = null;
    if (cfg.lastItemSkip()) {
      INDArray skipW = params.get(SKIP_W);
      if (f.xLast != null) {
        dense.put(SKIP_W, Tensors.gemm(f.xLast, dZ2, true, false));
        dLast = new Buf(Tensors.gemm(dZ2, skipW, false, true));
      } else {
        dense.put(SKIP_W, Nd4j.zeros(dt, skipW.shape()));
      }
    }
    INDArray db2 = Nd4j.createUninitialized(dt, 1, uDim);
    Tensors.columnSums(dz2, n, uDim, new Buf(db2));
    INDArray dZ1 = Tensors.gemm(dZ2, params.get(FC2_W), false, true, scratch, "dz1");
    Buf dz1 = new Buf(dZ1);
    Buf a1 = new Buf(f.a1);
    for (int i = 0; i < n * d1; i++) {
      if (!(a1.get(i) > 0)) {
        dz1.set(i, 0);
      } else if (f.keep != null) {
        dz1.set(i, dz1.get(i) * f.keep[i]);
      }
    }
    INDArray dW1 = Tensors.gemm(f.concat, dZ1, true, false);
    INDArray db1 = Nd4j.createUninitialized(dt, 1, d1);
    Tensors.columnSums(dz1, n, d1, new Buf(db1));
    double[] dx =
        new Buf(Tensors.gemm(dZ1, params.get(FC1_W), false, true, scratch, "dconcat")).toDoubles();

    LinkedHashMap<Entry, double[]> sparse = new LinkedHashMap<>();
    for (int b = 0; b < n; b++) {
      int off = b * c;
      add(sparse, batch.user[b], dx, off, cfg.userDim(), 1);
      add(sparse, batch.province[b], dx, off + offProvince, cfg.provinceDim(), 1);
      add(sparse, batch.city[b], dx, off + offCity, cfg.cityDim(), 1);
      add(sparse, batch.phone[b], dx, off + offPhone, cfg.phoneDim(), 1);
      Entry[] cats = batch.categories[b];
      for (Entry e : cats) {
        add(sparse, e, dx, off + offCategory, cfg.categoryDim(), 1.0 / cats.length);
      }
      Entry[] tags = batch.tags[b];
      for (Entry e : tags) {
        add(sparse, e, dx, off + offTag, cfg.tagDim(), 1.0 / tags.length);
      }
      if (cfg.searchTokens()) {
        Entry[] tokens = batch.search[b];
        for (Entry e : tokens) {
          add(sparse, e, dx, off + offSearch, cfg.searchDim(), 1.0 / tokens.length);
        }
      }
    }
    INDArray wx = params.get(LSTM_WX);
    INDArray wh = params.get(LSTM_WH);
    if (f.lstm != null) {
      int steps = f.lstm.steps;
      INDArray dHs = Scratch.zeros(scratch, "lstm.dh", dt, (long) steps * n, hid);
      Buf dh = new Buf(dHs);
      boolean max = cfg.pooling() != SequencePooling.LAST;
      boolean last = cfg.pooling() != SequencePooling.MAX;
      for (int b = 0; b < n; b++) {
        int len = batch.items[b].length;
        for (int j = 0; j < hid; j++) {
          int t = f.argmax[b * hid + j];
          if (max && t >= 0) {
            dh.set((t * n + b) * hid + j, dx[b * c + offLstm + j]);
          }
          if (last && len > 0) {
            int i = ((len - 1) * n + b) * hid + j;
            dh.set(i, dh.get(i) + dx[b * c + offLast + j]);
          }
        }
      }
      Lstm.Grads lg = Lstm.backward(f.lstm, dHs, wx, wh, scratch);
      Buf dxs = new Buf(lg.dx());
      int e = cfg.itemDim();
      for (int b = 0; b < n; b++) {
        Entry[] w = batch.items[b];
        double[] skipWeight = dLast != null ? skipWeights(w.length, cfg.skipDecay()) : null;
        for (int t = 0; t < w.length; t++) {
          // A tied output row [b_i, w_i] takes the input gradient on w_i (on w_i/|w_i| with
          // cosine scores; ModelCore projects it onto w_i once every use is summed).
          int skip = w[t].length() - e;
          double[] g = sparse.computeIfAbsent(w[t], k -> new double[e + skip]);
          int off = (t * n + b) * e;
          for (int j = 0; j < e; j++) {
            g[skip + j] += dxs.get(off + j);
          }
          if (dLast != null && skipWeight[t] != 0) {
            for (int j = 0; j < e; j++) {
              g[skip + j] += skipWeight[t] * dLast.get(b * e + j);
            }
          }
        }
      }
      dense.put(LSTM_WX, lg.dWx());
      dense.put(LSTM_WH, lg.dWh());
      dense.put(LSTM_B, lg.db());
    } else {
      dense.put(LSTM_WX, Nd4j.zeros(dt, wx.shape()));
      dense.put(LSTM_WH, Nd4j.zeros(dt, wh.shape()));
      dense.put(LSTM_B, Nd4j.zeros(dt, params.get(LSTM_B).shape()));
    }
    dense.put(FC1_W, dW1);
    dense.put(FC1_B, db1);
    dense.put(FC2_W, dW2);
    dense.put(FC2_B, db2);
    return new Grads(dense, sparse);
  }

  private static void add(Map<Entry, double[]> sparse, Entry e, Buf src, int off, int dim) {
    double[] g = sparse.computeIfAbsent(e, k -> new double[dim]);
    for (int j = 0; j < dim; j++) {
      g[j] += src.get(off + j);
    }
  }

  private static void add(
      Map<Entry, double[]> sparse, Entry e, double[] src, int off, int dim, double scale) {
    double[] g = sparse.computeIfAbsent(e, k -> new double[dim]);
    for (int j = 0; j < dim; j++) {
      g[j] += src[off + j] * scale;
    }
  }
}
