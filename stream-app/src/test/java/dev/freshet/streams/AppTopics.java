package dev.freshet.streams;

import dev.freshet.testkit.KafkaCluster;

/** The stream app's topics under a test's prefix, created the same way by every IT that runs it. */
final class AppTopics {
  private AppTopics() {}

  /** {@code prefix-name}: a topic of the app under the test's prefix. */
  static String name(String prefix, String name) {
    return prefix + "-" + name;
  }

  /**
   * Creates clicks, clicks-dlq, training-instances, user-vectors, recommendations, model-params.
   */
  static void create(KafkaCluster kafka, String prefix) {
    kafka.createTopic(name(prefix, "clicks"), 2, false);
    kafka.createTopic(name(prefix, "clicks-dlq"), 1, false);
    kafka.createTopic(name(prefix, "training-instances"), 2, false);
    kafka.createTopic(name(prefix, "user-vectors"), 2, true);
    kafka.createTopic(name(prefix, "recommendations"), 2, false);
    kafka.createTopic(name(prefix, "model-params"), 1, true);
  }
}
