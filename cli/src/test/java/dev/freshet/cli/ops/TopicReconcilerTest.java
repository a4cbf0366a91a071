package dev.freshet.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.cli.TopicSet;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

class TopicReconcilerTest {

  private static final Node NODE = new Node(1, "127.0.0.1", 9092);
  private final TopicSet.Spec clicks =
      new TopicSet.Spec("clicks", 4, false, 2_592_000_000L, "clicks");
  private final TopicSet.Spec params = new TopicSet.Spec("model-params", 1, true, -1, "params");

  @Test
  void shouldFindNoDifferenceWhenTheTopicMatches() {
    assertThat(
            TopicReconciler.differences(
                clicks, topic("clicks", 4, 1), config("delete", "2592000000"), (short) 1))
        .isEmpty();
    assertThat(
            TopicReconciler.differences(
                params, topic("model-params", 1, 3), config("compact", "604800000"), (short) -1))
        .as("retention does not matter for compacted topics; rf -1 is not checked")
        .isEmpty();
  }

  @Test
  void shouldReportEveryDifferentSetting() {
    List<String> diffs =
        TopicReconciler.differences(
            clicks, topic("clicks", 2, 1), config("compact", "604800000"), (short) 3);
    assertThat(diffs)
        .containsExactly(
            "partitions 2 (expected 4)",
            "replication factor 1 (expected 3)",
            "cleanup.policy compact (expected delete)",
            "retention.ms 604800000 = 7d (expected 2592000000 = 30d)");
  }

  @Test
  void shouldPrintRetentionsForPeople() {
    assertThat(TopicReconciler.human(-1)).isEqualTo("forever");
    assertThat(TopicReconciler.human(86_400_000L * 30)).isEqualTo("30d");
    assertThat(TopicReconciler.human(3_600_000L * 5)).isEqualTo("5h");
    assertThat(TopicReconciler.human(1500)).isEqualTo("1500ms");
  }

  private static TopicDescription topic(String name, int partitions, int replicas) {
    List<TopicPartitionInfo> infos = new ArrayList<>();
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      nodes.add(new Node(i + 1, "127.0.0.1", 9092 + i));
    }
    for (int p = 0; p < partitions; p++) {
      infos.add(new TopicPartitionInfo(p, NODE, nodes, nodes));
    }
    return new TopicDescription(name, false, infos);
  }

  private static Config config(String policy, String retention) {
    return new Config(
        List.of(
            new ConfigEntry("cleanup.policy", policy), new ConfigEntry("retention.ms", retention)));
  }
}
