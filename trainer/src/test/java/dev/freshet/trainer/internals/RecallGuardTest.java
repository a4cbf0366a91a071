package dev.freshet.trainer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecallGuardTest {

  private static final RecallGuard.Settings SETTINGS =
      new RecallGuard.Settings(100, 0.3, 2.0, 3, 60_000);

  /** Records {@code judged} clicks of {@code version} of which {@code hits} were hits. */
  private static void judge(RecallGuard g, long version, int judged, int hits) {
    for (int i = 0; i < judged; i++) {
      g.record(version, i < hits);
    }
  }

  @Test
  void shouldRollBackToTheNewestVersionOfTheBestRecentBlockWhenTheNewestBlockDropsClearly() {
    RecallGuard g = new RecallGuard(SETTINGS);
    judge(g, 2, 100, 20);
    judge(g, 3, 60, 30);
    judge(g, 4, 40, 20); // block v3..v4: 50 / 100
    judge(g, 5, 100, 40);
    judge(g, 6, 100, 10); // newest block: 10 / 100

    Optional<RecallGuard.Decision> d = g.check(0);

    assertThat(d).isPresent();
    assertThat(d.get().toVersion()).isEqualTo(4);
    assertThat(d.get().best()).isEqualTo(new RecallGuard.Block(3, 4, 100, 50));
    assertThat(d.get().newest()).isEqualTo(new RecallGuard.Block(6, 6, 100, 10));
    assertThat(d.get().z()).isGreaterThan(2.0);
  }

  @Test
  void shouldNotDecideBeforeTwoBlocksHaveMinJudgedClicks() {
    RecallGuard g = new RecallGuard(SETTINGS);
    judge(g, 1, 100, 60);
    judge(g, 2, 99, 0);
    assertThat(g.check(0)).isEmpty();
    judge(g, 2, 1, 0);
    assertThat(g.check(0)).isPresent();
  }

  @Test
  void shouldNotRollBackWhenTheDropIsWithinTheMargin() {
    RecallGuard g = new RecallGuard(new RecallGuard.Settings(1000, 0.3, 0, 3, 0));
    judge(g, 1, 1000, 500);
    judge(g, 2, 1000, 360); // 28% below
    assertThat(g.check(0)).isEmpty();
    judge(g, 3, 1000, 340); // 32% below the best
    assertThat(g.check(0)).map(RecallGuard.Decision::toVersion).contains(1L);
  }

  @Test
  void shouldNotRollBackOnADropThatIsNotSignificant() {
    // 6/20 vs 2/20 is a 67% drop, but z is about 1.6
    RecallGuard g = new RecallGuard(new RecallGuard.Settings(20, 0.3, 2.0, 3, 0));
    judge(g, 1, 20, 6);
    judge(g, 2, 20, 2);
    assertThat(g.check(0)).isEmpty();
    RecallGuard loose = new RecallGuard(new RecallGuard.Settings(20, 0.3, 0, 3, 0));
    judge(loose, 1, 20, 6);
    judge(loose, 2, 20, 2);
    assertThat(loose.check(0)).isPresent();
  }

  @Test
  void shouldIgnorePopularityListsAndCountOnlyTheLastLookbackBlocks() {
    RecallGuard g = new RecallGuard(new RecallGuard.Settings(100, 0.3, 2.0, 2, 0));
    judge(g, -1, 500, 500);
    judge(g, 1, 100, 90); // beyond the look-back of 2 blocks once 3 newer blocks exist
    judge(g, 2, 100, 30);
    judge(g, 3, 100, 30);
    judge(g, 4, 100, 25);
    assertThat(g.check(0)).isEmpty();
    assertThat(g.lastBlocks()).hasSize(3);
    assertThat(g.ignored()).isEqualTo(500);
  }

  @Test
  void shouldHoldOffAfterARollbackAndCountOnlyTheNewLineage() {
    RecallGuard g = new RecallGuard(SETTINGS);
    judge(g, 1, 100, 50);
    judge(g, 2, 100, 5);
    assertThat(g.check(1_000)).map(RecallGuard.Decision::toVersion).contains(1L);
    g.rolledBack(3, 1_000);

    judge(g, 2, 500, 0); // late judgements of the abandoned version
    judge(g, 3, 100, 50);
    judge(g, 4, 100, 5);
    assertThat(g.check(60_999)).as("held off").isEmpty();
    assertThat(g.check(61_000)).map(RecallGuard.Decision::toVersion).contains(3L);
    assertThat(g.ignored()).isEqualTo(500);
  }

  @Test
  void shouldHoldOffAfterAFailedRollbackAndKeepCounting() {
    RecallGuard g = new RecallGuard(SETTINGS);
    judge(g, 1, 100, 50);
    judge(g, 2, 100, 5);
    assertThat(g.check(0)).isPresent();
    g.failed(0);
    assertThat(g.check(59_999)).isEmpty();
    assertThat(g.check(60_000)).isPresent();
  }

  @Test
  void shouldResumeAfterTheNewestRollbackOfARestartedTrainer() {
    RecallGuard g = new RecallGuard(SETTINGS);
    g.resume(7, 5_000);
    judge(g, 6, 100, 100);
    judge(g, 7, 100, 50);
    judge(g, 8, 100, 5);
    assertThat(g.check(4_999)).isEmpty();
    assertThat(g.check(5_000)).map(RecallGuard.Decision::toVersion).contains(7L);
  }

  @Test
  void shouldRejectSettingsOutOfRange() {
    assertThatThrownBy(() -> new RecallGuard.Settings(0, 0.3, 2, 3, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minJudged");
    assertThatThrownBy(() -> new RecallGuard.Settings(1, 1.5, 2, 3, 0))
        .hasMessageContaining("margin");
    assertThatThrownBy(() -> new RecallGuard.Settings(1, 0.3, Double.NaN, 3, 0))
        .hasMessageContaining("minZ");
    assertThatThrownBy(() -> new RecallGuard.Settings(1, 0.3, 2, 0, 0))
        .hasMessageContaining("lookbackBlocks");
    assertThatThrownBy(() -> new RecallGuard.Settings(1, 0.3, 2, 3, -1))
        .hasMessageContaining("holdoffMillis");
  }
}
