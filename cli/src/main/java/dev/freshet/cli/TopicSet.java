package dev.freshet.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Freshet's topics with their partitioning and cleanup policies, in one place: the demo, {@code
 * freshet broker --create-topics} and {@code freshet topics} create them from here.
 *
 * <p>Per-user topics share one partition count, so everything keyed by user is co-partitioned with
 * {@code clicks}. The parameter log and the snapshot manifests have one partition (a total order);
 * parameter topics are compacted (the newest value per key is the model).
 */
public final class TopicSet {

  /**
   * One topic.
   *
   * @param name topic name
   * @param partitions partition count
   * @param compacted cleanup.policy=compact (else delete)
   * @param retentionMs retention for delete topics; -1 keeps everything
   * @param purpose who writes it and what it holds
   */
  public record Spec(
      String name, int partitions, boolean compacted, long retentionMs, String purpose) {}

  private static final long DAY = TimeUnit.DAYS.toMillis(1);

  /** The trainers' contributions: one record per contribution, up to the trainer's 16 MiB. */
  static final String MODEL_SYNC = "model-sync";

  private static final int LARGE_RECORDS = 16 * 1024 * 1024;

  private TopicSet() {}

  /** The full set for {@code userPartitions} partitions of per-user topics. */
  public static List<Spec> specs(int userPartitions, long clickRetentionMs) {
    if (userPartitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, was " + userPartitions);
    }
    List<Spec> s = new ArrayList<>();
    s.add(
        new Spec(
            "clicks",
            userPartitions,
            false,
            clickRetentionMs,
            "producers → stream app: ClickEvent by user id; retained for replays"));
    s.add(
        new Spec(
            "clicks-dlq",
            userPartitions,
            false,
            30 * DAY,
            "stream app: clicks it could not use, original bytes, reason in headers"));
    s.add(
        new Spec(
            "training-instances",
            userPartitions,
            false,
            7 * DAY,
            "stream app → trainer: TrainingInstance per click"));
    s.add(
        new Spec(
            "training-instances-dlq", 1, false, 30 * DAY, "trainer: instances it could not use"));
    s.add(
        new Spec(
            "user-vectors",
            userPartitions,
            true,
            -1,
            "stream app: the newest UserVector per user"));
    s.add(
        new Spec(
            "recommendations",
            userPartitions,
            false,
            7 * DAY,
            "stream app: Recommendations (top-N) per click"));
    s.add(
        new Spec(
            "model-params", 1, true, -1, "trainer → stream app: the parameter log (ModelUpdate)"));
    s.add(
        new Spec(
            "item-vectors", userPartitions, true, -1, "trainer: ItemVector [b_i, w_i] by item id"));
    s.add(new Spec("snapshots", 1, true, -1, "trainer: SnapshotManifest of every version"));
    s.add(
        new Spec(
            MODEL_SYNC,
            1,
            false,
            7 * DAY,
            "trainers → trainers: ModelContribution, the deltas of each trainer's own training"));
    return s;
  }

  /** Creates the missing topics of {@code specs}; returns the names it created. */
  public static List<String> create(String bootstrapServers, List<Spec> specs) {
    return create(bootstrapServers, specs, (short) -1);
  }

  /**
   * Creates the missing topics of {@code specs} with {@code replicationFactor} replicas (-1: the
   * broker's {@code default.replication.factor}); returns the names it created.
   */
  public static List<String> create(
      String bootstrapServers, List<Spec> specs, short replicationFactor) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      return create(admin, specs, replicationFactor);
    }
  }

  /** As {@link #create(String, List, short)} with the caller's admin client. */
  public static List<String> create(Admin admin, List<Spec> specs, short replicationFactor) {
    if (replicationFactor < 1 && replicationFactor != -1) {
      throw new IllegalArgumentException(
          "replication factor must be >= 1 (or -1 for the broker default), was "
              + replicationFactor);
    }
    try {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> todo = new ArrayList<>();
      for (Spec spec : specs) {
        if (!existing.contains(spec.name())) {
          todo.add(
              new NewTopic(spec.name(), spec.partitions(), replicationFactor)
                  .configs(configs(spec)));
        }
      }
      admin.createTopics(todo).all().get(60, TimeUnit.SECONDS);
      return todo.stream().map(NewTopic::name).toList();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create topics: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topics", e);
    }
  }

  /**
   * The topic configuration a spec stands for: {@code cleanup.policy}, and {@code retention.ms} for
   * delete topics.
   */
  public static Map<String, String> configs(Spec spec) {
    Map<String, String> conf = new HashMap<>();
    conf.put(
        TopicConfig.CLEANUP_POLICY_CONFIG,
        spec.compacted() ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE);
    if (!spec.compacted()) {
      conf.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(spec.retentionMs()));
    }
    if (spec.name().equals(MODEL_SYNC)) {
      conf.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(LARGE_RECORDS));
    }
    return conf;
  }
}
