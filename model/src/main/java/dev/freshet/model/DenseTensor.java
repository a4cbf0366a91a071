package dev.freshet.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named dense parameter as exported/imported: row-major float values of a {@code rows × cols}
 * matrix. Float is the published wire precision; single-precision models round-trip exactly.
 *
 * @param name parameter name (e.g. {@code lstm.wx}, {@code fc1.w})
 * @param rows number of rows
 * @param cols number of columns
 * @param values {@code rows·cols} values, row-major; copied
 */
public record DenseTensor(String name, int rows, int cols, float[] values) {

  public DenseTensor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(values, "values");
    if (rows <= 0 || cols <= 0 || (long) rows * cols != values.length) {
      throw new IllegalArgumentException(
          "dense tensor "
              + name
              + ": shape "
              + rows
              + "x"
              + cols
              + " does not match "
              + values.length
              + " values");
    }
    values = values.clone();
  }

  /** A copy of the values. */
  @Override
  public float[] values() {
    return values.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DenseTensor d
        && d.name.equals(name)
        && d.rows == rows
        && d.cols == cols
        && Arrays.equals(d.values, values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, rows, cols, Arrays.hashCode(values));
  }

  @Override
  public String toString() {
    return "DenseTensor[" + name + " " + rows + "x" + cols + "]";
  }
}
