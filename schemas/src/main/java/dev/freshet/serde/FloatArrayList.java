package dev.freshet.serde;

import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A read-only {@code List<Float>} over a {@code float[]}, for the {@code array<float>} fields of
 * generated Avro records (model rows, item and user vectors). Wrapping boxes nothing, and the
 * serializers of this package write such a list straight from the array: the bytes are those Avro
 * writes for any list of the same floats (the values of a Java list of boxed floats would each be
 * an object, allocated when the list is built and unboxed one by one when it is written).
 *
 * <p>The list reads the array it was given, so the array must not change while the list is in use.
 */
public final class FloatArrayList extends AbstractList<Float> implements RandomAccess {

  private final float[] values;

  private FloatArrayList(float[] values) {
    this.values = values;
  }

  /** A list over {@code values} (not copied). */
  public static FloatArrayList wrap(float[] values) {
    return new FloatArrayList(Objects.requireNonNull(values, "values"));
  }

  /**
   * The floats of {@code list} as a new array; copies the array of a {@link FloatArrayList} without
   * unboxing.
   */
  public static float[] toArray(java.util.List<Float> list) {
    if (list instanceof FloatArrayList f) {
      return f.values.clone();
    }
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }

  @Override
  public Float get(int index) {
    return values[Objects.checkIndex(index, values.length)];
  }

  /** The element at {@code index}, unboxed. */
  public float getFloat(int index) {
    return values[Objects.checkIndex(index, values.length)];
  }

  @Override
  public int size() {
    return values.length;
  }
}
