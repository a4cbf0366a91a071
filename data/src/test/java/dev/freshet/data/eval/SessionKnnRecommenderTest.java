package dev.freshet.data.eval;

import static dev.freshet.data.eval.EvaluatorTest.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionKnnRecommenderTest {

  @Test
  void shouldRankItemsBySummedCosineSimilarityOfTheNeighboursThatShareRecentItems() {
    // Query: recent clicks [a, b] with weights 1/2 (a) and 1 (b); |w| = sqrt(5)/2.
    // n1 = {a, b, x}: (1/2 + 1) / (|w| sqrt 3) = 0.775
    // n2 = {b, y}:    1 / (|w| sqrt 2)         = 0.632
    // n3 = {a, z}:    (1/2) / (|w| sqrt 2)     = 0.316
    // n4 = {q, r}:    shares nothing, never a neighbour
    // Scores: x 0.775, y 0.632, z 0.316 (a and b are the input and excluded).
    SessionKnnRecommender knn =
        SessionKnnRecommender.fit(
            List.of(
                user("n1", "a", "b", "x"),
                user("n2", "b", "y"),
                user("n3", "a", "z"),
                user("n4", "q", "r", "q")),
            10,
            2);

    assertThat(knn.recommend(user("me", "old", "a", "b"), 3, Set.of("old", "a", "b")))
        .containsExactly("x", "y", "z");
  }

  @Test
  void shouldLetOnlyTheMostSimilarNeighboursVote() {
    // With one neighbour only n1 votes: x first, then popularity fills (q is clicked twice).
    SessionKnnRecommender knn =
        SessionKnnRecommender.fit(
            List.of(
                user("n1", "a", "b", "x"),
                user("n2", "b", "y"),
                user("n3", "a", "z"),
                user("n4", "q", "r", "q")),
            1,
            2);

    assertThat(knn.recommend(user("me", "a", "b"), 2, Set.of("a", "b"))).containsExactly("x", "q");
  }

  @Test
  void shouldNeverUseTheUsersOwnTrainingSequenceAsANeighbour() {
    SessionKnnRecommender knn =
        SessionKnnRecommender.fit(List.of(user("me", "a", "own"), user("n", "a", "other")), 10, 3);

    assertThat(knn.recommend(user("me", "a"), 1, Set.of("a"))).containsExactly("other");
  }

  @Test
  void shouldFallBackToPopularityForAnUnknownOrEmptyHistory() {
    SessionKnnRecommender knn =
        SessionKnnRecommender.fit(List.of(user("n1", "p", "q"), user("n2", "p")), 10, 3);

    assertThat(knn.recommend(user("me", "unknown"), 2, Set.of())).containsExactly("p", "q");
    assertThat(knn.recommend(user("me"), 1, Set.of())).containsExactly("p");
    assertThatThrownBy(() -> SessionKnnRecommender.fit(List.of(), 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldSelectTheBestIdsInOrderWithTheBoundedHeap() {
    int[] ids = {5, 3, 9, 1, 7, 2, 8};

    int n = TopSelection.select(ids, ids.length, 3, (a, b) -> Integer.compare(b, a));

    assertThat(n).isEqualTo(3);
    assertThat(new int[] {ids[0], ids[1], ids[2]}).containsExactly(9, 8, 7);
    int[] few = {4, 6};
    assertThat(TopSelection.select(few, 2, 5, Integer::compare)).isEqualTo(2);
    assertThat(few).containsExactly(4, 6);
  }
}
