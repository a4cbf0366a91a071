package dev.freshet.trainer.internals;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.Objects;

/**
 * The trainer's figures ({@link TrainerMetrics}) as Micrometer meters with descriptions and units,
 * read at every scrape. Counts are counters ({@code _total}); latencies are gauges in seconds (the
 * p50/p99 of the trainer's own rings of recent values).
 */
public final class TrainerMeters implements MeterBinder {

  /** One scrape reads every meter within this time; they share one snapshot of the figures. */
  private static final long SNAPSHOT_REUSE_NANOS = 100_000_000L;

  private final TrainerMetrics metrics;
  private Map<String, Double> snapshot = Map.of();
  private long snapshotNanos;

  public TrainerMeters(TrainerMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @Override
  public void bindTo(MeterRegistry r) {
    counter(r, "instances", null, "freshet_trainer_instances_total", "Training instances consumed");
    counter(
        r,
        "trained.instances",
        null,
        "freshet_trainer_trained_instances_total",
        "Training instances trained on (consumed minus those skipped)");
    counter(r, "batches", null, "freshet_trainer_batches_total", "Mini-batch steps");
    counter(
        r,
        "train.time",
        "seconds",
        "freshet_trainer_train_seconds_total",
        "Time spent in training steps (not publishing)");
    counter(
        r,
        "publish.blocked.time",
        "seconds",
        "freshet_trainer_publish_blocked_seconds_total",
        "Time the training thread spent on publications (building records, waiting for the one in"
            + " flight) instead of training");
    counter(
        r,
        "publish.commit.time",
        "seconds",
        "freshet_trainer_publish_commit_seconds_total",
        "Time publications took to commit (on the publishing thread, overlapping training)");
    counter(
        r,
        "dead.letters",
        null,
        "freshet_trainer_dead_letters_total",
        "Training instances sent to the instances dead-letter topic");
    counter(
        r,
        "checkpoint.failures",
        null,
        "freshet_trainer_checkpoint_failures_total",
        "Checkpoints that could not be written");
    counter(
        r,
        "restarts",
        null,
        "freshet_trainer_restarts_total",
        "Restarts from the newest committed snapshot after an outage (registry, broker)");
    counter(
        r,
        "guardrail.rollbacks",
        null,
        "freshet_trainer_guardrail_rollbacks_total",
        "Rollbacks the guardrail published");
    counter(
        r,
        "guardrail.rollback.failures",
        null,
        "freshet_trainer_guardrail_rollback_failures_total",
        "Rollbacks the guardrail decided but could not carry out");
    counter(
        r,
        "guardrail.judged",
        null,
        "freshet_trainer_guardrail_judged_total",
        "Judged clicks the guardrail has counted");
    gauge(
        r,
        "replayed.instances",
        null,
        1,
        "freshet_trainer_replayed_instances",
        "Instances replayed at start-up to rebuild the model after the last checkpoint");
    gauge(
        r,
        "snapshot.version",
        null,
        1,
        "freshet_trainer_snapshot_version",
        "Newest model version this trainer published");
    gauge(
        r,
        "instances.applied",
        null,
        1,
        "freshet_trainer_instances_applied",
        "Instances the newest published version reflects");
    gauge(
        r,
        "consumer.lag",
        "records",
        1,
        "freshet_trainer_consumer_lag",
        "Training instances not yet consumed, over the trainer's partitions");
    gauge(
        r,
        "leader",
        null,
        1,
        "freshet_trainer_leader",
        "1 if this trainer leads its group (holds partition 0, publishes the snapshots), 0 if not,"
            + " -1 before its first assignment");
    counter(
        r,
        "contributions.out",
        null,
        "freshet_trainer_contributions_out_total",
        "Contributions of this trainer's own training committed to model-sync");
    counter(
        r,
        "contributions.in",
        null,
        "freshet_trainer_contributions_in_total",
        "Other trainers' contributions merged into this trainer's model");
    counter(
        r,
        "sync.catchups.cut",
        null,
        "freshet_trainer_sync_catchups_cut_total",
        "Steps of a trainer that does not lead taken before model-sync was read to its committed"
            + " end (sync.catchup.max.ms ran out)");
    counter(
        r,
        "sync.out",
        "bytes",
        "freshet_trainer_sync_bytes_out_total",
        "Bytes of contributions this trainer wrote to model-sync");
    counter(
        r,
        "sync.in",
        "bytes",
        "freshet_trainer_sync_bytes_in_total",
        "Bytes of other trainers' contributions merged here");
    gauge(
        r,
        "staleness.p50",
        "seconds",
        1e-3,
        "freshet_trainer_staleness_ms_p50",
        "Median time from another trainer building a contribution to its merge here (recent)");
    gauge(
        r,
        "staleness.p99",
        "seconds",
        1e-3,
        "freshet_trainer_staleness_ms_p99",
        "99th percentile of contribution built → merged here (recent)");
    gauge(r, "loss", null, 1, "freshet_trainer_loss", "Training loss of the last mini-batch");
    gauge(
        r,
        "loss.smoothed",
        null,
        1,
        "freshet_trainer_loss_smoothed",
        "Training loss per instance, exponentially weighted (0.95 per 64 instances)");
    gauge(
        r,
        "publish.p50",
        "seconds",
        1e-3,
        "freshet_trainer_publish_ms_p50",
        "Median time to publish a snapshot (recent snapshots)");
    gauge(
        r,
        "publish.p99",
        "seconds",
        1e-3,
        "freshet_trainer_publish_ms_p99",
        "99th percentile time to publish a snapshot (recent snapshots)");
    gauge(
        r,
        "freshness.p50",
        "seconds",
        1e-3,
        "freshet_trainer_freshness_ms_p50",
        "Median time from an instance produced to a snapshot with it committed");
    gauge(
        r,
        "freshness.p99",
        "seconds",
        1e-3,
        "freshet_trainer_freshness_ms_p99",
        "99th percentile time from an instance produced to a snapshot with it committed");
    gauge(
        r,
        "guardrail.last.rollback.to.version",
        null,
        1,
        "freshet_trainer_guardrail_last_rollback_to_version",
        "Version the last rollback went back to (-1: none)");
    gauge(
        r,
        "guardrail.newest.recall",
        null,
        1,
        "freshet_trainer_guardrail_newest_recall",
        "Live prequential recall of the newest block of judged clicks");
    gauge(
        r,
        "guardrail.best.recall",
        null,
        1,
        "freshet_trainer_guardrail_best_recall",
        "Best live prequential recall of the recent blocks the guardrail compares against");
  }

  private void counter(MeterRegistry r, String name, String unit, String key, String help) {
    FunctionCounter.builder("freshet.trainer." + name, metrics, m -> value(key, 1))
        .description(help)
        .baseUnit(unit)
        .register(r);
  }

  private void gauge(
      MeterRegistry r, String name, String unit, double scale, String key, String help) {
    Gauge.builder("freshet.trainer." + name, metrics, m -> value(key, scale))
        .description(help)
        .baseUnit(unit)
        .register(r);
  }

  /**
   * The figure {@code key} times {@code scale}. A snapshot sorts the latency rings, so the meters
   * of one scrape share one instead of taking one each.
   */
  private synchronized double value(String key, double scale) {
    long now = System.nanoTime();
    if (snapshot.isEmpty() || now - snapshotNanos > SNAPSHOT_REUSE_NANOS) {
      snapshot = metrics.snapshot();
      snapshotNanos = now;
    }
    Double v = snapshot.get(key);
    return v == null ? Double.NaN : v * scale;
  }
}
