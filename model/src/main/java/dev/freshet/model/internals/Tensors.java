package dev.freshet.model.internals;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Conversions between Java arrays and ND4J matrices, and row/column-block views. */
public final class Tensors {
  private Tensors() {}

  /**
   * A new c-order {@code rows × cols} matrix of type {@code dt} holding {@code data} (row-major).
   */
  public static INDArray matrix(double[] data, long rows, long cols, DataType dt) {
    if (data.length != rows * cols) {
      throw new IllegalArgumentException(
          "data has " + data.length + " values, expected " + rows + "x" + cols);
    }
    long[] shape = {rows, cols};
    if (dt == DataType.DOUBLE) {
      return Nd4j.create(data, shape, DataType.DOUBLE);
    }
    float[] f = new float[data.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) data[i];
    }
    return Nd4j.create(f, shape, DataType.FLOAT);
  }

  /** The values of {@code a} in row-major order, as doubles. */
  public static double[] toDoubles(INDArray a) {
    INDArray c =
        a.isView() || a.ordering() != 'c' || a.length() != a.data().length() ? a.dup('c') : a;
    return c.data().asDouble();
  }

  /** The values of {@code a} in row-major order, as floats. */
  public static float[] toFloats(INDArray a) {
    INDArray c =
        a.isView() || a.ordering() != 'c' || a.length() != a.data().length() ? a.dup('c') : a;
    return c.data().asFloat();
  }

  /** {@code out[j] = Σ_r src[r·cols + j]} (summed in double). */
  static void columnSums(Buf src, int rows, int cols, Buf out) {
    double[] s = new double[cols];
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      for (int j = 0; j < cols; j++) {
        s[j] += src.get(o + j);
      }
    }
    out.write(s, 0, 0, cols);
  }

  /** A new c-order {@code rows × cols} matrix {@code a·b} (or {@code aᵀ·b}, {@code a·bᵀ}). */
  static INDArray gemm(INDArray a, INDArray b, boolean transA, boolean transB) {
    return gemm(a, b, transA, transB, null, null);
  }

  /** {@link #gemm(INDArray, INDArray, boolean, boolean)} into a scratch slot. */
  static INDArray gemm(
      INDArray a, INDArray b, boolean transA, boolean transB, Scratch scratch, String slot) {
    long rows = transA ? a.columns() : a.rows();
    long cols = transB ? b.rows() : b.columns();
    INDArray c = Scratch.take(scratch, slot, a.dataType(), rows, cols);
    Nd4j.gemm(a, b, c, transA, transB, 1.0, 0.0);
    return c;
  }

  /** View of rows {@code [block·size, (block+1)·size)}. */
  public static INDArray rowBlock(INDArray a, long block, long size) {
    return a.get(NDArrayIndex.interval(block * size, (block + 1) * size), NDArrayIndex.all());
  }

  /** View of columns {@code [from, to)}. */
  public static INDArray cols(INDArray a, long from, long to) {
    return a.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to));
  }

  /** {@code v} as doubles. */
  public static double[] widen(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
