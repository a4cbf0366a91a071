package dev.freshet.streams.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SimpleLshTest {

  private static final int N = 2000;

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  @Test
  void shouldMapEveryItemToTheUnitSphere() {
    SyntheticVectors gen = new SyntheticVectors(11);
    float[] rows = gen.items(N);
    float m = SimpleLsh.maxNorm(rows, N, SyntheticVectors.DIM);

    for (int r = 0; r < N; r++) {
      float[] p = SimpleLsh.transformItem(SyntheticVectors.row(rows, r), m);
      assertThat(p).hasSize(SyntheticVectors.DIM + 1);
      assertThat(norm(p)).isCloseTo(1.0, within(1e-5));
    }
  }

  @Test
  void shouldMapQueriesToUnitVectorsWithZeroExtraComponent() {
    float[] q = SimpleLsh.transformQuery(new float[] {3f, 4f});

    assertThat(q).containsExactly(0.6f, 0.8f, 0f);
  }

  @Test
  void shouldPreserveTheInnerProductArgmaxAndRankingForAnyAdmissibleBound() {
    SyntheticVectors gen = new SyntheticVectors(12);
    float[] rows = gen.items(N);
    float maxNorm = SimpleLsh.maxNorm(rows, N, SyntheticVectors.DIM);
    for (float m : new float[] {maxNorm, 3f * maxNorm}) {
      for (int t = 0; t < 20; t++) {
        float[] q = gen.query();
        float[] pq = SimpleLsh.transformQuery(q);
        int bestRaw = -1;
        int bestLsh = -1;
        double bestRawScore = Double.NEGATIVE_INFINITY;
        double bestLshScore = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < N; r++) {
          float[] v = SyntheticVectors.row(rows, r);
          double raw = dot(q, v);
          double lsh = dot(pq, SimpleLsh.transformItem(v, m));
          assertThat(lsh).isCloseTo(raw / (m * norm(q)), within(1e-5));
          if (raw > bestRawScore) {
            bestRawScore = raw;
            bestRaw = r;
          }
          if (lsh > bestLshScore) {
            bestLshScore = lsh;
            bestLsh = r;
          }
        }
        assertThat(bestLsh).isEqualTo(bestRaw);
      }
    }
  }

  @Test
  void shouldComputeItemSimilarityAsTheDotProductOfTransformedItems() {
    SyntheticVectors gen = new SyntheticVectors(13);
    float[] a = gen.item();
    float[] b = gen.item();
    float m = 1.5f * (float) Math.max(norm(a), norm(b));

    float expected = (float) dot(SimpleLsh.transformItem(a, m), SimpleLsh.transformItem(b, m));
    float actual =
        SimpleLsh.itemSimilarity(
            (float) dot(a, b),
            SimpleLsh.tail(Vectors.normSq(a), m),
            SimpleLsh.tail(Vectors.normSq(b), m),
            m);

    assertThat(actual).isCloseTo(expected, within(1e-5f));
  }

  @Test
  void shouldRejectABoundBelowTheItemNormAndAZeroQuery() {
    assertThatThrownBy(() -> SimpleLsh.transformItem(new float[] {3f, 4f}, 4f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds m");
    assertThatThrownBy(() -> SimpleLsh.transformQuery(new float[2]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
