package dev.freshet.trainer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class SyncLogConfigTest {

  @Test
  void shouldLeaveTheReceiveBufferToTheOperatingSystemUnlessConfiguredOtherwise() {
    // The training thread reads model-sync without waiting; with Kafka's 64 KiB receive buffer a
    // contribution of several MB arrived 64 KiB per training-loop turn, seconds late.
    Map<String, Object> c = SyncLog.consumerConfig("localhost:9092", Map.of());
    assertThat(c).containsEntry(ConsumerConfig.RECEIVE_BUFFER_CONFIG, -1);
    assertThat(c).containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");

    Map<String, Object> set =
        SyncLog.consumerConfig(
            "localhost:9092", Map.of(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 1 << 20));
    assertThat(set).containsEntry(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 1 << 20);
  }

  @Test
  void shouldHoldFetchesShortlySoThatAskingForTheCommittedEndDoesNotWaitBehindOne() {
    // The broker answers a connection's requests in order: with Kafka's 500 ms fetch.max.wait.ms,
    // a follower's request for the committed end before each step waited behind a held fetch.
    assertThat(SyncLog.consumerConfig("localhost:9092", Map.of()))
        .containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
    assertThat(
            SyncLog.consumerConfig(
                "localhost:9092", Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100)))
        .containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
  }

  @Test
  void shouldNeverLetTheConfigurationReadUncommittedContributions() {
    Map<String, Object> c =
        SyncLog.consumerConfig(
            "localhost:9092",
            Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_uncommitted",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                true));
    assertThat(c).containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    assertThat(c).containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
  }
}
