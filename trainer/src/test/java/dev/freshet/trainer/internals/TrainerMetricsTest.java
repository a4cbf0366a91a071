package dev.freshet.trainer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.freshet.model.TrainStats;
import org.junit.jupiter.api.Test;

class TrainerMetricsTest {

  @Test
  void shouldHaveNoSmoothedLossBeforeTheFirstTrainedInstance() {
    TrainerMetrics m = new TrainerMetrics();
    m.batch(64, new TrainStats(Double.NaN, 0, 64), 1);

    assertThat(m.smoothedLoss()).isNaN();
    assertThat(m.snapshot().get("freshet_trainer_loss_smoothed")).isNaN();
  }

  @Test
  void shouldStartTheSmoothedLossAtTheFirstBatchsLossNotAtZero() {
    TrainerMetrics m = new TrainerMetrics();
    m.batch(64, new TrainStats(7.0, 64, 0), 1);

    assertThat(m.smoothedLoss()).isCloseTo(7.0, within(1e-12));
  }

  @Test
  void shouldWeighBatchesByTheirTrainedInstances() {
    TrainerMetrics m = new TrainerMetrics();
    // A fresh run: the first instance has a one-item catalogue and a loss of 0.
    m.batch(1, new TrainStats(0.0, 1, 0), 1);
    m.batch(64, new TrainStats(7.0, 64, 0), 1);

    // The single instance weighs about 1/65 of the mean, not half of it.
    assertThat(m.smoothedLoss()).isGreaterThan(6.85).isLessThan(7.0);
  }

  @Test
  void shouldFollowALevelShiftWithinAFewThousandInstances() {
    TrainerMetrics m = new TrainerMetrics();
    for (int i = 0; i < 100; i++) {
      m.batch(64, new TrainStats(5.0, 64, 0), 1);
    }
    for (int i = 0; i < 60; i++) {
      m.batch(64, new TrainStats(3.0, 64, 0), 1);
    }

    // Each 64-instance batch keeps 0.95 of what came before; the weights are normalised.
    double oldWeight = Math.pow(0.95, 60) * (1 - Math.pow(0.95, 100));
    double newWeight = 1 - Math.pow(0.95, 60);
    double expected = (5.0 * oldWeight + 3.0 * newWeight) / (oldWeight + newWeight);
    assertThat(m.smoothedLoss()).isCloseTo(expected, within(1e-9)).isLessThan(3.1);
  }

  @Test
  void shouldCountSyncTrafficAndTheStalenessOfMergedContributions() {
    TrainerMetrics m = new TrainerMetrics();
    assertThat(m.snapshot().get("freshet_trainer_leader")).isEqualTo(-1.0);
    m.leader(false);
    m.contributed(1_000);
    m.contributed(500);
    for (int age = 1; age <= 100; age++) {
      m.merged(10, age);
    }
    m.merged(10, -5); // a clock step back is no negative age

    var s = m.snapshot();
    assertThat(s.get("freshet_trainer_leader")).isZero();
    assertThat(s.get("freshet_trainer_contributions_out_total")).isEqualTo(2.0);
    assertThat(s.get("freshet_trainer_sync_bytes_out_total")).isEqualTo(1_500.0);
    assertThat(s.get("freshet_trainer_contributions_in_total")).isEqualTo(101.0);
    assertThat(s.get("freshet_trainer_sync_bytes_in_total")).isEqualTo(1_010.0);
    assertThat(s.get("freshet_trainer_staleness_ms_p50")).isEqualTo(50.0);
    assertThat(s.get("freshet_trainer_staleness_ms_p99")).isEqualTo(99.0);
  }
}
