package dev.freshet.data.eval;

import static dev.freshet.data.eval.EvaluatorTest.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.data.UserSequence;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BaselinesTest {

  @Test
  void shouldRankItemsByTrainingCountsWithDeterministicTies() {
    MostPopularRecommender popular =
        MostPopularRecommender.fit(List.of(user("a", "x", "y", "z"), user("b", "y", "w")));

    assertThat(popular.ranking()).containsExactly("y", "w", "x", "z");
    assertThat(popular.recommend(user("c"), 2, Set.of("y"))).containsExactly("w", "x");
    assertThat(popular.count("y")).isEqualTo(2);
  }

  @Test
  void shouldRecommendWhatFollowedTheLastClickAndFallBackToPopularity() {
    List<UserSequence> train =
        List.of(user("a", "1", "2", "3"), user("b", "1", "2"), user("c", "9", "9b"));
    CoOccurrenceRecommender next = CoOccurrenceRecommender.fit(train, 1, false, 10);

    assertThat(next.neighbours("1")).containsExactly("2");
    assertThat(next.recommend(user("d", "1"), 3, Set.of())).startsWith("2").hasSize(3);
    assertThat(next.recommend(user("d", "3"), 2, Set.of()))
        .as("no neighbours: popularity")
        .containsExactly("1", "2");
    assertThat(next.recommend(user("d"), 1, Set.of())).containsExactly("1");
    assertThat(CoOccurrenceRecommender.fit(train, 2, true, 10).neighbours("3"))
        .containsExactly("2", "1");
  }

  @Test
  void shouldBeatPopularityOnAWorldOfItemChains() {
    // Four cyclic chains of six items; every user walks four steps of one chain from a random
    // start. Chain 0 is walked most often, so its items are the most popular, but the next item is
    // fixed by the last one.
    List<UserSequence> all = new ArrayList<>();
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
    for (int u = 0; u < 200; u++) {
      int chain = u % 2 == 0 ? 0 : 1 + rnd.nextInt(3);
      int start = rnd.nextInt(6);
      String[] items = new String[4];
      for (int i = 0; i < 4; i++) {
        items[i] = "c" + chain + "i" + (start + i) % 6;
      }
      all.add(user("u" + u, items));
    }
    Split split = TimeSplit.lastFractionPerUser(all, 0.25);

    EvaluationReport report =
        new Evaluator(1, true)
            .evaluate(
                split,
                List.of(
                    MostPopularRecommender.fit(split.train()),
                    CoOccurrenceRecommender.fit(split.train(), 1, false, 10)));

    assertThat(report.results().get(1).recall()).isEqualTo(1.0);
    assertThat(report.results().get(0).recall()).isLessThan(0.5);
  }
}
