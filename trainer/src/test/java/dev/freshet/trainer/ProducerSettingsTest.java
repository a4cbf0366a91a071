package dev.freshet.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProducerSettingsTest {

  @TempDir Path dir;

  private Map<String, Object> producerConfig(Map<String, String> extra) {
    Map<String, String> p = new HashMap<>();
    p.put(TrainerConfig.BOOTSTRAP_SERVERS, "localhost:9092");
    p.put(TrainerConfig.SCHEMA_REGISTRY_URL, "mock://producer-settings");
    p.put(TrainerConfig.CHECKPOINT_DIR, dir.toString());
    p.putAll(extra);
    try (OnlineTrainer t = new OnlineTrainer(new TrainerConfig(p))) {
      return t.producerConfig("localhost:9092");
    }
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
}
