package dev.freshet.streams.retrieval;

import java.util.Arrays;
import java.util.Objects;

/** Plain-Java kernels on row-major float matrices, and the argument checks every index shares. */
final class Vectors {

  private Vectors() {}

  /**
   * The dot product of {@code a[aOff, aOff+dim)} and {@code b[bOff, bOff+dim)}, with four
   * independent accumulators so the JIT can keep the FP pipeline busy.
   */
  static float dot(float[] a, int aOff, float[] b, int bOff, int dim) {
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    int i = 0;
    for (; i + 3 < dim; i += 4) {
      s0 += a[aOff + i] * b[bOff + i];
      s1 += a[aOff + i + 1] * b[bOff + i + 1];
      s2 += a[aOff + i + 2] * b[bOff + i + 2];
      s3 += a[aOff + i + 3] * b[bOff + i + 3];
    }
    for (; i < dim; i++) {
      s0 += a[aOff + i] * b[bOff + i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** The squared Euclidean norm of {@code v}. */
  static float normSq(float[] v) {
    return dot(v, 0, v, 0, v.length);
  }

  /** Squared Euclidean distance between {@code a} and {@code b[bOff, bOff+a.length)}. */
  static float distanceSq(float[] a, float[] b, int bOff) {
    float s = 0f;
    for (int i = 0; i < a.length; i++) {
      float d = a[i] - b[bOff + i];
      s += d * d;
    }
    return s;
  }

  /**
   * Checks a vector argument at an API boundary.
   *
   * @throws NullPointerException if {@code v} is null
   * @throws IllegalArgumentException if its length is not {@code dim} or a component is not finite
   */
  static void check(String name, float[] v, int dim) {
    Objects.requireNonNull(v, name);
    if (v.length != dim) {
      throw new IllegalArgumentException(
          name + " has shape [" + v.length + "], the index expects [" + dim + "]");
    }
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new IllegalArgumentException(
            name + "[" + i + "] is " + v[i] + ", expected finite values: " + Arrays.toString(v));
      }
    }
  }

  /** Checks an item id at an API boundary. */
  static String checkId(String itemId) {
    Objects.requireNonNull(itemId, "itemId");
    if (itemId.isEmpty()) {
      throw new IllegalArgumentException("itemId must not be empty");
    }
    return itemId;
  }

  /** Checks the k of a top-K request. */
  static void checkK(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
  }

  /** Checks an index dimension. */
  static int checkDimension(int dimension) {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
    }
    return dimension;
  }
}
