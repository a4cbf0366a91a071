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

  private static List<ClickEvent> log(int users, int clicksPerUser) {
    return new SyntheticClickGenerator(
            SyntheticConfig.builder()
                .users(users)
                .initialItems(80)
                .meanClicksPerUser(clicksPerUser)
                .days(3)
                .seed(7)
                .build())
        .stream().toList();
  }

  @Test
  void shouldReplayAGeneratedLogInLockstepAndJudgeEveryClickButTheFirstOfEachUser()
      throws Exception {
    List<ClickEvent> clicks = log(40, 15);
    long users = clicks.stream().map(ClickEvent::userId).distinct().count();
    OnlineEvaluation.Settings settings =
        new OnlineEvaluation.Settings(
            dir.resolve("run"), 10, 7, 0.3, 10, 100, 32, 1, Duration.ofMinutes(2), 1, false, 0);

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

  @Test
  void shouldReplayWithTwoTrainersTakingTurnsByPartitionAndStillJudgeEveryClick() throws Exception {
    List<ClickEvent> clicks = log(30, 8);
    long users = clicks.stream().map(ClickEvent::userId).distinct().count();
    // Both partitions must have users, or the turns would be a single trainer's.
    assertThat(clicks.stream().map(c -> SerialSegments.partition(c.userId(), 2)).distinct())
        .containsExactlyInAnyOrder(0, 1);
    OnlineEvaluation.Settings settings =
        new OnlineEvaluation.Settings(
            dir.resolve("serial"), 10, 7, 0.3, 10, 80, 32, 1, Duration.ofMinutes(2), 2, false, 2);

    OnlineReport report =
        OnlineEvaluation.run(clicks, "synthetic", settings, new PrintStream(System.out, true));

    assertThat(report.accepted()).isEqualTo(clicks.size());
    assertThat(report.deadLettered()).isZero();
    assertThat(report.judgementMismatches()).isZero();
    assertThat(report.row("online").all().judged()).isEqualTo(clicks.size() - users);
    assertThat(report.row("online").all().hitRatio()).isBetween(0.0, 1.0);
  }
}
