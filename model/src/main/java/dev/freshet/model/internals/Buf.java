package dev.freshet.model.internals;

import java.lang.ref.Reference;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Direct element access to the off-heap buffer of a whole, c-order ND4J array (no view, no copy):
 * element {@code i} is row-major index {@code i}. Plain-Java loops over a {@code Buf} replace
 * chains of small ND4J element-wise ops, each of which costs a fixed ~10 µs native-call overhead.
 * Values are read and written as doubles and rounded to the array's type on write.
 */
final class Buf {
  /**
   * The array whose memory {@link #f} or {@link #d} addresses. The NIO views are made over the
   * native address and do not keep the array alive: once the array is unreachable ND4J frees that
   * memory, and the views would read and write whatever is allocated there next (a {@code Buf} over
   * a temporary, such as the copy {@link #reading} makes of a view, lost its memory at the next
   * collection). Holding the array here keeps the memory for as long as the {@code Buf} is used.
   */
  private final INDArray owner;

  private final FloatBuffer f;
  private final DoubleBuffer d;
  final int length;

  /**
   * @throws IllegalArgumentException if {@code a} is a view, not c-ordered, or neither FLOAT nor
   *     DOUBLE
   */
  Buf(INDArray a) {
    if (a.isView() || a.ordering() != 'c' || a.length() != a.data().length()) {
      throw new IllegalArgumentException(
          "direct access needs a whole c-order array, got " + Arrays.toString(a.shape()));
    }
    owner = a;
    length = (int) a.length();
    if (a.dataType() == DataType.FLOAT) {
      f = a.data().asNioFloat();
      d = null;
    } else if (a.dataType() == DataType.DOUBLE) {
      f = null;
      d = a.data().asNioDouble();
    } else {
      throw new IllegalArgumentException("unsupported data type " + a.dataType());
    }
  }

  /** A {@code Buf} over {@code a}, or over a c-order copy if {@code a} is a view (read only). */
  static Buf reading(INDArray a) {
    boolean whole = !a.isView() && a.ordering() == 'c' && a.length() == a.data().length();
    return new Buf(whole ? a : a.dup('c'));
  }

  /** Whether the array holds floats (then {@link #put(int, float[])} is one bulk copy). */
  boolean isFloat() {
    return f != null;
  }

  /** Writes {@code src} to elements {@code [index, index + src.length)}. */
  void put(int index, float[] src) {
    if (f != null) {
      f.put(index, src);
    } else {
      for (int j = 0; j < src.length; j++) {
        d.put(index + j, src[j]);
      }
    }
    Reference.reachabilityFence(owner);
  }

  double get(int i) {
    double v = f != null ? f.get(i) : d.get(i);
    Reference.reachabilityFence(owner);
    return v;
  }

  void set(int i, double v) {
    if (f != null) {
      f.put(i, (float) v);
    } else {
      d.put(i, v);
    }
    Reference.reachabilityFence(owner);
  }

  /** All values as doubles, row-major. */
  double[] toDoubles() {
    double[] out = new double[length];
    for (int i = 0; i < length; i++) {
      out[i] = get(i);
    }
    Reference.reachabilityFence(owner);
    return out;
  }

  /** All values as floats, row-major. */
  float[] toFloats() {
    float[] out = new float[length];
    for (int i = 0; i < length; i++) {
      out[i] = (float) get(i);
    }
    Reference.reachabilityFence(owner);
    return out;
  }

  /** Writes {@code src[from .. from+n)} to elements {@code [to, to+n)}. */
  void write(double[] src, int from, int to, int n) {
    for (int i = 0; i < n; i++) {
      set(to + i, src[from + i]);
    }
    Reference.reachabilityFence(owner);
  }
}
