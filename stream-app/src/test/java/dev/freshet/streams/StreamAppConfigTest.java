package dev.freshet.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.freshet.streams.serving.ServingModel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class StreamAppConfigTest {

  private static Map<String, Object> minimal() {
    Map<String, Object> m = new HashMap<>();
    m.put(StreamAppConfig.BOOTSTRAP_SERVERS, "localhost:9092");
    m.put(StreamAppConfig.SCHEMA_REGISTRY_URL, "mock://config-test");
    return m;
  }

  @Test
  void shouldCommitEvery20msAndPollNoLongerThanABatchWaitsByDefault() {
    Properties p = new StreamAppConfig(minimal()).streamsProperties();

    assertEquals(10L, p.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
    assertEquals(5L, p.get(StreamsConfig.POLL_MS_CONFIG));
    assertEquals(StreamsConfig.EXACTLY_ONCE_V2, p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    // One source topic: a task has one input partition, and idling would order nothing.
    assertEquals(
        StreamsConfig.MAX_TASK_IDLE_MS_DISABLED, p.get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG));
  }

  @Test
  void shouldPassExplicitCommitAndPollSettingsThrough() {
    Map<String, Object> m = minimal();
    m.put(StreamAppConfig.COMMIT_INTERVAL_MS, "250");
    m.put(StreamsConfig.POLL_MS_CONFIG, "40");
    m.put(StreamsConfig.producerPrefix("linger.ms"), "3");
    m.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "0");

    Properties p = new StreamAppConfig(m).streamsProperties();

    assertEquals(250L, p.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
    assertEquals("40", p.get(StreamsConfig.POLL_MS_CONFIG));
    assertEquals("0", p.get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG));
    assertEquals("3", p.get(StreamsConfig.producerPrefix("linger.ms")));
  }

  @Test
  void shouldEnableTheProcessingExceptionHandlerForTheGlobalThreadUnlessSetOtherwise() {
    assertEquals(
        true,
        new StreamAppConfig(minimal())
            .streamsProperties()
            .get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG));

    Map<String, Object> m = minimal();
    m.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "false");
    assertEquals(
        "false",
        new StreamAppConfig(m)
            .streamsProperties()
            .get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG));
  }

  @Test
  void shouldBuildTheTopologyAndKafkaStreamsWithoutConfigurationWarnings() {
    Map<String, Object> m = minimal();
    m.put(StreamAppConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9");
    // Not under java.io.tmpdir, which Kafka Streams rightly warns about.
    m.put(StreamAppConfig.STATE_DIR, Path.of("target", "config-test-state").toString());
    StreamAppConfig config = new StreamAppConfig(m);
    Logger streamsLogs = (Logger) LoggerFactory.getLogger("org.apache.kafka.streams");
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    streamsLogs.addAppender(events);
    try {
      // Constructed, not started: nothing connects to the broker address.
      new KafkaStreams(
              FreshetTopology.build(config, new ServingModel(10)), config.streamsProperties())
          .close();
    } finally {
      streamsLogs.detachAppender(events);
    }

    assertThat(events.list)
        .filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .extracting(ILoggingEvent::getFormattedMessage)
        .isEmpty();
  }

  @Test
  void shouldPollAtLeastOneMillisecondWhenBatchesDoNotWait() {
    Map<String, Object> m = minimal();
    m.put(StreamAppConfig.BATCH_MAX_WAIT_MS, "0");

    assertEquals(1L, new StreamAppConfig(m).streamsProperties().get(StreamsConfig.POLL_MS_CONFIG));
  }

  @Test
  void shouldRejectANonPositiveCommitIntervalNamingTheKey() {
    Map<String, Object> m = minimal();
    m.put(StreamAppConfig.COMMIT_INTERVAL_MS, "0");

    ConfigException e = assertThrows(ConfigException.class, () -> new StreamAppConfig(m));
    assertTrue(e.getMessage().contains("commit.interval.ms"), e.getMessage());
  }

  @Test
  void shouldScanATenthOfTheItemsBeforeTheGraphByDefaultAndRejectFractionsAboveOne() {
    assertEquals(
        0.1, new StreamAppConfig(minimal()).getDouble(StreamAppConfig.INDEX_SCAN_FRACTION));

    Map<String, Object> m = minimal();
    m.put(StreamAppConfig.INDEX_SCAN_FRACTION, "1.5");
    ConfigException e = assertThrows(ConfigException.class, () -> new StreamAppConfig(m));
    assertTrue(e.getMessage().contains("index.scan.fraction"), e.getMessage());
  }

  @Test
  void shouldGiveSecuritySettingsToKafkaClientsAndRegistrySettingsToSerdesOnly() {
    Map<String, Object> p = new java.util.HashMap<>();
    p.put(StreamAppConfig.BOOTSTRAP_SERVERS, "localhost:9092");
    p.put(StreamAppConfig.SCHEMA_REGISTRY_URL, "https://registry:8081");
    p.put("security.protocol", "SASL_SSL");
    p.put("sasl.jaas.config", "x");
    p.put("ssl.truststore.location", "/tls/truststore.p12");
    p.put("basic.auth.credentials.source", "USER_INFO");
    p.put("basic.auth.user.info", "stream:secret");
    p.put("schema.registry.ssl.truststore.location", "/tls/registry.p12");
    StreamAppConfig c = new StreamAppConfig(p);

    assertThat(c.securityProperties())
        .containsOnlyKeys("security.protocol", "sasl.jaas.config", "ssl.truststore.location");
    assertThat(c.streamsProperties())
        .containsKeys("security.protocol", "sasl.jaas.config", "ssl.truststore.location")
        .doesNotContainKeys(
            "basic.auth.user.info",
            "basic.auth.credentials.source",
            "schema.registry.ssl.truststore.location");
    assertThat(c.serdeProperties())
        .containsEntry("schema.registry.url", "https://registry:8081")
        .containsEntry("basic.auth.user.info", "stream:secret")
        .containsKey("schema.registry.ssl.truststore.location")
        .doesNotContainKey("security.protocol");
  }

  @Test
  void shouldDefaultToAStandbyShortSessionsAndShortTransactionsForFastFailover() {
    Properties p = new StreamAppConfig(minimal()).streamsProperties();

    assertEquals(1, p.get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG));
    assertEquals(3000, p.get("session.timeout.ms"));
    assertEquals(1000, p.get("heartbeat.interval.ms"));
    assertEquals(3000, p.get("transaction.timeout.ms"));
  }

  @Test
  void shouldLetAPropertiesFileOverrideTheFailoverSettings() {
    Map<String, Object> m = minimal();
    m.put("session.timeout.ms", "6000");
    m.put("heartbeat.interval.ms", "2000");
    m.put("transaction.timeout.ms", "10000");
    m.put(StreamAppConfig.NUM_STANDBY_REPLICAS, "0");

    Properties p = new StreamAppConfig(m).streamsProperties();

    assertEquals("6000", p.get("session.timeout.ms"));
    assertEquals("2000", p.get("heartbeat.interval.ms"));
    assertEquals("10000", p.get("transaction.timeout.ms"));
    assertEquals(0, p.get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG));
  }
}
