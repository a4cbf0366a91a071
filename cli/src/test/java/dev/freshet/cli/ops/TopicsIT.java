package dev.freshet.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.embedded.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code freshet topics} on a broker of its own (the topic names are fixed, so the shared test
 * broker, where other tests may create {@code clicks}, is not used): dry run, creation, idempotence
 * and mismatch reports.
 */
class TopicsIT {

  private static final Set<String> ALL =
      Set.of(
          "clicks",
          "clicks-dlq",
          "training-instances",
          "training-instances-dlq",
          "user-vectors",
          "recommendations",
          "model-params",
          "model-sync",
          "item-vectors",
          "snapshots");

  @TempDir static Path dir;
  private static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Options().dataDir(dir));
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void shouldCreateTheTopicSetOnceAndReportWhatDiffers() throws Exception {
    String b = "--bootstrap-servers=" + broker.bootstrapServers();

    OpsRun dry = OpsRun.run("topics", b, "--partitions", "3", "--dry-run");
    assertThat(dry.exitCode()).as(dry.toString()).isZero();
    assertThat(dry.out().lines().filter(l -> l.startsWith("would-create"))).hasSize(10);
    try (Admin admin = admin()) {
      assertThat(admin.listTopics().names().get()).doesNotContainAnyElementsOf(ALL);
    }

    OpsRun created =
        OpsRun.run(
            "topics",
            b,
            "--partitions",
            "3",
            "--click-retention",
            "7d",
            "--replication-factor",
            "1");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertThat(created.out().lines().filter(l -> l.startsWith("created"))).hasSize(10);
    assertThat(created.out())
        .containsPattern("created +clicks +partitions=3 +delete +retention=7d");
    try (Admin admin = admin()) {
      Map<String, TopicDescription> topics = admin.describeTopics(ALL).allTopicNames().get();
      assertThat(topics.get("clicks").partitions()).hasSize(3);
      assertThat(topics.get("recommendations").partitions()).hasSize(3);
      assertThat(topics.get("model-params").partitions()).hasSize(1);
      assertThat(topics.get("snapshots").partitions()).hasSize(1);
      assertThat(topics.get("model-sync").partitions()).hasSize(1);
      ConfigResource clicks = new ConfigResource(ConfigResource.Type.TOPIC, "clicks");
      ConfigResource params = new ConfigResource(ConfigResource.Type.TOPIC, "model-params");
      Map<ConfigResource, Config> configs =
          admin.describeConfigs(List.of(clicks, params)).all().get();
      assertThat(configs.get(clicks).get("retention.ms").value()).isEqualTo("604800000");
      assertThat(configs.get(clicks).get("cleanup.policy").value()).isEqualTo("delete");
      assertThat(configs.get(params).get("cleanup.policy").value()).isEqualTo("compact");
      ConfigResource sync = new ConfigResource(ConfigResource.Type.TOPIC, "model-sync");
      assertThat(
              admin
                  .describeConfigs(List.of(sync))
                  .all()
                  .get()
                  .get(sync)
                  .get("max.message.bytes")
                  .value())
          .as("one contribution per record, up to the trainer's 16 MiB")
          .isEqualTo("16777216");
    }

    OpsRun again = OpsRun.run("topics", b, "--partitions", "3", "--click-retention", "7d");
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.out().lines().filter(l -> l.startsWith("ok "))).hasSize(10);

    OpsRun different = OpsRun.run("topics", b, "--partitions", "5", "--replication-factor", "3");
    assertThat(different.exitCode()).as(different.toString()).isEqualTo(1);
    assertThat(different.out())
        .contains("! partitions 3 (expected 5)")
        .contains("! replication factor 1 (expected 3)")
        .contains("! retention.ms 604800000 = 7d (expected 2592000000 = 30d)");
    assertThat(different.out()).containsPattern("mismatch +model-params");
    assertThat(different.err()).contains("10 topic(s) exist with different settings");
    try (Admin admin = admin()) {
      assertThat(
              admin
                  .describeTopics(List.of("clicks"))
                  .allTopicNames()
                  .get()
                  .get("clicks")
                  .partitions())
          .as("an existing topic is never changed")
          .hasSize(3);
    }
  }

  private static Admin admin() {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
  }
}
