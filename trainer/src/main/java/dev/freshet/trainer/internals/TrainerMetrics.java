package dev.freshet.trainer.internals;

import dev.freshet.avro.SnapshotManifest;
import dev.freshet.model.TrainStats;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainer's live figures, written by the training thread and read by others (the metrics
 * endpoint, the demo's dashboard). Latencies are kept in fixed rings of the most recent values.
 */
public final class TrainerMetrics {

  private static final int RING = 4096;

  /**
   * Per trained instance, the weight the smoothed loss keeps on what came before: 0.95 per 64
   * instances, so the newest ~1,250 instances (the time constant) dominate it.
   */
  static final double LOSS_DECAY_PER_INSTANCE = Math.pow(0.95, 1.0 / 64);

  private long instances;
  private long trainedInstances;
  private long batches;
  private long deadLetters;
  private long checkpointFailures;
  private long restarts;
  private long replayedInstances;
  private long version = -1;
  private long instancesApplied;
  private long lag;
  private long rollbacks;
  private long rollbackFailures;
  private long lastRollbackVersion = -1;
  private long guardJudged;
  private double guardNewestRecall = Double.NaN;
  private double guardBestRecall = Double.NaN;
  private double lastLoss = Double.NaN;
  // Instance-weighted exponential moving average of the loss, bias-corrected: lossEma / lossWeight
  // is a weighted mean of the batches seen so far, so it starts at the first batch's loss (not at
  // 0) and a batch of one instance counts as one instance, not as a whole batch.
  private double lossEma;
  private double lossWeight;
  private long trainNanos;
  private long publishBlockedNanos;
  private long publishCommitNanos;
  private final long startNanos = System.nanoTime();
  private final Ring publishMillis = new Ring();
  private final Ring freshnessMillis = new Ring();
  private final Ring stalenessMillis = new Ring();
  private long contributionsOut;
  private long contributionsIn;
  private long catchUpsCut;
  private long syncBytesOut;
  private long syncBytesIn;
  private long leader = -1;

  /** After recovery. */
  public synchronized void recovered(long version, long instancesApplied, long replayed) {
    this.version = version;
    this.instancesApplied = instancesApplied;
    this.replayedInstances = replayed;
  }

  /** After a mini-batch step. */
  public synchronized void batch(int size, TrainStats stats, long nanos) {
    instances += size;
    trainedInstances += stats.trained();
    batches++;
    trainNanos += nanos;
    if (stats.trained() > 0 && Double.isFinite(stats.loss())) {
      lastLoss = stats.loss();
      double keep = Math.pow(LOSS_DECAY_PER_INSTANCE, stats.trained());
      lossEma = keep * lossEma + (1 - keep) * lastLoss;
      lossWeight = keep * lossWeight + (1 - keep);
    }
  }

  /**
   * Time the training thread spent on a publication: draining the changes, building and serializing
   * the records, handing them to the producer, and waiting for an earlier publication still in
   * flight.
   */
  public synchronized void publishBlocked(long nanos) {
    publishBlockedNanos += nanos;
  }

  /** Time one publication's transaction took to commit (flush, offsets, end of transaction). */
  public synchronized void publishCommitted(long nanos) {
    publishCommitNanos += nanos;
  }

  /**
   * After a snapshot was committed.
   *
   * @param producedAt record timestamps of the instances it reflects
   * @param committedAt wall-clock commit time
   */
  public synchronized void published(
      SnapshotManifest manifest, long nanos, List<Long> producedAt, long committedAt) {
    version = manifest.getVersion();
    instancesApplied = manifest.getInstancesApplied();
    publishMillis.add(nanos / 1e6);
    for (long t : producedAt) {
      freshnessMillis.add(committedAt - t);
    }
  }

  public synchronized void deadLetter() {
    deadLetters++;
  }

  public synchronized void checkpointFailed() {
    checkpointFailures++;
  }

  /** After an outage made the trainer restart from its newest committed snapshot. */
  public synchronized void restarted() {
    restarts++;
  }

  /** After the guardrail looked: judged clicks counted, newest and best recent block recall. */
  public synchronized void guardrail(long judged, double newestRecall, double bestRecall) {
    this.guardJudged = judged;
    this.guardNewestRecall = newestRecall;
    this.guardBestRecall = bestRecall;
  }

  /** After the guardrail published {@code manifest}, a rollback. */
  public synchronized void rolledBack(SnapshotManifest manifest) {
    rollbacks++;
    lastRollbackVersion = manifest.getRolledBackFrom() == null ? -1 : manifest.getRolledBackFrom();
    version = manifest.getVersion();
    instancesApplied = manifest.getInstancesApplied();
  }

  /** After a rollback the guardrail decided could not be carried out. */
  public synchronized void rollbackFailed() {
    rollbackFailures++;
  }

  /** Rollbacks the guardrail published. */
  public synchronized long rollbacks() {
    return rollbacks;
  }

  /** A contribution of this trainer's own training was committed ({@code bytes} serialized). */
  public synchronized void contributed(long bytes) {
    contributionsOut++;
    syncBytesOut += bytes;
  }

  /**
   * Another trainer's contribution, {@code bytes} long and built {@code ageMillis} ago, reached
   * this trainer's model.
   */
  public synchronized void merged(long bytes, long ageMillis) {
    contributionsIn++;
    syncBytesIn += bytes;
    stalenessMillis.add(Math.max(0, ageMillis));
  }

  /**
   * A trainer that does not lead stopped waiting for {@code model-sync} before a step: the step
   * went ahead without some contributions already committed.
   */
  public synchronized void catchUpCut() {
    catchUpsCut++;
  }

  /** Whether this trainer leads (publishes the snapshots) since its last assignment. */
  public synchronized void leader(boolean leads) {
    this.leader = leads ? 1 : 0;
  }

  /** The {@code p}-th percentile (0..100) of contribution built → merged here, in ms. */
  public synchronized double stalenessPercentile(double p) {
    return stalenessMillis.percentile(p);
  }

  public synchronized void lag(long lag) {
    this.lag = lag;
  }

  public synchronized long version() {
    return version;
  }

  public synchronized long instancesApplied() {
    return instancesApplied;
  }

  /**
   * Mean training loss per instance, exponentially weighted by instance (0.95 per 64 instances) and
   * bias-corrected: the first batch's loss at first, NaN before any instance was trained.
   */
  public synchronized double smoothedLoss() {
    return smoothedLossNow();
  }

  /** The {@code p}-th percentile (0..100) of instance-produced → snapshot-committed, in ms. */
  public synchronized double freshnessPercentile(double p) {
    return freshnessMillis.percentile(p);
  }

  private double smoothedLossNow() {
    return lossWeight > 0 ? lossEma / lossWeight : Double.NaN;
  }

  /** Every figure by Prometheus-style name. */
  public synchronized Map<String, Double> snapshot() {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("freshet_trainer_instances_total", (double) instances);
    m.put("freshet_trainer_trained_instances_total", (double) trainedInstances);
    m.put("freshet_trainer_batches_total", (double) batches);
    m.put("freshet_trainer_instances_per_second", seconds > 0 ? instances / seconds : 0);
    m.put("freshet_trainer_train_seconds_total", trainNanos / 1e9);
    m.put("freshet_trainer_publish_blocked_seconds_total", publishBlockedNanos / 1e9);
    m.put("freshet_trainer_publish_commit_seconds_total", publishCommitNanos / 1e9);
    m.put("freshet_trainer_dead_letters_total", (double) deadLetters);
    m.put("freshet_trainer_checkpoint_failures_total", (double) checkpointFailures);
    m.put("freshet_trainer_restarts_total", (double) restarts);
    m.put("freshet_trainer_replayed_instances", (double) replayedInstances);
    m.put("freshet_trainer_snapshot_version", (double) version);
    m.put("freshet_trainer_instances_applied", (double) instancesApplied);
    m.put("freshet_trainer_consumer_lag", (double) lag);
    m.put("freshet_trainer_loss", lastLoss);
    m.put("freshet_trainer_loss_smoothed", smoothedLossNow());
    m.put("freshet_trainer_publish_ms_p50", publishMillis.percentile(50));
    m.put("freshet_trainer_publish_ms_p99", publishMillis.percentile(99));
    m.put("freshet_trainer_freshness_ms_p50", freshnessMillis.percentile(50));
    m.put("freshet_trainer_freshness_ms_p99", freshnessMillis.percentile(99));
    m.put("freshet_trainer_leader", (double) leader);
    m.put("freshet_trainer_contributions_out_total", (double) contributionsOut);
    m.put("freshet_trainer_contributions_in_total", (double) contributionsIn);
    m.put("freshet_trainer_sync_catchups_cut_total", (double) catchUpsCut);
    m.put("freshet_trainer_sync_bytes_out_total", (double) syncBytesOut);
    m.put("freshet_trainer_sync_bytes_in_total", (double) syncBytesIn);
    m.put("freshet_trainer_staleness_ms_p50", stalenessMillis.percentile(50));
    m.put("freshet_trainer_staleness_ms_p99", stalenessMillis.percentile(99));
    m.put("freshet_trainer_guardrail_rollbacks_total", (double) rollbacks);
    m.put("freshet_trainer_guardrail_rollback_failures_total", (double) rollbackFailures);
    m.put("freshet_trainer_guardrail_last_rollback_to_version", (double) lastRollbackVersion);
    m.put("freshet_trainer_guardrail_judged_total", (double) guardJudged);
    m.put("freshet_trainer_guardrail_newest_recall", guardNewestRecall);
    m.put("freshet_trainer_guardrail_best_recall", guardBestRecall);
    return m;
  }

  private static final class Ring {
    private final double[] values = new double[RING];
    private int size;
    private int next;

    void add(double v) {
      values[next] = v;
      next = (next + 1) % RING;
      size = Math.min(size + 1, RING);
    }

    double percentile(double p) {
      if (size == 0) {
        return Double.NaN;
      }
      double[] copy = Arrays.copyOf(values, size);
      Arrays.sort(copy);
      int idx = (int) Math.ceil(p / 100.0 * size) - 1;
      return copy[Math.max(0, Math.min(size - 1, idx))];
    }
  }
}
