package dev.freshet.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientSettingsTest {

  @TempDir Path dir;

  private OnlineTrainer trainer(Map<String, String> extra) {
    Map<String, String> p = new HashMap<>();
    p.put(TrainerConfig.BOOTSTRAP_SERVERS, "localhost:9092");
    p.put(TrainerConfig.SCHEMA_REGISTRY_URL, "mock://producer-settings");
    p.put(TrainerConfig.CHECKPOINT_DIR, dir.toString());
    p.putAll(extra);
    return new OnlineTrainer(new TrainerConfig(p));
  }

  private Map<String, Object> producerConfig(Map<String, String> extra) {
    try (OnlineTrainer t = trainer(extra)) {
      return t.producerConfig("localhost:9092");
    }
  }

  private Map<String, Object> consumerConfig(Map<String, String> extra) {
    try (OnlineTrainer t = trainer(extra)) {
      return t.consumerConfig("localhost:9092");
    }
  }

  @Test
  void shouldNoticeAKilledTrainerWithinSecondsUnlessConfiguredOtherwise() {
    Map<String, Object> c = consumerConfig(Map.of());

    assertThat(c.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)).isEqualTo(6_000);
    assertThat(c.get(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG)).isEqualTo(1_500);
    assertThat(c.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).isEqualTo("read_committed");

    Map<String, Object> set =
        consumerConfig(
            Map.of(
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000",
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000"));
    assertThat(set.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)).isEqualTo("10000");
    assertThat(set.get(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG)).isEqualTo("3000");
  }

  @Test
  void shouldUseTheTrainersTunablesByDefault() {
    Map<String, Object> c = producerConfig(Map.of());

    assertThat(c.get(ProducerConfig.COMPRESSION_TYPE_CONFIG)).isEqualTo("lz4");
    assertThat(c.get(ProducerConfig.LINGER_MS_CONFIG)).isEqualTo(5);
    assertThat(c.get(ProducerConfig.ACKS_CONFIG)).isEqualTo("all");
    assertThat(c.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isEqualTo(true);
  }

  @Test
  void shouldLetTheConfigurationSetTheTunablesButNeverTheTransactionalGuarantees() {
    Map<String, Object> c =
        producerConfig(
            Map.of(
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "none",
                ProducerConfig.LINGER_MS_CONFIG, "20",
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false"));

    assertThat(c.get(ProducerConfig.COMPRESSION_TYPE_CONFIG)).isEqualTo("none");
    assertThat(c.get(ProducerConfig.LINGER_MS_CONFIG)).isEqualTo("20");
    assertThat(c.get(ProducerConfig.ACKS_CONFIG)).isEqualTo("all");
    assertThat(c.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isEqualTo(true);
  }

  @Test
  void shouldSendSnapshotsInLargeBatchesUnlessConfiguredOtherwise() {
    assertThat(producerConfig(Map.of()).get(ProducerConfig.BATCH_SIZE_CONFIG))
        .isEqualTo(1024 * 1024);
    // batch.size is the trainer's own key (the mini-batch), so the producer's takes the prefix
    Map<String, Object> c =
        producerConfig(Map.of(TrainerConfig.BATCH_SIZE, "64", "producer.batch.size", "32768"));
    assertThat(c.get(ProducerConfig.BATCH_SIZE_CONFIG)).isEqualTo("32768");
    assertThat(c).doesNotContainKey("producer.batch.size");
  }

  @Test
  void shouldGivePrefixedSettingsToOneKindOfClientOnly() {
    Map<String, String> set =
        Map.of(
            "producer.linger.ms", "50",
            "consumer.fetch.max.wait.ms", "20",
            "producer.transactional.id", "not-mine",
            "client.dns.lookup", "use_all_dns_ips");
    Map<String, Object> producer = producerConfig(set);
    Map<String, Object> consumer = consumerConfig(set);

    assertThat(producer.get(ProducerConfig.LINGER_MS_CONFIG)).isEqualTo("50");
    assertThat(producer).doesNotContainKeys(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG);
    assertThat(producer.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG)).isNotEqualTo("not-mine");
    assertThat(consumer.get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)).isEqualTo("20");
    assertThat(consumer).doesNotContainKeys(ProducerConfig.LINGER_MS_CONFIG);
    assertThat(producer.get("client.dns.lookup")).isEqualTo("use_all_dns_ips");
    assertThat(consumer.get("client.dns.lookup")).isEqualTo("use_all_dns_ips");
    assertThat(
            producer.keySet().stream()
                .filter(k -> k.startsWith("consumer.") || k.startsWith("producer.")))
        .isEmpty();
  }
}
