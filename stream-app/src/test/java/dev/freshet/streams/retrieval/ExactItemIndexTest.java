package dev.freshet.streams.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExactItemIndexTest {

  private static ExactItemIndex handIndex() {
    ExactItemIndex index = new ExactItemIndex(3, 2);
    index.upsert("a", new float[] {0f, 1f, 0f}); // <q,a> = 2
    index.upsert("b", new float[] {1f, 0f, 1f}); // <q,b> = 1 + 3 = 4
    index.upsert("c", new float[] {-1f, 0f, 0f}); // <q,c> = -1
    index.upsert("d", new float[] {0.5f, 1f, 1f}); // <q,d> = 0.5 + 2 + 3 = 5.5
    return index;
  }

  private static final float[] Q = {1f, 2f, 3f};

  @Test
  void shouldRankItemsByInnerProductBestFirst() {
    List<ItemScore> top = handIndex().topK(Q, 3);

    assertThat(top)
        .containsExactly(new ItemScore("d", 5.5f), new ItemScore("b", 4f), new ItemScore("a", 2f));
  }

  @Test
  void shouldReturnAllItemsWhenKExceedsSize() {
    assertThat(handIndex().topK(Q, 10))
        .extracting(ItemScore::itemId)
        .containsExactly("d", "b", "a", "c");
  }

  @Test
  void shouldReturnNothingFromAnEmptyIndex() {
    assertThat(new ExactItemIndex(3).topK(Q, 5)).isEmpty();
  }

  @Test
  void shouldSkipExcludedIdsAndIgnoreUnknownOnes() {
    List<ItemScore> top = handIndex().topK(Q, 2, Set.of("d", "nope"));

    assertThat(top).extracting(ItemScore::itemId).containsExactly("b", "a");
  }

  @Test
  void shouldReplaceVectorWhenUpsertingAnExistingId() {
    ExactItemIndex index = handIndex();

    index.upsert("c", new float[] {10f, 0f, 0f});

    assertThat(index.size()).isEqualTo(4);
    assertThat(index.topK(Q, 1)).containsExactly(new ItemScore("c", 10f));
    assertThat(index.vector("c"))
        .hasValueSatisfying(v -> assertThat(v).containsExactly(10f, 0f, 0f));
  }

  @Test
  void shouldForgetRemovedItemsAndKeepTheOthersFindable() {
    ExactItemIndex index = handIndex();

    assertThat(index.remove("b")).isTrue();
    assertThat(index.remove("b")).isFalse();

    assertThat(index.size()).isEqualTo(3);
    assertThat(index.contains("b")).isFalse();
    assertThat(index.topK(Q, 10)).extracting(ItemScore::itemId).containsExactly("d", "a", "c");
    assertThat(index.vector("d"))
        .hasValueSatisfying(v -> assertThat(v).containsExactly(0.5f, 1f, 1f));
  }

  @Test
  void shouldCountEveryEffectiveMutationInVersionAndStats() {
    ExactItemIndex index = handIndex();
    index.upsert("a", new float[] {0f, 0f, 1f});
    index.remove("a");
    index.remove("missing");

    IndexStats stats = index.stats();
    assertThat(index.version()).isEqualTo(6);
    assertThat(stats.inserts()).isEqualTo(4);
    assertThat(stats.updates()).isEqualTo(1);
    assertThat(stats.removals()).isEqualTo(1);
    assertThat(stats.size()).isEqualTo(3);
    assertThat(stats.kind()).isEqualTo("exact");
  }

  @Test
  void shouldRejectVectorsOfTheWrongShapeWithTheShapesInTheMessage() {
    ExactItemIndex index = new ExactItemIndex(3);

    assertThatThrownBy(() -> index.upsert("a", new float[2]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[2]")
        .hasMessageContaining("[3]");
    assertThatThrownBy(() -> index.topK(new float[4], 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[4]");
  }

  @Test
  void shouldRejectNonFiniteValuesBadKAndMissingArguments() {
    ExactItemIndex index = new ExactItemIndex(2);

    assertThatThrownBy(() -> index.upsert("a", new float[] {1f, Float.NaN}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vector[1]");
    assertThatThrownBy(() -> index.topK(new float[2], 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("k must be >= 1");
    assertThatThrownBy(() -> index.upsert(null, new float[2]))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> index.upsert("", new float[2]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldMatchANaiveScanOnRandomData() {
    SyntheticVectors gen = new SyntheticVectors(7);
    int n = 3000;
    float[] rows = gen.items(n);
    List<String> ids = SyntheticVectors.ids("i", n);
    ExactItemIndex index = ExactItemIndex.of(SyntheticVectors.DIM, ids, rows);
    float[] q = gen.query();

    List<ItemScore> top = index.topK(q, 20);

    float[] scores = new float[n];
    for (int r = 0; r < n; r++) {
      double s = 0;
      for (int i = 0; i < SyntheticVectors.DIM; i++) {
        s += (double) q[i] * rows[r * SyntheticVectors.DIM + i];
      }
      scores[r] = (float) s;
    }
    Integer[] order = new Integer[n];
    for (int r = 0; r < n; r++) {
      order[r] = r;
    }
    java.util.Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
    for (int i = 0; i < 20; i++) {
      assertThat(top.get(i).score())
          .isCloseTo(scores[order[i]], org.assertj.core.api.Assertions.within(1e-4f));
    }
    assertThat(top).isSortedAccordingTo((a, b) -> Float.compare(b.score(), a.score()));
  }
}
