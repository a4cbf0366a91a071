package dev.freshet.system;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The settings the system tests start a stream-app or trainer process with: every topic named
 * through {@code topic} (a test's prefix, or none), state and checkpoints under the test's folder.
 */
final class ProcessSettings {

  private ProcessSettings() {}

  /**
   * A stream-app instance {@code name} of application {@code appId}, its query server on {@code
   * port} named as its {@code application.server} (-1: no server), reading {@code clicks} from the
   * start.
   */
  static Map<String, String> streamApp(
      String bootstrap,
      String registryUrl,
      String appId,
      String name,
      int port,
      UnaryOperator<String> topic,
      Path dir) {
    Map<String, String> c = new HashMap<>();
    c.put("bootstrap.servers", bootstrap);
    c.put("schema.registry.url", registryUrl);
    c.put("application.id", appId);
    c.put("client.id", appId + "-" + name);
    c.put("state.dir", dir.resolve("state-" + name).toString());
    c.put("topic.clicks", topic.apply("clicks"));
    c.put("topic.clicks.dlq", topic.apply("clicks-dlq"));
    c.put("topic.training.instances", topic.apply("training-instances"));
    c.put("topic.user.vectors", topic.apply("user-vectors"));
    c.put("topic.recommendations", topic.apply("recommendations"));
    c.put("topic.model.params", topic.apply("model-params"));
    c.put("http.port", Integer.toString(port));
    if (port > 0) {
      c.put("application.server", "127.0.0.1:" + port);
    }
    c.put("consumer.auto.offset.reset", "earliest");
    return c;
  }

  /**
   * A trainer of the {@link SmallModel} for windows of {@code window} clicks, group and
   * transactional id {@code id}, publishing every 500 ms, checkpointing every 5 s.
   */
  static Map<String, String> trainer(
      String bootstrap,
      String registryUrl,
      String id,
      int window,
      UnaryOperator<String> topic,
      Path dir) {
    Map<String, String> c = new HashMap<>(SmallModel.settings(window));
    c.put("bootstrap.servers", bootstrap);
    c.put("schema.registry.url", registryUrl);
    c.put("group.id", id);
    c.put("transactional.id", id);
    c.put("topic.training.instances", topic.apply("training-instances"));
    c.put("topic.training.instances.dlq", topic.apply("training-instances-dlq"));
    c.put("topic.model.params", topic.apply("model-params"));
    c.put("topic.item.vectors", topic.apply("item-vectors"));
    c.put("topic.snapshots", topic.apply("snapshots"));
    c.put("batch.size", "32");
    c.put("batch.max.wait.ms", "50");
    c.put("publish.interval.ms", "500");
    c.put("checkpoint.dir", dir.resolve("checkpoints").toString());
    c.put("checkpoint.interval.ms", "5000");
    return c;
  }
}
