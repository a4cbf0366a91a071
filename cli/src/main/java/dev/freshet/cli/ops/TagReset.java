package dev.freshet.cli.ops;

import dev.freshet.streams.FreshetTopology;
import dev.freshet.streams.StreamAppConfig;
import dev.freshet.streams.serving.ServingModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The Kafka Streams reset of one replay tag, done in the order the Streams application reset tool
 * prescribes, and limited to what the tag owns ({@link ReplayPlan}):
 *
 * <ol>
 *   <li>every instance stopped: the replay app's and the replay trainer's consumer groups must have
 *       no members, or nothing is touched;
 *   <li>the groups deleted (committed offsets gone, so the next run starts from its input's
 *       beginning);
 *   <li>the tag's topics and the application id's internal topics (changelog, repartition) deleted,
 *       waiting until the cluster no longer lists them;
 *   <li>local state removed: {@link KafkaStreams#cleanUp()} for the replay's application id and
 *       state directory (the only place Freshet calls it), and the replay trainer's checkpoints.
 * </ol>
 */
public final class TagReset {

  private static final long TIMEOUT_S = 30;

  private final Admin admin;
  private final ReplayPlan plan;

  public TagReset(Admin admin, ReplayPlan plan) {
    this.admin = admin;
    this.plan = plan;
  }

  /** What the tag holds on the cluster and on disk; empty when the tag was never run. */
  public List<String> existing() {
    List<String> found = new ArrayList<>();
    for (String topic : topics()) {
      found.add("topic " + topic);
    }
    for (String group : groups()) {
      found.add("consumer group " + group);
    }
    if (Files.isDirectory(plan.stateDir().resolve(plan.tag()))) {
      found.add("local state " + plan.stateDir().resolve(plan.tag()));
    }
    return found;
  }

  /**
   * Resets the tag as described in the class comment; returns what it removed.
   *
   * @throws IllegalStateException if an instance of the tag still runs (nothing is changed then)
   */
  public List<String> reset(StreamAppConfig streamsConfig) {
    List<String> groups = groups();
    if (!groups.isEmpty()) {
      Map<String, ConsumerGroupDescription> described =
          get(admin.describeConsumerGroups(groups).all());
      for (ConsumerGroupDescription d : described.values()) {
        if (!d.members().isEmpty()) {
          throw new IllegalStateException(
              "consumer group "
                  + d.groupId()
                  + " has "
                  + d.members().size()
                  + " active member(s): stop every instance of replay '"
                  + plan.tag()
                  + "' before resetting it");
        }
      }
      get(admin.deleteConsumerGroups(groups).all());
    }
    List<String> removed = new ArrayList<>();
    groups.forEach(g -> removed.add("consumer group " + g));
    List<String> topics = topics();
    if (!topics.isEmpty()) {
      get(admin.deleteTopics(topics).all());
      awaitDeleted(Set.copyOf(topics));
      topics.forEach(t -> removed.add("topic " + t));
    }
    Path local = plan.stateDir().resolve(plan.tag());
    if (Files.isDirectory(local)) {
      try (ServingModel model =
              new ServingModel(streamsConfig.getInt(StreamAppConfig.INDEX_EXACT_THRESHOLD));
          KafkaStreams streams =
              new KafkaStreams(
                  FreshetTopology.build(streamsConfig, model), streamsConfig.streamsProperties())) {
        streams.cleanUp();
      }
      deleteRecursively(plan.trainerCheckpointDir());
      deleteRecursively(local);
      removed.add("local state " + local);
    }
    return removed;
  }

  /** The tag's topics and its application id's internal topics that exist. */
  List<String> topics() {
    Set<String> all = get(admin.listTopics().names());
    Set<String> own = Set.copyOf(plan.topics());
    return all.stream().filter(t -> own.contains(t) || plan.isInternalTopic(t)).sorted().toList();
  }

  /** The tag's consumer groups that exist. */
  List<String> groups() {
    Set<String> own = Set.of(plan.applicationId(), plan.trainerId());
    return get(admin.listGroups(new ListGroupsOptions()).all()).stream()
        .map(GroupListing::groupId)
        .filter(own::contains)
        .sorted()
        .toList();
  }

  private void awaitDeleted(Set<String> topics) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      Set<String> all = get(admin.listTopics().names());
      if (topics.stream().noneMatch(all::contains)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topics still listed 60 s after deletion: " + topics);
      }
      pause(Duration.ofMillis(200));
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  /** The interval between polls of a deadline-bounded wait (e.g. for deleted topics to vanish). */
  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
    try {
      return future.get(TIMEOUT_S, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the cluster did not answer within " + TIMEOUT_S + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
