package dev.freshet.cli.ops;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The names a replay tag owns. Everything a replay writes is named after its tag, so a replay never
 * touches the live pipeline's application id, consumer groups, transactional id, topics or local
 * state, and deleting a tag's resources ({@link TagReset}) cannot hit anything else.
 *
 * <ul>
 *   <li>{@code clicks.TAG}: the replayed range of {@code clicks}, merged into one partition in a
 *       canonical order (the replay's input, so the range is fixed while it runs);
 *   <li>{@code training-instances.TAG}, {@code user-vectors.TAG}, {@code recommendations.TAG},
 *       {@code clicks-dlq.TAG}: the stream app's outputs;
 *   <li>{@code model-params.TAG}, {@code item-vectors.TAG}, {@code snapshots.TAG}, {@code
 *       training-instances-dlq.TAG}: the trainer's outputs;
 *   <li>application id {@code freshet-replay-TAG} (its internal topics start with it), trainer
 *       group and transactional id {@code freshet-trainer-replay-TAG}.
 * </ul>
 *
 * @param tag the version tag
 * @param stateDir where the replay keeps its local state: {@code stateDir/TAG/streams} (Kafka
 *     Streams) and {@code stateDir/TAG/trainer} (trainer checkpoints)
 */
public record ReplayPlan(String tag, Path stateDir) {

  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_]{1,64}");

  /**
   * Checks the tag: 1 to 64 letters, digits or '_'. No '-': then {@code freshet-replay-TAG-} is a
   * prefix of this tag's internal topics only, never of another tag's.
   */
  public ReplayPlan {
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(stateDir, "stateDir");
    if (!TAG.matcher(tag).matches()) {
      throw new IllegalArgumentException(
          "version tag '"
              + tag
              + "' must be 1-64 letters, digits or '_' (it becomes part of topic names and ids;"
              + " no '-' so that no tag's names are a prefix of another's)");
    }
  }

  public String clicks() {
    return "clicks." + tag;
  }

  public String trainingInstances() {
    return "training-instances." + tag;
  }

  public String userVectors() {
    return "user-vectors." + tag;
  }

  public String recommendations() {
    return "recommendations." + tag;
  }

  public String clicksDlq() {
    return "clicks-dlq." + tag;
  }

  public String instancesDlq() {
    return "training-instances-dlq." + tag;
  }

  public String modelParams() {
    return "model-params." + tag;
  }

  public String itemVectors() {
    return "item-vectors." + tag;
  }

  public String snapshots() {
    return "snapshots." + tag;
  }

  /** The replay stream app's application id; its internal topics are prefixed with it. */
  public String applicationId() {
    return "freshet-replay-" + tag;
  }

  /** The replay trainer's consumer group and transactional id. */
  public String trainerId() {
    return "freshet-trainer-replay-" + tag;
  }

  public Path streamsStateDir() {
    return stateDir.resolve(tag).resolve("streams");
  }

  public Path trainerCheckpointDir() {
    return stateDir.resolve(tag).resolve("trainer");
  }

  /** Every output topic of the tag (internal topics of the application id not included). */
  public List<String> topics() {
    return List.of(
        clicks(),
        trainingInstances(),
        userVectors(),
        recommendations(),
        clicksDlq(),
        instancesDlq(),
        modelParams(),
        itemVectors(),
        snapshots());
  }

  /** Whether {@code topic} is an internal topic (changelog, repartition) of the replay app. */
  public boolean isInternalTopic(String topic) {
    return topic.startsWith(applicationId() + "-")
        && (topic.endsWith("-changelog") || topic.endsWith("-repartition"));
  }
}
