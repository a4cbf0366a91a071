package dev.freshet.model.internals;

/** {@link TowerGates#SCALAR}: each gate in double with one {@code Math.exp}, rounded to float. */
final class ScalarGates implements TowerGates {
  @Override
  public void step(float[] z, float[] c, float[] hOut, float[] pool, int h, boolean first) {
    units(z, c, hOut, pool, h, first, 0);
  }

  /**
   * Units {@code from..h-1}; the vector pass finishes a row that is not a whole number of lanes.
   */
  static void units(
      float[] z, float[] c, float[] hOut, float[] pool, int h, boolean first, int from) {
    for (int j = from; j < h; j++) {
      float ig = (float) Lstm.sigmoid(z[j]);
      float f = (float) Lstm.sigmoid(z[h + j]);
      float o = (float) Lstm.sigmoid(z[2 * h + j]);
      float g = (float) Lstm.tanh(z[3 * h + j]);
      double cd = (double) ig * g;
      if (!first) {
        cd += (double) f * c[j];
      }
      float cf = (float) cd;
      float hn = (float) ((double) o * (float) Lstm.tanh(cf));
      c[j] = cf;
      hOut[j] = hn;
      pool[j] = first ? hn : Math.max(pool[j], hn);
    }
  }

  @Override
  public String name() {
    return "scalar";
  }
}
