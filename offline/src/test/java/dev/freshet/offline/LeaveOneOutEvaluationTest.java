package dev.freshet.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.data.ClickedItem;
import dev.freshet.data.UserSequence;
import dev.freshet.data.eval.LeaveOneOutReport;
import dev.freshet.data.eval.RankingEvaluator;
import dev.freshet.model.ModelConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LeaveOneOutEvaluationTest {

  private static final ModelConfig TINY =
      ModelConfig.builder()
          .userDim(4)
          .provinceDim(2)
          .cityDim(2)
          .phoneDim(2)
          .itemDim(7)
          .categoryDim(2)
          .tagDim(4)
          .lstmHidden(8)
          .hiddenDim(16)
          .userVectorDim(7)
          .maxWindow(5)
          .featAppearLimit(2)
          .sparseLearningRate(0.1)
          .denseLearningRate(0.01)
          .seed(5)
          .build();

  /** Users walking a ring of 20 items one or two steps at a time. */
  private static List<UserSequence> chains() {
    Random random = new Random(3);
    List<UserSequence> users = new ArrayList<>();
    for (int u = 0; u < 60; u++) {
      List<ClickedItem> clicks = new ArrayList<>();
      int item = random.nextInt(20);
      for (int i = 0; i < 5 + random.nextInt(4); i++) {
        clicks.add(new ClickedItem("i" + item, "c" + item % 4, List.of("t" + item % 3)));
        item = (item + 1 + random.nextInt(2)) % 20;
      }
      users.add(new UserSequence("u" + u, null, null, null, clicks));
    }
    return users;
  }

  private static LeaveOneOutEvaluation.Trained run(StringWriter out, int seeds, int patience)
      throws IOException {
    LeaveOneOutEvaluation evaluation =
        new LeaveOneOutEvaluation(
            new RankingEvaluator(List.of(5, 10), false),
            new PrintWriter(out, true),
            new PrintWriter(new StringWriter(), true));
    return evaluation.withTraining(
        chains(), new LeaveOneOutEvaluation.Training(TINY, 3, 32, seeds, true, patience));
  }

  @Test
  void shouldGiveTheSameScoresAndChosenPassForTheSameSeed() throws IOException {
    LeaveOneOutReport first = run(new StringWriter(), 1, 0).report();
    LeaveOneOutReport second = run(new StringWriter(), 1, 0).report();

    assertThat(first.seeds()).containsExactly(5L);
    assertThat(second.entry("model").runs()).isEqualTo(first.entry("model").runs());
    assertThat(first.entry("model").passes())
        .singleElement()
        .satisfies(p -> assertThat(p).isBetween(1, 3));
  }

  @Test
  void shouldRunOneModelPerSeedAndScoreTheBaselinesOnce() throws IOException {
    StringWriter out = new StringWriter();

    LeaveOneOutEvaluation.Trained trained = run(out, 2, 1);

    LeaveOneOutReport report = trained.report();
    assertThat(report.seeds()).containsExactly(5L, 6L);
    assertThat(report.entries())
        .extracting(LeaveOneOutReport.Entry::key)
        .containsExactly("popularity", "co-occurrence", "session-knn", "model");
    assertThat(report.entry("model").runs()).hasSize(2);
    assertThat(report.entry("session-knn").runs()).hasSize(1);
    assertThat(report.testEvents()).isEqualTo(60);
    assertThat(trained.lastModel().config().seed()).isEqualTo(6L);
    assertThat(out.toString()).contains("validation HR@5").contains("chosen pass: ");
  }
}
