package dev.freshet.data.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.freshet.data.ClickedItem;
import dev.freshet.data.UserSequence;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

  static UserSequence user(String id, String... items) {
    List<ClickedItem> clicks = new ArrayList<>();
    for (int i = 0; i < items.length; i++) {
      clicks.add(new ClickedItem(items[i], null, List.of(), 1000L * i));
    }
    return new UserSequence(id, null, null, null, clicks);
  }

  /** Always recommends a fixed list (minus exclusions). */
  private static Recommender fixed(String name, String... items) {
    return new Recommender() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<String> recommend(UserSequence history, int k, Set<String> exclude) {
        List<String> out = new ArrayList<>();
        for (String item : items) {
          if (out.size() < k && !exclude.contains(item)) {
            out.add(item);
          }
        }
        return out;
      }
    };
  }

  @Test
  void shouldHoldOutTheLastFractionOfEachUsersClicks() {
    Split split =
        TimeSplit.lastFractionPerUser(
            List.of(user("a", "1", "2", "3", "4", "5"), user("b", "1"), user("c", "1", "2")), 0.2);

    assertThat(split.train()).extracting(UserSequence::size).containsExactly(4, 1, 1);
    assertThat(split.test()).extracting(t -> t.sequence().userId()).containsExactly("a", "c");
    assertThat(split.test()).extracting(Split.TestUser::firstTestIndex).containsExactly(4, 1);
    assertThat(split.testEvents()).isEqualTo(2);
  }

  @Test
  void shouldCutAllUsersAtOneInstantForTheGlobalSplit() {
    List<UserSequence> users = List.of(user("a", "1", "2", "3", "4"), user("b", "1", "2"));
    long cut = TimeSplit.quantileCut(users, 0.5);

    Split split = TimeSplit.globalTimeCut(users, cut);

    assertThat(cut).isEqualTo(1000L);
    assertThat(split.train()).extracting(UserSequence::size).containsExactly(1, 1);
    assertThat(split.test()).extracting(Split.TestUser::firstTestIndex).containsExactly(1, 1);
    assertThat(split.testEvents()).isEqualTo(4);
  }

  @Test
  void shouldAverageHandComputableScoresOverAllTestEventsInOnePass() {
    // User a: test clicks "x" then "y"; user b: test click "z". Seen items are excluded.
    Split split =
        new Split(
            "hand",
            List.of(),
            List.of(
                new Split.TestUser(user("a", "p", "x", "y"), 1),
                new Split.TestUser(user("b", "q", "z"), 1)));
    Recommender xyz = fixed("xyz", "p", "x", "y", "z");
    Recommender none = fixed("none", "n1", "n2");

    EvaluationReport report = new Evaluator(2, true).evaluate(split, List.of(xyz, none));

    // xyz for a@1 (exclude p): [x, y] -> rank 1. a@2 (exclude p, x): [y, z] -> rank 1.
    // b@1 (exclude q): [p, x] -> miss. Recall 2/3, NDCG 2/3, MRR 2/3.
    EvaluationReport.Result r = report.result("xyz");
    assertThat(report.testEvents()).isEqualTo(3);
    assertThat(r.events()).isEqualTo(3);
    assertThat(r.recall()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(r.ndcg()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(r.mrr()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(report.result("none").recall()).isZero();
    assertThat(report.toTable()).contains("Recall@2", "NDCG@2", "MRR@2", "xyz", "0.6667");
  }

  @Test
  void shouldScoreRankTwoWithTheLogDiscount() {
    Split split = new Split("one", List.of(), List.of(new Split.TestUser(user("a", "p", "y"), 1)));

    EvaluationReport.Result r =
        new Evaluator(3, false).evaluate(split, List.of(fixed("f", "x", "y"))).results().get(0);

    assertThat(r.recall()).isEqualTo(1.0);
    assertThat(r.ndcg()).isCloseTo(1 / (Math.log(3) / Math.log(2)), within(1e-12));
    assertThat(r.mrr()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void shouldRejectARecommenderThatBreaksItsContract() {
    Split split = new Split("one", List.of(), List.of(new Split.TestUser(user("a", "p", "y"), 1)));
    Recommender cheat =
        new Recommender() {
          @Override
          public String name() {
            return "cheat";
          }

          @Override
          public List<String> recommend(UserSequence history, int k, Set<String> exclude) {
            return List.of("p");
          }
        };

    assertThatThrownBy(() -> new Evaluator(1, true).evaluate(split, List.of(cheat)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("excluded item 'p'");
  }
}
