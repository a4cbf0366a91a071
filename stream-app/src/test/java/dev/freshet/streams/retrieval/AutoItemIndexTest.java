package dev.freshet.streams.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AutoItemIndexTest {

  private static final int DIM = SyntheticVectors.DIM;

  @Test
  void shouldSearchExactlyBelowTheThresholdAndSwitchToHnswAboveIt() {
    SyntheticVectors gen = new SyntheticVectors(31);
    try (AutoItemIndex auto = new AutoItemIndex(DIM, 2000, HnswConfig.defaults())) {
      ExactItemIndex exact = new ExactItemIndex(DIM);
      for (int i = 0; i < 2000; i++) {
        float[] v = gen.item();
        auto.upsert("i" + i, v);
        exact.upsert("i" + i, v);
      }
      assertThat(auto.usesHnsw()).isFalse();
      assertThat(auto.stats().kind()).isEqualTo("exact");
      float[] q = gen.query();
      assertThat(auto.topK(q, 10)).isEqualTo(exact.topK(q, 10));

      float[] v = gen.item();
      auto.upsert("i2000", v);
      exact.upsert("i2000", v);

      assertThat(auto.usesHnsw()).isTrue();
      assertThat(auto.switches()).isEqualTo(1);
      assertThat(auto.size()).isEqualTo(2001);
      assertThat(auto.version()).isEqualTo(2001);
      assertThat(auto.stats().kind()).isEqualTo("hnsw");
      assertThat(SyntheticVectors.recall(auto, exact, gen.queries(50), 10))
          .isGreaterThanOrEqualTo(0.95);
    }
  }

  @Test
  void shouldSwitchBackToExactBelowHalfTheThreshold() {
    SyntheticVectors gen = new SyntheticVectors(32);
    try (AutoItemIndex auto = new AutoItemIndex(DIM, 1000, HnswConfig.defaults())) {
      for (int i = 0; i < 1001; i++) {
        auto.upsert("i" + i, gen.item());
      }
      assertThat(auto.usesHnsw()).isTrue();

      for (int i = 0; i < 502; i++) {
        auto.remove("i" + i);
      }

      assertThat(auto.usesHnsw()).isFalse();
      assertThat(auto.switches()).isEqualTo(2);
      assertThat(auto.size()).isEqualTo(499);
      assertThat(auto.contains("i1000")).isTrue();
      assertThat(auto.contains("i0")).isFalse();
      List<ItemScore> top = auto.topK(gen.query(), 499);
      assertThat(top).hasSize(499);
    }
  }
}
