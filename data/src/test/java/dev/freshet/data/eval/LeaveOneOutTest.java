package dev.freshet.data.eval;

import static dev.freshet.data.eval.EvaluatorTest.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.data.UserSequence;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeaveOneOutTest {

  /** Always ranks the given items in this order (minus exclusions). */
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
  void shouldHoldOutTheLastClickForTestAndTheOneBeforeForValidation() {
    LeaveOneOut.Result split =
        LeaveOneOut.split(List.of(user("a", "1", "2", "3", "4"), user("b", "5", "6"), user("c")));

    assertThat(split.train()).extracting(UserSequence::userId).containsExactly("a", "b");
    assertThat(split.train()).extracting(UserSequence::size).containsExactly(2, 2);
    assertThat(split.trainAndValidation()).extracting(UserSequence::size).containsExactly(3, 2);
    assertThat(split.validation().test()).hasSize(1);
    Split.TestUser validation = split.validation().test().get(0);
    assertThat(validation.sequence().clicks())
        .extracting(c -> c.videoId())
        .containsExactly("1", "2", "3");
    assertThat(validation.firstTestIndex()).isEqualTo(2);
    Split.TestUser test = split.test().test().get(0);
    assertThat(test.sequence().size()).isEqualTo(4);
    assertThat(test.firstTestIndex()).as("input: training and validation clicks").isEqualTo(3);
    assertThat(split.test().testEvents()).isEqualTo(1);
  }

  @Test
  void shouldScoreHandComputedRanksAtEveryCutOff() {
    // The recommender ranks t1..t30 in order; seen items are excluded. a's target t1 is at rank 1;
    // b saw t5, which sits before t12, so b's target t12 is at rank 11; c's target t25 is at rank
    // 25, beyond the deepest cut-off (20): a miss everywhere, MRR included.
    String[] ranking = new String[30];
    for (int i = 0; i < 30; i++) {
      ranking[i] = "t" + (i + 1);
    }
    LeaveOneOut.Result split =
        LeaveOneOut.split(
            List.of(
                user("a", "x", "y", "t1"),
                user("b", "t5", "z", "t12"),
                user("c", "w", "v", "t25")));
    RankingEvaluator evaluator = new RankingEvaluator(List.of(20, 10), false);

    RankingScores scores =
        evaluator.evaluate(split.test(), List.of(fixed("fixed", ranking))).get(0);

    assertThat(evaluator.cutoffs()).containsExactly(10, 20);
    assertThat(evaluator.metricNames())
        .containsExactly("HR@10", "NDCG@10", "HR@20", "NDCG@20", "MRR");
    assertThat(scores.events()).isEqualTo(3);
    assertThat(scores.get("HR@10")).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(scores.get("HR@20")).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(scores.get("NDCG@10")).isCloseTo(1.0 / 3, within(1e-12));
    double rank11 = 1 / (Math.log(12) / Math.log(2));
    assertThat(scores.get("NDCG@20")).isCloseTo((1 + rank11) / 3, within(1e-12));
    assertThat(scores.get("MRR"))
        .as("MRR over the top 20")
        .isCloseTo((1 + 1.0 / 11) / 3, within(1e-12));
  }

  @Test
  void shouldKeepSeenItemsOnlyWhenAsked() {
    // The user re-clicks x: excluded by default (a miss), ranked first with keepSeen.
    LeaveOneOut.Result split = LeaveOneOut.split(List.of(user("a", "x", "y", "x")));
    Recommender xy = fixed("xy", "x", "y", "q");

    RankingScores excluded =
        new RankingEvaluator(List.of(1, 2), false).evaluate(split.test(), List.of(xy)).get(0);
    RankingScores kept =
        new RankingEvaluator(List.of(1, 2), true).evaluate(split.test(), List.of(xy)).get(0);

    assertThat(excluded.get("HR@2")).isZero();
    assertThat(excluded.get("MRR")).isZero();
    assertThat(kept.get("HR@1")).isEqualTo(1.0);
    assertThat(kept.get("NDCG@1")).isEqualTo(1.0);
    assertThat(kept.get("MRR")).isEqualTo(1.0);
  }

  @Test
  void shouldPredictValidationFromTrainingClicksOnly() {
    // Validation target y; the input is [x] (not y, not z). A recommender that returns the last
    // input item's successor in a fixed chain x -> y -> z scores a hit on both events.
    LeaveOneOut.Result split = LeaveOneOut.split(List.of(user("a", "x", "y", "z")));
    Recommender next =
        new Recommender() {
          @Override
          public String name() {
            return "next";
          }

          @Override
          public List<String> recommend(UserSequence history, int k, Set<String> exclude) {
            String last = history.lastClick().videoId();
            return List.of(last.equals("x") ? "y" : "z");
          }
        };
    RankingEvaluator evaluator = new RankingEvaluator(List.of(1), false);

    assertThat(evaluator.evaluate(split.validation(), List.of(next)).get(0).get("HR@1"))
        .isEqualTo(1.0);
    assertThat(evaluator.evaluate(split.test(), List.of(next)).get(0).get("HR@1")).isEqualTo(1.0);
  }

  @Test
  void shouldRejectARecommenderThatReturnsASeenItem() {
    LeaveOneOut.Result split = LeaveOneOut.split(List.of(user("a", "x", "y", "z")));
    Recommender cheat =
        new Recommender() {
          @Override
          public String name() {
            return "cheat";
          }

          @Override
          public List<String> recommend(UserSequence history, int k, Set<String> exclude) {
            return List.of("x");
          }
        };

    assertThatThrownBy(
            () -> new RankingEvaluator(List.of(5), false).evaluate(split.test(), List.of(cheat)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("excluded item 'x'");
    assertThatThrownBy(() -> new RankingEvaluator(List.of(0), false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldWriteJsonThatParsesBackWithMeansSpreadsAndRuns() throws Exception {
    RankingEvaluator evaluator = new RankingEvaluator(List.of(10, 20), false);
    List<String> metrics = evaluator.metricNames();
    LeaveOneOutReport report =
        new LeaveOneOutReport(
            evaluator.cutoffs(),
            metrics,
            evaluator.mrrDepth(),
            false,
            7,
            7,
            List.of(42L, 43L),
            List.of(
                new LeaveOneOutReport.Entry(
                    "popularity", "most-popular", List.of(run(null, null, 0.1, metrics))),
                new LeaveOneOutReport.Entry(
                    "model",
                    "model(tiny)",
                    List.of(run(42L, 3, 0.2, metrics), run(43L, 5, 0.4, metrics)))));
    StringWriter out = new StringWriter();

    report.writeJson(out);
    JsonNode json = new ObjectMapper().readTree(out.toString());

    assertThat(json.get("protocol").asText()).isEqualTo("leave-one-out");
    assertThat(json.get("k").toString()).isEqualTo("[10,20]");
    assertThat(json.get("seeds").toString()).isEqualTo("[42,43]");
    assertThat(json.get("mrr_depth").asInt()).isEqualTo(20);
    JsonNode model = json.get("recommenders").get("model");
    assertThat(model.get("HR@20").asDouble()).isCloseTo(0.3, within(1e-12));
    assertThat(model.get("HR@20_std").asDouble()).isCloseTo(Math.sqrt(0.02), within(1e-12));
    assertThat(model.get("MRR").asDouble()).isCloseTo(0.3, within(1e-12));
    assertThat(model.get("runs").get(1).get("pass").asInt()).isEqualTo(5);
    assertThat(model.get("runs").get(1).get("seed").asLong()).isEqualTo(43);
    JsonNode popularity = json.get("recommenders").get("popularity");
    assertThat(popularity.get("NDCG@10").asDouble()).isCloseTo(0.1, within(1e-12));
    assertThat(popularity.get("NDCG@10_std").asDouble()).isZero();
    assertThat(popularity.get("runs").get(0).has("seed")).isFalse();
    assertThat(report.toTable()).contains("0.3000 ± 0.1414").contains("popularity");
  }

  private static LeaveOneOutReport.Run run(
      Long seed, Integer pass, double value, List<String> metrics) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (String name : metrics) {
      m.put(name, value);
    }
    return new LeaveOneOutReport.Run(seed, pass, new RankingScores("r", 7, m));
  }
}
