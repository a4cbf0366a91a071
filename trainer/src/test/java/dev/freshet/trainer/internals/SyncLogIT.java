package dev.freshet.trainer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.avro.ModelContribution;
import dev.freshet.model.Contribution;
import dev.freshet.paramlog.ContributionCodec;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.testkit.KafkaBrokerExtension;
import dev.freshet.testkit.KafkaCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a follower's catch-up before a step relies on, against a real broker: the committed end of
 * {@code model-sync} leaves out a transaction still open, and reading up to it ends (the reader's
 * position passes the commit marker) with exactly the committed contributions.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SyncLogIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final KafkaCluster kafka;
  private final String topic = KafkaCluster.uniqueName("model-sync");
  private final Serde<ModelContribution> serde =
      AvroSerdes.specific(
          ModelContribution.class, Map.of("schema.registry.url", "mock://sync-log-it"), false);

  SyncLogIT(KafkaCluster kafka) {
    this.kafka = kafka;
  }

  private byte[] contribution(long sequence) {
    ContributionCodec.Header h =
        new ContributionCodec.Header("t1", "inc", sequence, null, 10, 1_000L, 2_000L);
    return serde
        .serializer()
        .serialize(topic, ContributionCodec.toAvro(h, new Contribution(Map.of(), List.of())));
  }

  private static List<Long> readToCommittedEnd(SyncLog log) {
    SyncLog.CatchUp c = log.readToCommittedEnd(WAIT);
    assertThat(c.complete()).as("reached the committed end in time").isTrue();
    return c.entries().stream().map(e -> e.header().sequence()).toList();
  }

  @Test
  void shouldReadExactlyWhatIsCommittedUpToTheCommittedEndAndNoFurther() {
    kafka.createTopic(topic, 1, false);
    Map<String, Object> p =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, KafkaCluster.uniqueName("sync-writer"));
    try (KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        SyncLog log =
            SyncLog.open(kafka.bootstrapServers(), Map.of(), topic, serde.deserializer())
                .orElseThrow()) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, 0, "t1", contribution(1)));
      producer.send(new ProducerRecord<>(topic, 0, "t1", contribution(2)));
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, 0, "t1", contribution(3)));
      producer.flush(); // written, not committed

      // Two records and the commit marker; the open transaction's record is not committed yet.
      assertThat(log.committedEnd(WAIT)).hasValue(3);
      assertThat(readToCommittedEnd(log)).containsExactly(1L, 2L);
      assertThat(log.position()).isEqualTo(3);

      producer.commitTransaction();
      assertThat(log.committedEnd(WAIT)).hasValue(5);
      assertThat(readToCommittedEnd(log)).containsExactly(3L);
    }
  }
}
