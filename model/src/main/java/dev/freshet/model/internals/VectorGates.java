package dev.freshet.model.internals;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector gate pass: {@link FloatVector} lanes of the platform's preferred width, in float, with
 * {@code σ(x) = 1/(1 + e^-x)} and {@code tanh(x) = sign(x)·(1 - e^-2|x|)/(1 + e^-2|x|)}. Units past
 * the last whole vector go through {@link ScalarGates}. Loaded by name from {@link
 * TowerGates#vector()} only when {@code jdk.incubator.vector} is there.
 *
 * <p>The exponential is written out from the Vector API's exactly specified operations (add, mul,
 * fma, a shift of the exponent bits) rather than its {@code EXP} and {@code TANH}: those are SIMD
 * math routines once C2 compiles the loop but a per-lane Java fallback before, and the two differ
 * in the last bit, so the same user's vector changed when the JIT warmed up. With arithmetic only,
 * interpreted, C1 and C2 code give the same bits.
 */
final class VectorGates implements TowerGates {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  /** {@code e^x} for {@code x} below this would leave the normal floats: arguments are clamped. */
  private static final float EXP_MIN = -87.0f;

  private static final float EXP_MAX = 88.0f;
  private static final float LOG2E = 1.44269504f;

  /** {@code ln 2} in two parts: the high one has few enough bits that {@code n·LN2_HI} is exact. */
  private static final float LN2_HI = 0.693359375f;

  private static final float LN2_LO = -2.12194440e-4f;

  /** {@code 1.5·2^23}: adding it rounds a float of magnitude below {@code 2^22} to an integer. */
  private static final float ROUND = 12582912f;

  /**
   * Three passes over the row, each a method of its own with one exponential in its loop body: the
   * sigmoid gates in place, the tanh gate in place, then the cell. One loop computing all five per
   * unit is more than C2 inlines whole, and a Vector API value that is not inlined is boxed on the
   * heap (several times slower than the scalar pass).
   */
  @Override
  public void step(float[] z, float[] c, float[] hOut, float[] pool, int h, boolean first) {
    int end = S.loopBound(h);
    sigmoids(z, 0, end);
    if (!first) {
      sigmoids(z, h, end); // on the first step the forget gate multiplies a cell of zeros
    }
    sigmoids(z, 2 * h, end);
    tanhs(z, 3 * h, end);
    cells(z, c, hOut, pool, h, first, end);
    ScalarGates.units(z, c, hOut, pool, h, first, end);
  }

  private static void sigmoids(float[] z, int off, int n) {
    for (int j = 0; j < n; j += S.length()) {
      sigmoid(FloatVector.fromArray(S, z, off + j)).intoArray(z, off + j);
    }
  }

  private static void tanhs(float[] z, int off, int n) {
    for (int j = 0; j < n; j += S.length()) {
      tanh(FloatVector.fromArray(S, z, off + j)).intoArray(z, off + j);
    }
  }

  /** Units {@code 0..n-1} of the cell, from the gates {@link #step} left in {@code z}. */
  private static void cells(
      float[] z, float[] c, float[] hOut, float[] pool, int h, boolean first, int n) {
    for (int j = 0; j < n; j += S.length()) {
      FloatVector cv = FloatVector.fromArray(S, z, j).mul(FloatVector.fromArray(S, z, 3 * h + j));
      if (!first) {
        cv = FloatVector.fromArray(S, z, h + j).mul(FloatVector.fromArray(S, c, j)).add(cv);
      }
      FloatVector hn = FloatVector.fromArray(S, z, 2 * h + j).mul(tanh(cv));
      cv.intoArray(c, j);
      hn.intoArray(hOut, j);
      (first ? hn : hn.max(FloatVector.fromArray(S, pool, j))).intoArray(pool, j);
    }
  }

  @Override
  public String name() {
    return "vector(" + S.length() + " lanes)";
  }

  private static FloatVector sigmoid(FloatVector x) {
    return FloatVector.broadcast(S, 1f).div(exp(x.neg()).add(1f));
  }

  private static FloatVector tanh(FloatVector x) {
    FloatVector e = exp(x.abs().mul(-2f));
    FloatVector y = FloatVector.broadcast(S, 1f).sub(e).div(e.add(1f));
    return y.blend(y.neg(), x.lt(0f));
  }

  /**
   * {@code e^x} within about two float ulps for {@code x} in {@code [EXP_MIN, EXP_MAX]} (clamped
   * outside): {@code x = n·ln 2 + r} with {@code |r| ≤ ln 2 / 2}, {@code e^r} by its Taylor series
   * to degree 7 (truncation below {@code 1e-8} there), times {@code 2^n} built in the exponent
   * bits.
   */
  private static FloatVector exp(FloatVector x) {
    FloatVector xc = x.max(EXP_MIN).min(EXP_MAX);
    FloatVector t = xc.mul(LOG2E).add(ROUND);
    FloatVector n = t.sub(ROUND);
    FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), xc);
    r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
    FloatVector p = FloatVector.broadcast(S, 1f / 5040);
    p = p.fma(r, FloatVector.broadcast(S, 1f / 720));
    p = p.fma(r, FloatVector.broadcast(S, 1f / 120));
    p = p.fma(r, FloatVector.broadcast(S, 1f / 24));
    p = p.fma(r, FloatVector.broadcast(S, 1f / 6));
    p = p.fma(r, FloatVector.broadcast(S, 0.5f));
    p = p.fma(r, FloatVector.broadcast(S, 1f));
    p = p.fma(r, FloatVector.broadcast(S, 1f));
    // t's bits are those of 1.5·2^23 with n added in the mantissa's low bits; shifted left by 23
    // they leave only n + 127 (in [1, 254]) in the exponent field: the float 2^n. (Of the ways to
    // write this, JDK 17's C2 compiles these reinterpretations and the shift to SIMD instructions;
    // a float-to-int conversion it left to boxed Java code, several times slower.)
    IntVector bits = t.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23);
    FloatVector scale = (FloatVector) bits.convertShape(VectorOperators.REINTERPRET_I2F, S, 0);
    return p.mul(scale);
  }
}
