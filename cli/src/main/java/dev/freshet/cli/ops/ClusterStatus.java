package dev.freshet.cli.ops;

import dev.freshet.cli.TopicSet;
import dev.freshet.registry.SchemaRegistryClient;
import dev.freshet.serde.DeadLetterHeaders;
import dev.freshet.streams.ops.CommittedReader;
import dev.freshet.streams.ops.GroupLag;
import dev.freshet.streams.ops.GroupLag.Group;
import dev.freshet.streams.ops.GroupLag.PartitionLag;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;

/**
 * One look at a running Freshet for {@code freshet status}: the topic set against the expected one,
 * the stream app's and the trainer's consumer groups with their lag per partition, the newest
 * snapshot and its age, dead letters by reason over a recent window, and the schema registry's
 * subjects with their compatibility. {@link Report#problems()} lists what is wrong; an empty list
 * means healthy.
 *
 * <p>What counts as wrong: a topic of the set missing or with other settings; a group without a
 * running member; no snapshot at all; a trainer with lag whose newest snapshot is older than {@link
 * Settings#maxSnapshotAge()} (stalled); a hanging transaction ({@link HangingTransactions}); a
 * registry that cannot be read. Dead letters and lag alone are reported, not judged: bad input is
 * the producer's fault, and lag is normal under load.
 *
 * <p>Reads only: a consumer without a group ({@code read_committed}) and the Admin API; it commits
 * and creates nothing.
 */
public final class ClusterStatus {

  /**
   * What to look at.
   *
   * @param streamAppId the stream app's {@code application.id} (its consumer group)
   * @param trainerGroup the trainer's {@code group.id}
   * @param maxSnapshotAge a trainer with lag and no snapshot for this long is stalled
   * @param dlqWindow how far back dead letters are counted
   */
  public record Settings(
      String streamAppId, String trainerGroup, Duration maxSnapshotAge, Duration dlqWindow) {
    public Settings {
      Objects.requireNonNull(streamAppId, "streamAppId");
      Objects.requireNonNull(trainerGroup, "trainerGroup");
      Objects.requireNonNull(maxSnapshotAge, "maxSnapshotAge");
      Objects.requireNonNull(dlqWindow, "dlqWindow");
    }
  }

  /** The newest snapshot manifest on {@code snapshots}: its version and when it was written. */
  public record Snapshot(long version, Instant writtenAt) {}

  /** A registry subject's newest version and its compatibility level. */
  public record Subject(String name, int version, String compatibility) {}

  /**
   * Everything found.
   *
   * @param at when the look was taken
   * @param topics each topic of the set against what it should be
   * @param userPartitions partitions of {@code clicks}, the reference for per-user topics
   * @param streamApp the stream app's group
   * @param trainer the trainer's group
   * @param snapshot the newest snapshot, if any
   * @param dlqWindow how far back dead letters were counted
   * @param deadLetters per dead-letter topic, count by reason over the window
   * @param registryUrl the registry looked at, or null when none was given
   * @param globalCompatibility the registry's global level (null without a registry or on error)
   * @param subjects the registry's subjects (empty without a registry)
   * @param problems what is wrong, one line each
   */
  public record Report(
      Instant at,
      List<TopicReconciler.Outcome> topics,
      int userPartitions,
      Group streamApp,
      Group trainer,
      Optional<Snapshot> snapshot,
      Duration dlqWindow,
      Map<String, Map<String, Long>> deadLetters,
      String registryUrl,
      String globalCompatibility,
      List<Subject> subjects,
      List<String> problems) {

    /** True when nothing is wrong. */
    public boolean healthy() {
      return problems.isEmpty();
    }
  }

  private static final long TIMEOUT_S = 30;
  private static final Duration TIMEOUT = Duration.ofSeconds(TIMEOUT_S);
  private static final Duration HANGING_CONFIRM_AFTER = Duration.ofSeconds(2);
  private static final List<String> DLQ_TOPICS = List.of("clicks-dlq", "training-instances-dlq");

  private ClusterStatus() {}

  /**
   * Looks at the cluster.
   *
   * @param admin an Admin client of the cluster
   * @param consumerConfig bootstrap servers and client settings for a reading consumer
   * @param registry the registry client, or null to skip the registry
   * @param registryUrl the registry's URL as given (for the report), or null
   * @param settings what to look at
   * @param now the time the age of the snapshot and the dead-letter window are measured from
   */
  public static Report inspect(
      Admin admin,
      Map<String, Object> consumerConfig,
      SchemaRegistryClient registry,
      String registryUrl,
      Settings settings,
      Instant now) {
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(now, "now");
    List<String> problems = new ArrayList<>();
    try {
      // The expected set, with the partition count and click retention that clicks has now.
      Set<String> names = admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS);
      int userPartitions = 1;
      long clickRetention = -1;
      if (names.contains("clicks")) {
        TopicDescription clicks =
            admin
                .describeTopics(List.of("clicks"))
                .allTopicNames()
                .get(TIMEOUT_S, TimeUnit.SECONDS)
                .get("clicks");
        userPartitions = clicks.partitions().size();
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, "clicks");
        var config =
            admin.describeConfigs(List.of(r)).all().get(TIMEOUT_S, TimeUnit.SECONDS).get(r);
        var retention = config.get(TopicConfig.RETENTION_MS_CONFIG);
        if (retention != null && retention.value() != null) {
          clickRetention = Long.parseLong(retention.value());
        }
      }
      List<TopicReconciler.Outcome> topics =
          TopicReconciler.reconcile(
              admin, TopicSet.specs(userPartitions, clickRetention), (short) -1, true);
      for (TopicReconciler.Outcome o : topics) {
        if (o.status() == TopicReconciler.Status.WOULD_CREATE) {
          problems.add("topic " + o.spec().name() + " is missing (freshet topics creates it)");
        } else if (o.status() == TopicReconciler.Status.MISMATCH) {
          problems.add(
              "topic " + o.spec().name() + " differs: " + String.join("; ", o.differences()));
        }
      }

      Group streamApp = GroupLag.of(admin, consumerConfig, settings.streamAppId(), TIMEOUT);
      Group trainer = GroupLag.of(admin, consumerConfig, settings.trainerGroup(), TIMEOUT);
      if (streamApp.members() == 0) {
        problems.add(
            "stream app (group "
                + streamApp.id()
                + "): no running instance ("
                + streamApp.state()
                + ")");
      }
      if (trainer.members() == 0) {
        problems.add(
            "trainer (group " + trainer.id() + "): no running instance (" + trainer.state() + ")");
      }

      Optional<Snapshot> snapshot =
          names.contains("snapshots") ? newestSnapshot(consumerConfig) : Optional.empty();
      if (snapshot.isEmpty()) {
        problems.add("no snapshot published yet (topic snapshots is empty)");
      } else {
        Duration age = Duration.between(snapshot.get().writtenAt(), now);
        if (trainer.lag() > 0 && age.compareTo(settings.maxSnapshotAge()) > 0) {
          problems.add(
              "trainer stalled: "
                  + trainer.lag()
                  + " instances waiting, newest snapshot v"
                  + snapshot.get().version()
                  + " is "
                  + human(age)
                  + " old");
        }
      }

      Map<String, Map<String, Long>> deadLetters = new TreeMap<>();
      for (String dlq : DLQ_TOPICS) {
        if (names.contains(dlq)) {
          deadLetters.put(
              dlq,
              deadLetters(consumerConfig, dlq, now.minus(settings.dlqWindow()).toEpochMilli()));
        }
      }

      // An open transaction no coordinator will end stops read_committed readers for good.
      for (HangingTransactions.Hanging h : HangingTransactions.find(admin, HANGING_CONFIRM_AFTER)) {
        problems.add(
            "hanging transaction on "
                + h.partition()
                + " from offset "
                + h.startOffset()
                + " ("
                + h.reason()
                + "): read_committed readers stop there; freshet transactions --abort-hanging"
                + " aborts it");
      }

      String global = null;
      List<Subject> subjects = new ArrayList<>();
      if (registry != null) {
        try {
          global = registry.getGlobalCompatibility().name();
          for (String subject : registry.listSubjects().stream().sorted().toList()) {
            subjects.add(
                new Subject(
                    subject,
                    registry.getLatestSchemaMetadata(subject).version(),
                    registry.getCompatibility(subject).name()));
          }
        } catch (RuntimeException e) {
          problems.add("schema registry " + registryUrl + " cannot be read: " + e.getMessage());
        }
      }
      return new Report(
          now,
          topics,
          userPartitions,
          streamApp,
          trainer,
          snapshot,
          settings.dlqWindow(),
          deadLetters,
          registryUrl,
          global,
          List.copyOf(subjects),
          List.copyOf(problems));
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot inspect the cluster: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted inspecting the cluster", e);
    }
  }

  /** The snapshot with the highest version among the last records of {@code snapshots}. */
  private static Optional<Snapshot> newestSnapshot(Map<String, Object> config) {
    try (KafkaConsumer<byte[], byte[]> c = CommittedReader.open(config)) {
      List<TopicPartition> parts =
          c.partitionsFor("snapshots").stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      c.assign(parts);
      Map<TopicPartition, Long> begin = c.beginningOffsets(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      // A transactional topic ends with commit markers: read a little before its end.
      for (TopicPartition tp : parts) {
        c.seek(tp, Math.max(begin.get(tp), end.get(tp) - 32));
      }
      Snapshot newest = null;
      for (ConsumerRecord<byte[], byte[]> r : CommittedReader.readTo(c, end, TIMEOUT)) {
        if (r.key() == null || r.value() == null) {
          continue;
        }
        long version;
        try {
          version = Long.parseLong(new String(r.key(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
          continue; // not a manifest key: nothing to say about it here
        }
        if (newest == null || version > newest.version()) {
          newest = new Snapshot(version, Instant.ofEpochMilli(r.timestamp()));
        }
      }
      return Optional.ofNullable(newest);
    }
  }

  /** Dead letters of {@code topic} written at or after {@code fromMillis}, by reason. */
  private static Map<String, Long> deadLetters(
      Map<String, Object> config, String topic, long fromMillis) {
    Map<String, Long> byReason = new TreeMap<>();
    try (KafkaConsumer<byte[], byte[]> c = CommittedReader.open(config)) {
      List<TopicPartition> parts =
          c.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      c.assign(parts);
      Map<TopicPartition, Long> query = new HashMap<>();
      parts.forEach(tp -> query.put(tp, fromMillis));
      Map<TopicPartition, OffsetAndTimestamp> from = c.offsetsForTimes(query);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      for (TopicPartition tp : parts) {
        OffsetAndTimestamp o = from.get(tp);
        c.seek(tp, o == null ? end.get(tp) : o.offset());
      }
      for (ConsumerRecord<byte[], byte[]> r : CommittedReader.readTo(c, end, TIMEOUT)) {
        Header reason = r.headers().lastHeader(DeadLetterHeaders.REASON);
        String key =
            reason == null
                ? "(no reason header)"
                : new String(reason.value(), StandardCharsets.UTF_8);
        byReason.merge(key, 1L, Long::sum);
      }
    }
    return byReason;
  }

  /** The report as one screen of text. */
  public static String toText(Report r) {
    StringBuilder sb = new StringBuilder();
    sb.append("Freshet status at ").append(r.at()).append('\n');
    sb.append('\n')
        .append("Topics (per-user topics as clicks: ")
        .append(r.userPartitions())
        .append(" partitions)\n");
    for (TopicReconciler.Outcome o : r.topics()) {
      String status =
          switch (o.status()) {
            case OK -> "ok";
            case MISMATCH -> "MISMATCH";
            case WOULD_CREATE, CREATED -> "MISSING";
          };
      sb.append(String.format(Locale.ROOT, "  %-9s %s%n", status, o.spec().name()));
      for (String d : o.differences()) {
        sb.append("            ! ").append(d).append('\n');
      }
    }
    appendGroup(sb, "Stream app", r.streamApp());
    appendGroup(sb, "Trainer", r.trainer());
    sb.append('\n');
    if (r.snapshot().isPresent()) {
      Snapshot s = r.snapshot().get();
      Duration age = Duration.between(s.writtenAt(), r.at());
      sb.append(
          String.format(
              Locale.ROOT,
              "Newest snapshot: v%d, written %s (%s)%n",
              s.version(),
              age.isNegative() ? "while this status was taken" : human(age) + " ago",
              s.writtenAt()));
    } else {
      sb.append("Newest snapshot: none\n");
    }
    sb.append('\n').append("Dead letters in the last ").append(human(r.dlqWindow())).append(":\n");
    if (r.deadLetters().isEmpty()) {
      sb.append("  (no dead-letter topics)\n");
    }
    r.deadLetters()
        .forEach(
            (topic, counts) -> {
              sb.append(String.format(Locale.ROOT, "  %-24s", topic));
              if (counts.isEmpty()) {
                sb.append("none");
              } else {
                List<String> parts = new ArrayList<>();
                counts.forEach((reason, n) -> parts.add(reason + " " + n));
                sb.append(String.join(", ", parts));
              }
              sb.append('\n');
            });
    sb.append('\n');
    if (r.registryUrl() == null) {
      sb.append("Schema registry: not checked (--registry URL)\n");
    } else {
      sb.append("Schema registry ")
          .append(r.registryUrl())
          .append(": global compatibility ")
          .append(r.globalCompatibility() == null ? "?" : r.globalCompatibility())
          .append('\n');
      int width = r.subjects().stream().mapToInt(s -> s.name().length()).max().orElse(0);
      for (Subject s : r.subjects()) {
        sb.append(
            String.format(
                Locale.ROOT,
                "  %-" + width + "s  v%-4d %s%n",
                s.name(),
                s.version(),
                s.compatibility()));
      }
    }
    sb.append('\n');
    if (r.healthy()) {
      sb.append("OK: nothing wrong found\n");
    } else {
      sb.append("PROBLEMS (").append(r.problems().size()).append("):\n");
      r.problems().forEach(p -> sb.append("  ! ").append(p).append('\n'));
    }
    return sb.toString();
  }

  private static void appendGroup(StringBuilder sb, String role, Group g) {
    sb.append('\n')
        .append(
            String.format(
                Locale.ROOT,
                "%s (group %s): %s, %d member%s, lag %s%n",
                role,
                g.id(),
                g.state(),
                g.members(),
                g.members() == 1 ? "" : "s",
                // Nothing committed is not caught up: the lag is not known until the first commit.
                g.partitions().isEmpty() ? "unknown" : Long.toString(g.lag())));
    if (g.partitions().isEmpty()) {
      sb.append("  no committed offsets\n");
    }
    for (PartitionLag p : g.partitions()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-40s committed %-8s end %-8d lag %d%n",
              p.partition().topic() + "[" + p.partition().partition() + "]",
              p.committed() < 0 ? "-" : Long.toString(p.committed()),
              p.end(),
              p.lag()));
    }
  }

  static String human(Duration d) {
    long ms = Math.max(0, d.toMillis());
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    if (ms < 3_600_000) {
      long s = (ms % 60_000) / 1000;
      return ms / 60_000 + " min" + (s == 0 ? "" : " " + s + " s");
    }
    long min = (ms % 3_600_000) / 60_000;
    return ms / 3_600_000 + " h" + (min == 0 ? "" : " " + min + " min");
  }
}
