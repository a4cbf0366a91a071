package dev.freshet.data.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrequentialRecallTest {

  @Test
  void shouldCountAClickAsHitOnlyIfItWasInTheTopKRecommendedBefore() {
    PrequentialRecall recall = new PrequentialRecall(2, 3);

    assertThat(recall.recall()).isZero();
    assertThat(recall.windowedRecall()).isZero();
    assertThat(recall.record("a", List.of("a", "b", "c"))).isTrue();
    assertThat(recall.record("c", List.of("a", "b", "c"))).as("rank 3 > k").isFalse();
    assertThat(recall.record("x", null)).as("nothing recommended yet").isFalse();

    assertThat(recall.events()).isEqualTo(3);
    assertThat(recall.hits()).isEqualTo(1);
    assertThat(recall.recall()).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(recall.windowedRecall()).isCloseTo(1.0 / 3, within(1e-12));
  }

  @Test
  void shouldForgetClicksThatLeaveTheWindow() {
    PrequentialRecall recall = new PrequentialRecall(1, 2);
    recall.record("a", List.of("a"));
    recall.record("b", List.of("b"));
    recall.record("c", List.of("x"));
    recall.record("d", List.of("x"));

    assertThat(recall.recall()).isCloseTo(0.5, within(1e-12));
    assertThat(recall.windowedRecall()).isZero();
    assertThat(recall.windowEvents()).isEqualTo(2);

    recall.record("e", List.of("e"));
    assertThat(recall.windowedRecall()).isCloseTo(0.5, within(1e-12));
    assertThat(recall.recall()).isCloseTo(3.0 / 5, within(1e-12));
  }

  @Test
  void shouldRejectInvalidParameters() {
    assertThatThrownBy(() -> new PrequentialRecall(0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PrequentialRecall(1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
