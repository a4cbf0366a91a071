package dev.freshet.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.cli.TopicSet;
import dev.freshet.streams.ops.GroupLag;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ClusterStatusTest {

  private static final Instant AT = Instant.parse("2026-12-05T08:00:00Z");

  private static ClusterStatus.Report report(
      Optional<ClusterStatus.Snapshot> snapshot, List<String> problems) {
    TopicSet.Spec clicks = TopicSet.specs(2, -1).get(0);
    return new ClusterStatus.Report(
        AT,
        List.of(
            new TopicReconciler.Outcome(clicks, TopicReconciler.Status.OK, List.of()),
            new TopicReconciler.Outcome(
                TopicSet.specs(2, -1).get(1),
                TopicReconciler.Status.MISMATCH,
                List.of("partitions 3 (expected 2)"))),
        2,
        new GroupLag.Group(
            "freshet-stream",
            "Stable",
            2,
            List.of(new GroupLag.PartitionLag(new TopicPartition("clicks", 0), 90, 100, 10))),
        new GroupLag.Group("freshet-trainer", "Empty", 0, List.of()),
        snapshot,
        Duration.ofHours(1),
        Map.of("clicks-dlq", new TreeMap<>(Map.of("TOO_LATE", 2L, "UNDESERIALIZABLE", 1L))),
        "http://registry:8081",
        "BACKWARD",
        List.of(
            new ClusterStatus.Subject("clicks-value", 3, "FULL"),
            new ClusterStatus.Subject(
                "freshet-stream-user-history-changelog-value", 1, "BACKWARD")),
        problems);
  }

  @Test
  void shouldShowEveryPartOnOneScreenAndListTheProblemsLast() {
    String text =
        ClusterStatus.toText(
            report(
                Optional.of(new ClusterStatus.Snapshot(42, AT.minusSeconds(90))),
                List.of("trainer (group freshet-trainer): no running instance (Empty)")));

    assertThat(text)
        .contains("Topics (per-user topics as clicks: 2 partitions)")
        .containsPattern("ok +clicks\n")
        .containsPattern("MISMATCH +clicks-dlq\n +! partitions 3 \\(expected 2\\)")
        .contains("Stream app (group freshet-stream): Stable, 2 members, lag 10")
        .containsPattern("clicks\\[0\\] +committed 90 +end 100 +lag 10")
        .contains(
            "Trainer (group freshet-trainer): Empty, 0 members, lag unknown\n"
                + "  no committed offsets")
        .contains("Newest snapshot: v42, written 1 min 30 s ago")
        .contains("Dead letters in the last 1 h:")
        .containsPattern("clicks-dlq +TOO_LATE 2, UNDESERIALIZABLE 1")
        .containsPattern("  clicks-value +v3 +FULL")
        .endsWith(
            "PROBLEMS (1):\n  ! trainer (group freshet-trainer): no running instance (Empty)\n");
  }

  @Test
  void shouldSayOkWhenNothingIsWrongAndNotPrintANegativeAge() {
    ClusterStatus.Report r =
        report(Optional.of(new ClusterStatus.Snapshot(7, AT.plusMillis(300))), List.of());

    assertThat(r.healthy()).isTrue();
    assertThat(ClusterStatus.toText(r))
        .contains("Newest snapshot: v7, written while this status was taken")
        .endsWith("OK: nothing wrong found\n");
  }

  @Test
  void shouldWriteDurationsTheWayPeopleReadThem() {
    assertThat(ClusterStatus.human(Duration.ofMillis(250))).isEqualTo("250 ms");
    assertThat(ClusterStatus.human(Duration.ofMillis(2500))).isEqualTo("2.5 s");
    assertThat(ClusterStatus.human(Duration.ofMinutes(5))).isEqualTo("5 min");
    assertThat(ClusterStatus.human(Duration.ofMinutes(61))).isEqualTo("1 h 1 min");
  }
}
