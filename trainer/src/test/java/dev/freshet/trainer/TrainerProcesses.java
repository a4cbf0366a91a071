package dev.freshet.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.avro.ModelUpdate;
import dev.freshet.avro.TrainingInstance;
import dev.freshet.paramlog.ParamLogReader;
import dev.freshet.paramlog.ServingParams;
import dev.freshet.paramlog.SnapshotAssembler;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.testkit.KafkaCluster;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the trainer process tests share: trainer processes of their own, instances sent by user, and
 * the trainer's topics read back as a reader with {@code read_committed} sees them.
 */
final class TrainerProcesses {

  private TrainerProcesses() {}

  /** A trainer JVM ({@link TrainerApp}) with {@code config}, its output in {@code log}. */
  static Process spawn(Map<String, Object> config, String heap, File log) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(TrainerApp.class.getName());
    config.forEach((k, v) -> cmd.add(k + "=" + v));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
  }

  /** Sends {@code instances} to {@code topic}, keyed by user, and waits until all are written. */
  static void produce(
      KafkaCluster kafka, String registryUrl, String topic, List<TrainingInstance> instances) {
    Serde<TrainingInstance> serde =
        AvroSerdes.specific(
            TrainingInstance.class, Map.of("schema.registry.url", registryUrl), false);
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(
            kafka.producerConfig(), new StringSerializer(), new ByteArraySerializer())) {
      for (TrainingInstance t : instances) {
        p.send(new ProducerRecord<>(topic, t.getUserId(), serde.serializer().serialize(topic, t)));
      }
      p.flush();
    }
  }

  /** Every committed record of partition 0 of {@code topic}, in offset order. */
  static List<ConsumerRecord<String, byte[]>> readCommitted(KafkaCluster kafka, String topic) {
    Map<String, Object> c = kafka.consumerConfig(KafkaCluster.uniqueName("r"));
    c.put("isolation.level", "read_committed");
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    TopicPartition tp = new TopicPartition(topic, 0);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (consumer.position(tp) < end && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(out::add);
      }
    }
    return out;
  }

  /** The newest complete model on the parameter log {@code topic}, as the stream app reads it. */
  static ServingParams servingParams(KafkaCluster kafka, String registryUrl, String topic)
      throws InterruptedException {
    ServingParams params = new ServingParams();
    try (ParamLogReader reader =
        new ParamLogReader(
            kafka.bootstrapServers(),
            topic,
            AvroSerdes.specific(
                    ModelUpdate.class, Map.of("schema.registry.url", registryUrl), false)
                .deserializer(),
            new SnapshotAssembler(params, s -> {}, null))) {
      reader.start();
      assertThat(reader.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
      assertThat(reader.badRecords()).isZero();
    }
    return params;
  }
}
