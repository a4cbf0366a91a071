package dev.freshet.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReplayPlanTest {

  private final ReplayPlan plan = new ReplayPlan("v2", Path.of("/tmp/r"));

  @Test
  void shouldNameEverythingAfterTheTag() {
    assertThat(plan.topics())
        .containsExactly(
            "clicks.v2",
            "training-instances.v2",
            "user-vectors.v2",
            "recommendations.v2",
            "clicks-dlq.v2",
            "training-instances-dlq.v2",
            "model-params.v2",
            "item-vectors.v2",
            "snapshots.v2");
    assertThat(plan.applicationId()).isEqualTo("freshet-replay-v2");
    assertThat(plan.trainerId()).isEqualTo("freshet-trainer-replay-v2");
    assertThat(plan.streamsStateDir()).isEqualTo(Path.of("/tmp/r/v2/streams"));
    assertThat(plan.trainerCheckpointDir()).isEqualTo(Path.of("/tmp/r/v2/trainer"));
  }

  @Test
  void shouldRecogniseOnlyItsOwnInternalTopics() {
    assertThat(plan.isInternalTopic("freshet-replay-v2-user-history-changelog")).isTrue();
    assertThat(plan.isInternalTopic("freshet-replay-v2-clicks-by-user-repartition")).isTrue();
    assertThat(plan.isInternalTopic("freshet-replay-v2_b-user-history-changelog")).isFalse();
    assertThat(plan.isInternalTopic("freshet-stream-user-history-changelog")).isFalse();
    assertThat(plan.isInternalTopic("freshet-replay-v2-notes")).isFalse();
    assertThat(plan.isInternalTopic("recommendations.v2")).isFalse();
  }

  @Test
  void shouldRejectTagsThatCouldCollide() {
    for (String bad : new String[] {"", "v-2", "v.2", "a b", "x".repeat(65)}) {
      assertThatThrownBy(() -> new ReplayPlan(bad, Path.of("/tmp")))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("letters, digits or '_'");
    }
  }
}
