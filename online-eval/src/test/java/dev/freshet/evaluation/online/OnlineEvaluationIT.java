package dev.freshet.evaluation.online;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.data.ClickEvent;
import dev.freshet.data.synth.SyntheticClickGenerator;
import dev.freshet.data.synth.SyntheticConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnlineEvaluationIT {

  @TempDir Path dir;

  @Test
  void shouldReplayAGeneratedLogInLockstepAndJudgeEveryClickButTheFirstOfEachUser()
      throws Exception {
    List<ClickEvent> clicks =
        new SyntheticClickGenerator(
                SyntheticConfig.builder()
                    .users(40)
                    .initialItems(80)
                    .meanClicksPerUser(15)
                    .days(3)
                    .seed(7)
                    .build())
            .stream().toList();
    long users = clicks.stream().map(ClickEvent::userId).distinct().count();
    OnlineEvaluation.Settings settings =
        new OnlineEvaluation.Settings(
            dir.resolve("run"), 10, 7, 0.3, 10, 100, 32, 1, Duration.ofMinutes(2), 1, false);

    OnlineReport report =
        OnlineEvaluation.run(clicks, "synthetic", settings, new PrintStream(System.out, true));

    assertThat(report.recommenders())
        .extracting(OnlineReport.Row::name)
        .containsExactly("online", "frozen", "popularity", "co-occurrence");
    assertThat(report.clicks()).isEqualTo(clicks.size());
    assertThat(report.deadLettered()).isZero();
    assertThat(report.accepted()).isEqualTo(clicks.size());
    assertThat(report.notJudged()).isEqualTo(users);
    assertThat(report.judged()).isEqualTo(clicks.size() - users);
    assertThat(report.judgementMismatches()).isZero();
    assertThat(report.frozenVersion()).isGreaterThanOrEqualTo(2);
    for (String name : List.of("online", "popularity", "co-occurrence")) {
      OnlineReport.Score all = report.row(name).all();
      assertThat(all.judged()).as(name).isEqualTo(clicks.size() - users);
      assertThat(all.hitRatio()).as(name).isBetween(0.0, 1.0);
      assertThat(all.ndcg()).as(name).isBetween(0.0, all.hitRatio());
    }
    long paired = report.row("online").paired().judged();
    assertThat(paired).isPositive();
    for (OnlineReport.Row r : report.recommenders()) {
      assertThat(r.paired().judged()).as(r.name()).isEqualTo(paired);
      assertThat(r.paired().hitRatio()).as(r.name()).isBetween(0.0, 1.0);
      assertThat(r.paired().ndcg()).as(r.name()).isBetween(0.0, 1.0);
    }
    assertThat(report.row("frozen").all()).isNull();
    assertThat(report.toJson()).contains("\"co-occurrence\"");
    assertThat(report.toText()).contains("frozen");
  }
}
