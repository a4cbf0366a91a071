package dev.freshet.bench.pipeline;

import dev.freshet.embedded.kafka.EmbeddedKafkaBroker;
import dev.freshet.embedded.registry.EmbeddedSchemaRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/** A throw-away broker and registry for one harness run. */
final class BenchCluster implements AutoCloseable {

  final EmbeddedKafkaBroker broker;
  final EmbeddedSchemaRegistry registry;
  final Path dir;

  BenchCluster() throws IOException {
    dir = Files.createTempDirectory("freshet-bench-");
    broker =
        EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Options().dataDir(dir.resolve("kafka")));
    registry =
        EmbeddedSchemaRegistry.start(new EmbeddedSchemaRegistry.Options(broker.bootstrapServers()));
  }

  String bootstrap() {
    return broker.bootstrapServers();
  }

  void topic(String name, int partitions, boolean compacted) throws Exception {
    NewTopic t = new NewTopic(name, partitions, (short) 1);
    if (compacted) {
      t.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
      admin.createTopics(List.of(t)).all().get(60, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    registry.close();
    broker.close();
  }
}
