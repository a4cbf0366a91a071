package dev.freshet.model.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TowerGatesTest {
  /** The test JVMs run with the module (test.jvm.args), as the launcher does. */
  @Test
  void shouldUseTheVectorGatesWhenTheModuleIsThere() {
    assertThat(TowerGates.vectorAvailable()).as("--add-modules jdk.incubator.vector").isTrue();
    assertThat(TowerGates.DEFAULT.name()).startsWith("vector");
    assertThat(TowerGates.choose("SCALAR")).isSameAs(TowerGates.SCALAR);
    assertThat(TowerGates.choose(" vector ").name()).startsWith("vector");
  }

  @Test
  void shouldRejectAnUnknownChoiceByName() {
    assertThatThrownBy(() -> TowerGates.choose("fast"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("freshet.tower.gates must be auto, vector or scalar, not 'fast'");
  }

  /**
   * Both passes against the LSTM cell written out in double, over widths with and without a
   * remainder past the last whole vector, pre-activations from 0 to saturation, and the first step
   * (which must ignore the cell and pool it is given) and later ones.
   */
  @Test
  void shouldComputeTheLstmCellWithBothPasses() {
    Random r = new Random(11);
    for (TowerGates gates : new TowerGates[] {TowerGates.SCALAR, TowerGates.vector()}) {
      for (int h : new int[] {1, 7, 8, 13, 64, 67}) {
        float[] c = new float[h];
        float[] hOut = new float[h];
        float[] pool = new float[h];
        double[] cRef = new double[h];
        double[] poolRef = new double[h];
        java.util.Arrays.fill(c, 123f); // garbage a first step must not read
        java.util.Arrays.fill(pool, -123f);
        for (int t = 0; t < 6; t++) {
          float[] z = new float[4 * h];
          double spread = t < 3 ? 3 : 40; // the last steps saturate every gate
          for (int k = 0; k < z.length; k++) {
            z[k] = k % 9 == 0 ? 0f : (float) (r.nextGaussian() * spread);
          }
          gates.step(z.clone(), c, hOut, pool, h, t == 0); // z is scratch
          for (int j = 0; j < h; j++) {
            double ig = 1 / (1 + Math.exp(-z[j]));
            double f = 1 / (1 + Math.exp(-z[h + j]));
            double o = 1 / (1 + Math.exp(-z[2 * h + j]));
            double g = Math.tanh(z[3 * h + j]);
            cRef[j] = ig * g + (t == 0 ? 0 : f * cRef[j]);
            double hn = o * Math.tanh(cRef[j]);
            poolRef[j] = t == 0 ? hn : Math.max(poolRef[j], hn);
            String at = gates.name() + " h=" + h + " t=" + t + " unit " + j;
            assertThat((double) c[j]).as("cell, " + at).isCloseTo(cRef[j], within(1e-5));
            assertThat((double) hOut[j]).as("hidden, " + at).isCloseTo(hn, within(1e-6));
            assertThat((double) pool[j]).as("pool, " + at).isCloseTo(poolRef[j], within(1e-6));
          }
        }
      }
    }
  }

  /** The vector pass is the scalar one to float rounding, and is deterministic. */
  @Test
  void shouldAgreeWithTheScalarPassToAFewUlps() {
    Random r = new Random(5);
    int h = 64;
    float[] cs = new float[h];
    float[] hs = new float[h];
    float[] ps = new float[h];
    float[] cv = new float[h];
    float[] hv = new float[h];
    float[] pv = new float[h];
    float[] cv2 = new float[h];
    float[] hv2 = new float[h];
    float[] pv2 = new float[h];
    TowerGates vector = TowerGates.vector();
    double worst = 0;
    for (int t = 0; t < 20; t++) {
      float[] z = new float[4 * h];
      for (int k = 0; k < z.length; k++) {
        z[k] = (float) (r.nextGaussian() * 2);
      }
      TowerGates.SCALAR.step(z.clone(), cs, hs, ps, h, t == 0);
      vector.step(z.clone(), cv, hv, pv, h, t == 0);
      vector.step(z.clone(), cv2, hv2, pv2, h, t == 0);
      for (int j = 0; j < h; j++) {
        worst = Math.max(worst, Math.abs(hs[j] - hv[j]));
      }
    }
    assertThat(worst).as("largest difference of a hidden unit over 20 steps").isLessThan(1e-6);
    assertThat(hv2).containsExactly(hv);
    assertThat(cv2).containsExactly(cv);
  }

  /**
   * The same inputs give the same bits before and after the JIT compiles the pass (the Vector API's
   * own EXP and TANH did not: a per-lane fallback first, SIMD routines once compiled).
   */
  @Test
  void shouldGiveTheSameBitsInterpretedAndCompiled() {
    TowerGates vector = TowerGates.vector();
    int h = 64;
    Random r = new Random(3);
    float[] z = new float[4 * h];
    for (int k = 0; k < z.length; k++) {
      z[k] = (float) (r.nextGaussian() * 4);
    }
    float[] c0 = new float[h];
    float[] h0 = new float[h];
    float[] p0 = new float[h];
    vector.step(z.clone(), c0, h0, p0, h, true);
    vector.step(z.clone(), c0, h0, p0, h, false);
    float[] c = new float[h];
    float[] hOut = new float[h];
    float[] pool = new float[h];
    for (int rep = 0; rep < 100_000; rep++) {
      vector.step(z.clone(), c, hOut, pool, h, true);
      vector.step(z.clone(), c, hOut, pool, h, false);
    }
    assertThat(hOut).containsExactly(h0);
    assertThat(c).containsExactly(c0);
  }
}
