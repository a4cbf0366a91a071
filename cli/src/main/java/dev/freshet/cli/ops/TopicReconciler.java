package dev.freshet.cli.ops;

import dev.freshet.cli.TopicSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Compares a {@link TopicSet} with what a cluster holds and creates what is missing. Existing
 * topics are never changed: a different partition count would break co-partitioning with {@code
 * clicks} (and Kafka cannot shrink a topic), and a changed cleanup policy changes what the topic
 * means, so those are reported for the operator to decide.
 */
public final class TopicReconciler {

  /** What was found or done for one topic. */
  public enum Status {
    CREATED,
    WOULD_CREATE,
    OK,
    MISMATCH
  }

  /**
   * One topic's outcome.
   *
   * @param spec what it should be
   * @param status what was found or done
   * @param differences for {@link Status#MISMATCH}: "setting: actual (expected ...)" items
   */
  public record Outcome(TopicSet.Spec spec, Status status, List<String> differences) {
    public Outcome {
      Objects.requireNonNull(spec, "spec");
      Objects.requireNonNull(status, "status");
      differences = List.copyOf(differences);
    }
  }

  private static final long TIMEOUT_S = 30;

  private TopicReconciler() {}

  /**
   * Reconciles {@code specs} with the cluster behind {@code admin}.
   *
   * @param replicationFactor expected replicas per partition; -1 = the broker default (not checked)
   * @param dryRun report only, create nothing
   */
  public static List<Outcome> reconcile(
      Admin admin, List<TopicSet.Spec> specs, short replicationFactor, boolean dryRun) {
    try {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS);
      List<String> present =
          specs.stream().map(TopicSet.Spec::name).filter(existing::contains).toList();
      Map<String, TopicDescription> descriptions =
          admin.describeTopics(present).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS);
      List<ConfigResource> resources =
          present.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
      Map<ConfigResource, Config> configs =
          admin.describeConfigs(resources).all().get(TIMEOUT_S, TimeUnit.SECONDS);
      List<Outcome> outcomes = new ArrayList<>();
      List<TopicSet.Spec> missing = new ArrayList<>();
      for (TopicSet.Spec spec : specs) {
        if (!existing.contains(spec.name())) {
          missing.add(spec);
          continue;
        }
        List<String> diffs =
            differences(
                spec,
                descriptions.get(spec.name()),
                configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name())),
                replicationFactor);
        outcomes.add(new Outcome(spec, diffs.isEmpty() ? Status.OK : Status.MISMATCH, diffs));
      }
      if (!dryRun && !missing.isEmpty()) {
        TopicSet.create(admin, missing, replicationFactor);
      }
      for (TopicSet.Spec spec : missing) {
        outcomes.add(new Outcome(spec, dryRun ? Status.WOULD_CREATE : Status.CREATED, List.of()));
      }
      outcomes.sort(
          (a, b) ->
              Integer.compare(indexOf(specs, a.spec().name()), indexOf(specs, b.spec().name())));
      return outcomes;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot inspect topics: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted inspecting topics", e);
    }
  }

  /** The differences between a spec and an existing topic; empty if it matches. */
  static List<String> differences(
      TopicSet.Spec spec, TopicDescription actual, Config config, short replicationFactor) {
    List<String> diffs = new ArrayList<>();
    int partitions = actual.partitions().size();
    if (partitions != spec.partitions()) {
      diffs.add("partitions " + partitions + " (expected " + spec.partitions() + ")");
    }
    if (replicationFactor > 0) {
      int replicas = actual.partitions().get(0).replicas().size();
      if (replicas != replicationFactor) {
        diffs.add("replication factor " + replicas + " (expected " + replicationFactor + ")");
      }
    }
    Map<String, String> expected = TopicSet.configs(spec);
    String policy = value(config, TopicConfig.CLEANUP_POLICY_CONFIG);
    String wantPolicy = expected.get(TopicConfig.CLEANUP_POLICY_CONFIG);
    if (!Set.of(policy.split(",")).equals(Set.of(wantPolicy.split(",")))) {
      diffs.add("cleanup.policy " + policy + " (expected " + wantPolicy + ")");
    }
    String wantRetention = expected.get(TopicConfig.RETENTION_MS_CONFIG);
    if (wantRetention != null) {
      String retention = value(config, TopicConfig.RETENTION_MS_CONFIG);
      if (!retention.equals(wantRetention)) {
        diffs.add(
            "retention.ms "
                + retention
                + " = "
                + human(Long.parseLong(retention))
                + " (expected "
                + wantRetention
                + " = "
                + human(Long.parseLong(wantRetention))
                + ")");
      }
    }
    return diffs;
  }

  /** {@code 30d}, {@code 12h}, {@code forever}, ... */
  public static String human(long millis) {
    if (millis < 0) {
      return "forever";
    }
    Duration d = Duration.ofMillis(millis);
    if (millis % TimeUnit.DAYS.toMillis(1) == 0) {
      return d.toDays() + "d";
    }
    if (millis % TimeUnit.HOURS.toMillis(1) == 0) {
      return d.toHours() + "h";
    }
    if (millis % TimeUnit.MINUTES.toMillis(1) == 0) {
      return d.toMinutes() + "m";
    }
    return millis + "ms";
  }

  private static String value(Config config, String key) {
    var entry = config == null ? null : config.get(key);
    return entry == null || entry.value() == null ? "" : entry.value();
  }

  private static int indexOf(Collection<TopicSet.Spec> specs, String name) {
    int i = 0;
    for (TopicSet.Spec s : specs) {
      if (s.name().equals(name)) {
        return i;
      }
      i++;
    }
    return i;
  }
}
