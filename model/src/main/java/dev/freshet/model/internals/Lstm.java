package dev.freshet.model.internals;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A batched LSTM layer (Hochreiter &amp; Schmidhuber 1997, with forget gate) over time-major
 * sequences, forward and backward.
 *
 * <p>Layout: inputs are a {@code [T·B, E]} matrix whose rows {@code t·B .. t·B+B-1} are step {@code
 * t} of all {@code B} sequences. Gates are packed {@code [i | f | o | g]} in a {@code [T·B, 4H]}
 * matrix. The input projection of all steps is one ND4J gemm; each step adds one {@code
 * [B,H]×[H,4H]} gemm accumulated straight into that step's gate rows ({@code beta = 1}) and one
 * fused plain-Java pass over the step's gate rows (bias, non-linearities, cell and hidden state),
 * so a step is one native call, whatever B. The backward pass mirrors it: one fused pass and one
 * {@code [B,4H]×[4H,H]} gemm per step, then three gemms for {@code dWx}, {@code dWh} and {@code
 * dx}.
 *
 * <p>Masking: sequences are left-aligned (step 0 is the oldest click) and padded at the end with
 * zero inputs. Because the recurrence is causal, padded steps never influence valid steps; a
 * consumer that gives padded steps zero gradient (masked max pooling does) makes them contribute
 * nothing to any gradient.
 */
public final class Lstm {
  private Lstm() {}

  /** Activations kept for the backward pass. */
  public static final class Cache {
    final INDArray x;
    final INDArray gates;
    final INDArray hs;
    final INDArray cs;
    final INDArray tanhCs;
    final int steps;
    final int batch;

    Cache(INDArray x, INDArray gates, INDArray hs, INDArray cs, INDArray tanhCs, int steps, int b) {
      this.x = x;
      this.gates = gates;
      this.hs = hs;
      this.cs = cs;
      this.tanhCs = tanhCs;
      this.steps = steps;
      this.batch = b;
    }

    /** Hidden states, {@code [T·B, H]}, time-major. */
    public INDArray hidden() {
      return hs;
    }
  }

  /** Gradients of the layer's inputs and parameters. */
  public record Grads(INDArray dx, INDArray dWx, INDArray dWh, INDArray db) {}

  /**
   * Runs the LSTM over {@code steps} steps of {@code batch} sequences.
   *
   * @param x inputs {@code [steps·batch, E]}
   * @param wx input weights {@code [E, 4H]}
   * @param wh recurrent weights {@code [H, 4H]}
   * @param b bias {@code [1, 4H]}
   */
  public static Cache forward(
      INDArray x, int steps, int batch, INDArray wx, INDArray wh, INDArray b) {
    return forward(x, steps, batch, wx, wh, b, null);
  }

  /** {@link #forward} with activations in {@code scratch} slots (null: fresh arrays). */
  static Cache forward(
      INDArray x, int steps, int batch, INDArray wx, INDArray wh, INDArray b, Scratch scratch) {
    int h = (int) wh.rows();
    if (x.rows() != (long) steps * batch
        || x.columns() != wx.rows()
        || wx.columns() != 4L * h
        || wh.columns() != 4L * h
        || b.length() != 4L * h) {
      throw new IllegalArgumentException(
          "lstm shapes: x "
              + Arrays.toString(x.shape())
              + ", wx "
              + Arrays.toString(wx.shape())
              + ", wh "
              + Arrays.toString(wh.shape())
              + ", b "
              + Arrays.toString(b.shape())
              + ", steps="
              + steps
              + ", batch="
              + batch);
    }
    DataType dt = x.dataType();
    int h4 = 4 * h;
    long rows = (long) steps * batch;
    INDArray gates = Scratch.take(scratch, "lstm.gates", dt, rows, h4);
    Nd4j.gemm(x, wx, gates, false, false, 1.0, 0.0);
    INDArray hs = Scratch.take(scratch, "lstm.h", dt, rows, h);
    INDArray cs = Scratch.take(scratch, "lstm.c", dt, rows, h);
    INDArray tanhCs = Scratch.take(scratch, "lstm.tanhC", dt, rows, h);
    Buf z = new Buf(gates);
    Buf hb = new Buf(hs);
    Buf cb = new Buf(cs);
    Buf tb = new Buf(tanhCs);
    double[] bias = Buf.reading(b).toDoubles();
    for (int t = 0; t < steps; t++) {
      if (t > 0) {
        Nd4j.gemm(
            Tensors.rowBlock(hs, t - 1, batch),
            wh,
            Tensors.rowBlock(gates, t, batch),
            false,
            false,
            1.0,
            1.0);
      }
      for (int r = t * batch, end = r + batch; r < end; r++) {
        int zo = r * h4;
        int ho = r * h;
        int prev = (r - batch) * h;
        for (int j = 0; j < h; j++) {
          double i = sigmoid(z.get(zo + j) + bias[j]);
          double f = sigmoid(z.get(zo + h + j) + bias[h + j]);
          double o = sigmoid(z.get(zo + 2 * h + j) + bias[2 * h + j]);
          double g = tanh(z.get(zo + 3 * h + j) + bias[3 * h + j]);
          z.set(zo + j, i);
          z.set(zo + h + j, f);
          z.set(zo + 2 * h + j, o);
          z.set(zo + 3 * h + j, g);
          double c = i * g;
          if (t > 0) {
            c += f * cb.get(prev + j);
          }
          cb.set(ho + j, c);
          // Stored values are what the next step and the backward pass read (rounded to dt).
          double tc = tanh(cb.get(ho + j));
          tb.set(ho + j, tc);
          hb.set(ho + j, o * tb.get(ho + j));
        }
      }
    }
    return new Cache(x, gates, hs, cs, tanhCs, steps, batch);
  }

  /**
   * Back-propagates {@code dHs} (the loss gradient w.r.t. every hidden state, {@code [T·B, H]};
   * left unchanged) through the layer.
   */
  public static Grads backward(Cache cache, INDArray dHs, INDArray wx, INDArray wh) {
    return backward(cache, dHs, wx, wh, null);
  }

  /**
   * {@link #backward} with intermediate arrays and {@code dx} in {@code scratch} slots (the weight
   * gradients are always fresh arrays).
   */
  static Grads backward(Cache cache, INDArray dHs, INDArray wx, INDArray wh, Scratch scratch) {
    int steps = cache.steps;
    int batch = cache.batch;
    int h = (int) wh.rows();
    int h4 = 4 * h;
    long rows = (long) steps * batch;
    if (dHs.rows() != rows || dHs.columns() != h) {
      throw new IllegalArgumentException(
          "dHs is " + Arrays.toString(dHs.shape()) + ", expected [" + rows + ", " + h + "]");
    }
    DataType dt = cache.gates.dataType();
    INDArray dz = Scratch.take(scratch, "lstm.dz", dt, rows, h4);
    INDArray dhNext = Scratch.take(scratch, "lstm.dhNext", dt, batch, h);
    Buf z = new Buf(cache.gates);
    Buf cb = new Buf(cache.cs);
    Buf tb = new Buf(cache.tanhCs);
    Buf dhs = Buf.reading(dHs);
    Buf dzb = new Buf(dz);
    Buf dhn = new Buf(dhNext);
    double[] dcNext = new double[batch * h];
    for (int t = steps - 1; t >= 0; t--) {
      boolean last = t == steps - 1;
      for (int r = t * batch, end = r + batch; r < end; r++) {
        int zo = r * h4;
        int ho = r * h;
        int prev = (r - batch) * h;
        int local = (r - t * batch) * h;
        for (int j = 0; j < h; j++) {
          double i = z.get(zo + j);
          double f = z.get(zo + h + j);
          double o = z.get(zo + 2 * h + j);
          double g = z.get(zo + 3 * h + j);
          double tc = tb.get(ho + j);
          double dh = dhs.get(ho + j);
          double dc = 0;
          if (!last) {
            dh += dhn.get(local + j);
            dc = dcNext[local + j];
          }
          double dO = dh * tc;
          dc += dh * o * (1 - tc * tc);
          double df = t > 0 ? dc * cb.get(prev + j) : 0;
          dcNext[local + j] = dc * f;
          dzb.set(zo + j, dc * g * i * (1 - i));
          dzb.set(zo + h + j, df * f * (1 - f));
          dzb.set(zo + 2 * h + j, dO * o * (1 - o));
          dzb.set(zo + 3 * h + j, dc * i * (1 - g * g));
        }
      }
      if (t > 0) {
        Nd4j.gemm(Tensors.rowBlock(dz, t, batch), wh, dhNext, false, true, 1.0, 0.0);
      }
    }
    INDArray dWx = Nd4j.createUninitialized(dt, wx.rows(), h4);
    Nd4j.gemm(cache.x, dz, dWx, true, false, 1.0, 0.0);
    INDArray dWh = Nd4j.create(dt, h, h4);
    if (steps > 1) {
      INDArray hPrev =
          cache.hs.get(NDArrayIndex.interval(0, (long) (steps - 1) * batch), NDArrayIndex.all());
      INDArray dzNext = dz.get(NDArrayIndex.interval(batch, rows), NDArrayIndex.all());
      Nd4j.gemm(hPrev, dzNext, dWh, true, false, 1.0, 0.0);
    }
    INDArray db = Nd4j.createUninitialized(dt, 1, h4);
    Tensors.columnSums(dzb, (int) rows, h4, new Buf(db));
    INDArray dx = Scratch.take(scratch, "lstm.dx", dt, rows, wx.rows());
    Nd4j.gemm(dz, wx, dx, false, true, 1.0, 0.0);
    return new Grads(dx, dWx, dWh, db);
  }

  /** The logistic function; never overflows (exp(-x) → ∞ gives 0). */
  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /**
   * {@code tanh(x) = sign(x)·(1 - e)/(1 + e)} with {@code e = exp(-2|x|)}: one {@code Math.exp} (a
   * JIT intrinsic) instead of {@code Math.tanh} (a native fdlibm call in JDK 17), accurate to a few
   * ulps of double except within ~1e-8 of 0, where the absolute error stays below 1e-16.
   */
  static double tanh(double x) {
    double e = Math.exp(-2 * Math.abs(x));
    double y = (1 - e) / (1 + e);
    return x < 0 ? -y : y;
  }
}
