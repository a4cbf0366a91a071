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

  /** View of rows {@code [block·size, (block+1)·size)}. */
  public static INDArray rowBlock(INDArray a, long block, long size) {
    return a.get(NDArrayIndex.interval(block * size, (block + 1) * size), NDArrayIndex.all());
  }

  /** View of columns {@code [from, to)}. */
  public static INDArray cols(INDArray a, long from, long to) {
    return a.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to));
  }
}
