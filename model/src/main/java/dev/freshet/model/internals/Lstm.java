package dev.freshet.model.internals;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A batched LSTM layer (Hochreiter &amp; Schmidhuber 1997, with forget gate) over time-major
 * sequences, forward and backward.
 *
 * <p>Layout: inputs are a {@code [T·B, E]} matrix whose rows {@code t·B .. t·B+B-1} are step {@code
 * t} of all {@code B} sequences. Gates are packed {@code [i | f | o | g]} in a {@code [T·B, 4H]}
 * matrix. The input projection of all steps is one gemm; each step adds one {@code [B,H]×[H,4H]}
 * gemm and a handful of whole-batch element-wise ops, so the op count is O(T), independent of B.
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
    long h = wh.rows();
    if (x.rows() != (long) steps * batch || x.columns() != wx.rows() || wx.columns() != 4 * h) {
      throw new IllegalArgumentException(
          "lstm shapes: x "
              + java.util.Arrays.toString(x.shape())
              + ", wx "
              + java.util.Arrays.toString(wx.shape())
              + ", wh "
              + java.util.Arrays.toString(wh.shape())
              + ", steps="
              + steps
              + ", batch="
              + batch);
    }
    DataType dt = x.dataType();
    INDArray gates = x.mmul(wx);
    gates.addiRowVector(b);
    INDArray hs = Nd4j.create(dt, (long) steps * batch, h);
    INDArray cs = Nd4j.create(dt, (long) steps * batch, h);
    INDArray tanhCs = Nd4j.create(dt, (long) steps * batch, h);
    INDArray rec = Nd4j.create(dt, batch, 4 * h);
    for (int t = 0; t < steps; t++) {
      INDArray z = Tensors.rowBlock(gates, t, batch);
      if (t > 0) {
        Tensors.rowBlock(hs, t - 1, batch).mmuli(wh, rec);
        z.addi(rec);
      }
      Transforms.sigmoid(Tensors.cols(z, 0, 3 * h), false);
      Transforms.tanh(Tensors.cols(z, 3 * h, 4 * h), false);
      INDArray i = Tensors.cols(z, 0, h);
      INDArray f = Tensors.cols(z, h, 2 * h);
      INDArray o = Tensors.cols(z, 2 * h, 3 * h);
      INDArray g = Tensors.cols(z, 3 * h, 4 * h);
      INDArray c = Tensors.rowBlock(cs, t, batch);
      i.mul(g, c);
      if (t > 0) {
        c.addi(f.mul(Tensors.rowBlock(cs, t - 1, batch)));
      }
      INDArray tc = Tensors.rowBlock(tanhCs, t, batch);
      tc.assign(c);
      Transforms.tanh(tc, false);
      o.mul(tc, Tensors.rowBlock(hs, t, batch));
    }
    return new Cache(x, gates, hs, cs, tanhCs, steps, batch);
  }

  /**
   * Back-propagates {@code dHs} (the loss gradient w.r.t. every hidden state, {@code [T·B, H]};
   * overwritten) through the layer.
   */
  public static Grads backward(Cache cache, INDArray dHs, INDArray wx, INDArray wh) {
    int steps = cache.steps;
    int batch = cache.batch;
    long h = wh.rows();
    DataType dt = dHs.dataType();
    INDArray dz = Nd4j.create(dt, (long) steps * batch, 4 * h);
    INDArray dc = Nd4j.create(dt, batch, h);
    INDArray dcNext = Nd4j.create(dt, batch, h);
    INDArray dhNext = Nd4j.create(dt, batch, h);
    INDArray whT = wh.transpose().dup('c');
    for (int t = steps - 1; t >= 0; t--) {
      INDArray z = Tensors.rowBlock(cache.gates, t, batch);
      INDArray i = Tensors.cols(z, 0, h);
      INDArray f = Tensors.cols(z, h, 2 * h);
      INDArray o = Tensors.cols(z, 2 * h, 3 * h);
      INDArray g = Tensors.cols(z, 3 * h, 4 * h);
      INDArray tc = Tensors.rowBlock(cache.tanhCs, t, batch);
      INDArray dh = Tensors.rowBlock(dHs, t, batch);
      if (t < steps - 1) {
        dh.addi(dhNext);
      }
      INDArray d = Tensors.rowBlock(dz, t, batch);
      INDArray di = Tensors.cols(d, 0, h);
      INDArray df = Tensors.cols(d, h, 2 * h);
      INDArray dO = Tensors.cols(d, 2 * h, 3 * h);
      INDArray dg = Tensors.cols(d, 3 * h, 4 * h);
      dh.mul(tc, dO);
      // dc = dh · o · (1 - tanh²(c)) + dc_{t+1}
      tc.mul(tc, dc);
      dc.rsubi(1).muli(o).muli(dh);
      if (t < steps - 1) {
        dc.addi(dcNext);
      }
      dc.mul(g, di);
      dc.mul(i, dg);
      if (t > 0) {
        dc.mul(Tensors.rowBlock(cache.cs, t - 1, batch), df);
      }
      dc.mul(f, dcNext);
      INDArray sig = Tensors.cols(z, 0, 3 * h);
      Tensors.cols(d, 0, 3 * h).muli(sig.rsub(1).muli(sig));
      dg.muli(g.mul(g).rsubi(1));
      if (t > 0) {
        d.mmuli(whT, dhNext);
      }
    }
    INDArray dWx = cache.x.transpose().mmul(dz);
    INDArray dWh;
    if (steps > 1) {
      INDArray hPrev =
          cache.hs.get(
              org.nd4j.linalg.indexing.NDArrayIndex.interval(0, (long) (steps - 1) * batch),
              org.nd4j.linalg.indexing.NDArrayIndex.all());
      INDArray dzNext =
          dz.get(
              org.nd4j.linalg.indexing.NDArrayIndex.interval(batch, (long) steps * batch),
              org.nd4j.linalg.indexing.NDArrayIndex.all());
      dWh = hPrev.transpose().mmul(dzNext);
    } else {
      dWh = Nd4j.zeros(dt, h, 4 * h);
    }
    INDArray db = dz.sum(0).reshape(1, 4 * h);
    INDArray dx = dz.mmul(wx.transpose());
    return new Grads(dx, dWx, dWh, db);
  }
}
