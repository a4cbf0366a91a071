package dev.freshet.model;

import java.util.List;
import java.util.Objects;

/**
 * An immutable snapshot of item vectors {@code [b_i, w_i]}: ids and a row-major {@code size × dim}
 * matrix.
 */
public final class ItemVectors {
  private final List<String> ids;
  private final float[] data;
  private final int dim;

  /**
   * @param ids item ids, row order
   * @param data row-major vectors, {@code ids.size()·dim} values; copied
   * @param dim vector width
   */
  public ItemVectors(List<String> ids, float[] data, int dim) {
    this.ids = List.copyOf(Objects.requireNonNull(ids, "ids"));
    Objects.requireNonNull(data, "data");
    if (dim <= 0 || (long) this.ids.size() * dim != data.length) {
      throw new IllegalArgumentException(
          "item vectors: " + this.ids.size() + " ids x dim " + dim + " != " + data.length);
    }
    this.data = data.clone();
    this.dim = dim;
  }

  public int size() {
    return ids.size();
  }

  public int dim() {
    return dim;
  }

  public List<String> ids() {
    return ids;
  }

  public String id(int i) {
    return ids.get(i);
  }

  /** A copy of vector {@code i}. */
  public float[] vector(int i) {
    float[] v = new float[dim];
    System.arraycopy(data, i * dim, v, 0, dim);
    return v;
  }

  /** {@code vector(i)·q} without copying. */
  public float dot(int i, float[] q) {
    float s = 0;
    int off = i * dim;
    for (int j = 0; j < dim; j++) {
      s += data[off + j] * q[j];
    }
    return s;
  }
}
