package dev.freshet.data.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetricsTest {

  private static final List<String> RANKED = List.of("a", "b", "c", "d", "e");

  @Test
  void shouldScoreASingleTargetByItsRank() {
    // Target at rank 3 (1-based): hit, NDCG = 1/log2(4) = 0.5, RR = 1/3.
    assertThat(Metrics.recallAtK(RANKED, Set.of("c"), 5)).isEqualTo(1.0);
    assertThat(Metrics.ndcgAtK(RANKED, Set.of("c"), 5)).isCloseTo(0.5, within(1e-12));
    assertThat(Metrics.reciprocalRank(RANKED, Set.of("c"), 5)).isCloseTo(1.0 / 3, within(1e-12));
    // At rank 1 every metric is 1.
    assertThat(Metrics.ndcgAtK(RANKED, Set.of("a"), 5)).isEqualTo(1.0);
    assertThat(Metrics.reciprocalRank(RANKED, Set.of("a"), 5)).isEqualTo(1.0);
  }

  @Test
  void shouldIgnoreHitsBeyondTheCutOff() {
    assertThat(Metrics.recallAtK(RANKED, Set.of("d"), 3)).isZero();
    assertThat(Metrics.ndcgAtK(RANKED, Set.of("d"), 3)).isZero();
    assertThat(Metrics.reciprocalRank(RANKED, Set.of("d"), 3)).isZero();
    assertThat(Metrics.rankOf(RANKED, "d", 3)).isEqualTo(-1);
    assertThat(Metrics.rankOf(RANKED, "d", 4)).isEqualTo(3);
    assertThat(Metrics.recallAtK(RANKED, Set.of("z"), 5)).isZero();
  }

  @Test
  void shouldMatchHandComputedValuesForSeveralRelevantItems() {
    // Relevant {b, d, z}; top-4 = a b c d. Hits at positions 1 and 3 (0-based).
    Set<String> relevant = Set.of("b", "d", "z");
    assertThat(Metrics.recallAtK(RANKED, relevant, 4)).isCloseTo(2.0 / 3, within(1e-12));
    double dcg = 1 / log2(3) + 1 / log2(5);
    double idcg = 1 + 1 / log2(3) + 1 / log2(4);
    assertThat(Metrics.ndcgAtK(RANKED, relevant, 4)).isCloseTo(dcg / idcg, within(1e-12));
    assertThat(Metrics.reciprocalRank(RANKED, relevant, 4)).isCloseTo(0.5, within(1e-12));
    assertThat(Metrics.ndcgAtK(RANKED, Set.of(), 4)).isZero();
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  @Test
  void shouldRejectANonPositiveCutOff() {
    assertThatThrownBy(() -> Metrics.recallAtK(RANKED, Set.of("a"), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("k must be >= 1");
  }
}
