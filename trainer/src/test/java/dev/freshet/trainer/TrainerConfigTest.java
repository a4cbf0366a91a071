package dev.freshet.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class TrainerConfigTest {

  private static final Map<String, String> BASE =
      Map.of("bootstrap.servers", "localhost:9092", "schema.registry.url", "mock://x");

  @Test
  void shouldReadModelSettingsFromModelPrefixedKeys() {
    Map<String, String> p = new java.util.HashMap<>(BASE);
    p.put("model.featAppearLimit", "3");
    p.put("model.loss", "sampled_softmax");
    TrainerConfig c = new TrainerConfig(p);
    assertThat(c.modelConfig().featAppearLimit()).isEqualTo(3);
    assertThat(c.modelConfig().loss().name()).isEqualTo("SAMPLED_SOFTMAX");
    assertThat(c.getInt(TrainerConfig.BATCH_SIZE)).isEqualTo(256);
  }

  @Test
  void shouldFailFastNamingABadOrUnknownModelSetting() {
    Map<String, String> p = new java.util.HashMap<>(BASE);
    p.put("model.colour", "red");
    assertThatThrownBy(() -> new TrainerConfig(p))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("colour");
    p.remove("model.colour");
    p.put("model.numNegatives", "few");
    assertThatThrownBy(() -> new TrainerConfig(p))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("numNegatives");
  }

  @Test
  void shouldRejectANonPositiveBatchSize() {
    Map<String, String> p = new java.util.HashMap<>(BASE);
    p.put(TrainerConfig.BATCH_SIZE, "0");
    assertThatThrownBy(() -> new TrainerConfig(p))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("batch.size");
  }

  @Test
  void shouldWaitASecondAtMostForModelSyncBeforeAFollowersStepAndRejectANegativeWait() {
    assertThat(new TrainerConfig(BASE).getLong(TrainerConfig.SYNC_CATCHUP_MAX_MS))
        .isEqualTo(1_000L);
    Map<String, String> p = new java.util.HashMap<>(BASE);
    p.put(TrainerConfig.SYNC_CATCHUP_MAX_MS, "-1");
    assertThatThrownBy(() -> new TrainerConfig(p))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sync.catchup.max.ms");
  }

  @Test
  void shouldGiveSecuritySettingsToKafkaClientsAndRegistrySettingsToSerdesOnly() {
    Map<String, String> p = new java.util.HashMap<>(BASE);
    p.put("security.protocol", "SASL_SSL");
    p.put("sasl.mechanism", "SCRAM-SHA-512");
    p.put("ssl.truststore.location", "/tls/truststore.p12");
    p.put("basic.auth.credentials.source", "USER_INFO");
    p.put("basic.auth.user.info", "trainer:secret");
    p.put("schema.registry.ssl.truststore.location", "/tls/registry.p12");
    p.put("model.featAppearLimit", "3");
    TrainerConfig c = new TrainerConfig(p);

    assertThat(c.clientProperties())
        .containsOnlyKeys("security.protocol", "sasl.mechanism", "ssl.truststore.location");
    assertThat(c.serdeProperties())
        .containsOnlyKeys(
            "schema.registry.url",
            "basic.auth.credentials.source",
            "basic.auth.user.info",
            "schema.registry.ssl.truststore.location");
  }

  @Test
  void shouldReadTheGuardrailSettingsAndRejectThemOutOfRange() {
    Map<String, String> p = new java.util.HashMap<>(BASE);
    p.put(TrainerConfig.GUARDRAIL_ENABLED, "true");
    p.put(TrainerConfig.GUARDRAIL_MIN_JUDGED, "500");
    p.put(TrainerConfig.GUARDRAIL_MARGIN, "0.25");
    TrainerConfig c = new TrainerConfig(p);
    assertThat(c.guardrailSettings().minJudged()).isEqualTo(500);
    assertThat(c.guardrailSettings().margin()).isEqualTo(0.25);
    assertThat(c.guardrailSettings().minZ()).isEqualTo(3.0);
    assertThat(c.guardrailSettings().holdoffMillis()).isEqualTo(600_000);
    assertThat(c.getString(TrainerConfig.TOPIC_RECOMMENDATIONS)).isEqualTo("recommendations");
    p.put(TrainerConfig.GUARDRAIL_MARGIN, "1.5");
    assertThatThrownBy(() -> new TrainerConfig(p))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("guardrail.margin");
    p.put(TrainerConfig.GUARDRAIL_MARGIN, "0.25");
    p.put(TrainerConfig.GUARDRAIL_MIN_JUDGED, "0");
    assertThatThrownBy(() -> new TrainerConfig(p))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("guardrail.min.judged");
  }

  @Test
  void shouldRefuseTheGuardrailInADeterministicOrLockstepRun() {
    Map<String, String> p = new java.util.HashMap<>(BASE);
    p.put(TrainerConfig.GUARDRAIL_ENABLED, "true");
    p.put(TrainerConfig.DETERMINISTIC, "true");
    assertThatThrownBy(() -> new TrainerConfig(p))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("deterministic");
    p.put(TrainerConfig.DETERMINISTIC, "false");
    p.put(TrainerConfig.PUBLISH_EVERY_INSTANCES, "256");
    assertThatThrownBy(() -> new TrainerConfig(p))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("publish.every.instances");
    p.put(TrainerConfig.GUARDRAIL_ENABLED, "false");
    assertThat(new TrainerConfig(p).getInt(TrainerConfig.PUBLISH_EVERY_INSTANCES)).isEqualTo(256);
  }

  @Test
  void shouldNameTheTransactionalIdAfterTheInstanceAndRefuseAnUnsafeInstanceId() {
    Map<String, String> p = new java.util.HashMap<>(BASE);
    TrainerConfig alone = new TrainerConfig(p);
    assertThat(alone.transactionalId()).isEqualTo("freshet-trainer");
    assertThat(alone.trainerName()).isEqualTo("0");
    p.put(TrainerConfig.INSTANCE_ID, "t-1.b_2");
    TrainerConfig scaled = new TrainerConfig(p);
    assertThat(scaled.transactionalId()).isEqualTo("freshet-trainer-t-1.b_2");
    assertThat(scaled.trainerName()).isEqualTo("t-1.b_2");
    p.put(TrainerConfig.INSTANCE_ID, "t 1/../x");
    assertThatThrownBy(() -> new TrainerConfig(p))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("instance.id")
        .hasMessageContaining("letters, digits");
    p.put(TrainerConfig.INSTANCE_ID, "x".repeat(65));
    assertThatThrownBy(() -> new TrainerConfig(p)).isInstanceOf(ConfigException.class);
  }
}
