package dev.freshet.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.avro.ItemVector;
import dev.freshet.avro.SnapshotManifest;
import dev.freshet.avro.TrainingInstance;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.testkit.KafkaBrokerExtension;
import dev.freshet.testkit.KafkaCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class OnlineTrainerIT {

  private final KafkaCluster kafka;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final String registry = "mock://" + UUID.randomUUID();
  private final String prefix = KafkaCluster.uniqueName("trainer");
  @TempDir Path checkpoints;
  private Future<?> running;

  OnlineTrainerIT(KafkaCluster kafka) {
    this.kafka = kafka;
  }

  @BeforeEach
  void createTopics() {
    kafka.createTopic(topic("training-instances"), 1, false);
    kafka.createTopic(topic("training-instances-dlq"), 1, false);
    kafka.createTopic(topic("model-params"), 1, true);
    kafka.createTopic(topic("item-vectors"), 2, true);
    kafka.createTopic(topic("snapshots"), 1, true);
  }

  @AfterEach
  void stopExecutor() {
    executor.shutdownNow();
  }

  @Test
  void shouldPublishItemVectorsAndManifestsThatCountEveryInstanceAndDeadLetterBadOnes()
      throws Exception {
    List<TrainingInstance> instances = TestInstances.generate(120, 1);
    produce(instances.subList(0, 60));
    produceRaw("garbage".getBytes(StandardCharsets.UTF_8));
    TrainingInstance hostile = TrainingInstance.newBuilder(instances.get(0)).build();
    hostile.setEventId("hostile");
    hostile.setUserId("\u0000\u0007");
    produce(List.of(hostile));
    produce(instances.subList(60, 120));

    try (OnlineTrainer trainer = new OnlineTrainer(new TrainerConfig(config(Map.of())))) {
      Future<?> run = start(trainer);
      SnapshotManifest last = awaitManifest(m -> m.getInstancesApplied() == 120);
      assertThat(last.getItemCount()).isPositive();
      assertThat(last.getMaxItemNorm()).isPositive();
      assertThat(last.getLoss()).isNotNull();
      assertThat(run.isDone()).isFalse();
    }

    List<ConsumerRecord<String, byte[]>> items = readAll(topic("item-vectors"));
    assertThat(items).isNotEmpty();
    Serde<ItemVector> itemSerde = AvroSerdes.specific(ItemVector.class, serdeConfig(), false);
    ItemVector first =
        itemSerde.deserializer().deserialize(topic("item-vectors"), items.get(0).value());
    assertThat(first.getVector()).hasSize(1 + 5);
    List<ConsumerRecord<String, byte[]>> dead = readAll(topic("training-instances-dlq"));
    assertThat(dead).hasSize(2);
    assertThat(header(dead.get(0), "freshet.dlq.reason")).isEqualTo("UNDESERIALIZABLE");
    assertThat(header(dead.get(0), "freshet.dlq.detail")).contains("WRONG_MAGIC_BYTE");
    assertThat(header(dead.get(1), "freshet.dlq.reason")).isEqualTo("INVALID_VALUE");
    assertThat(header(dead.get(1), "freshet.dlq.detail"))
        .isEqualTo("userId contains control character U+0000 at index 0");
    assertThat(allManifests())
        .allSatisfy(m -> assertThat(m.getInstancesApplied()).isLessThanOrEqualTo(120));
  }

  @Test
  void shouldResumeFromTheCommittedOffsetsAfterARestartWithoutReapplyingAnything()
      throws Exception {
    List<TrainingInstance> instances = TestInstances.generate(150, 2);
    produce(instances.subList(0, 100));
    try (OnlineTrainer trainer = new OnlineTrainer(new TrainerConfig(config(Map.of())))) {
      start(trainer);
      awaitManifest(m -> m.getInstancesApplied() == 100);
    }
    produce(instances.subList(100, 150));
    try (OnlineTrainer trainer = new OnlineTrainer(new TrainerConfig(config(Map.of())))) {
      start(trainer);
      awaitManifest(m -> m.getInstancesApplied() == 150);
      assertThat(trainer.metrics().snapshot().get("freshet_trainer_instances_total"))
          .isEqualTo(50.0);
    }
    assertThat(allManifests())
        .allSatisfy(m -> assertThat(m.getInstancesApplied()).isLessThanOrEqualTo(150));
  }

  @Test
  void shouldCountEveryInstanceOnceWhenCommitsOverlapTraining() throws Exception {
    Map<String, String> overlap = Map.of(TrainerConfig.PUBLISH_OVERLAP, "true");
    List<TrainingInstance> instances = TestInstances.generate(300, 3);
    produce(instances.subList(0, 200));
    produceRaw("garbage".getBytes(StandardCharsets.UTF_8));
    try (OnlineTrainer trainer = new OnlineTrainer(new TrainerConfig(config(overlap)))) {
      start(trainer);
      awaitManifest(m -> m.getInstancesApplied() == 200);
    }
    produce(instances.subList(200, 300));
    try (OnlineTrainer trainer = new OnlineTrainer(new TrainerConfig(config(overlap)))) {
      start(trainer);
      awaitManifest(m -> m.getInstancesApplied() == 300);
      assertThat(trainer.metrics().snapshot().get("freshet_trainer_instances_total"))
          .isEqualTo(100.0);
    }
    List<SnapshotManifest> manifests = allManifests();
    for (int i = 1; i < manifests.size(); i++) {
      assertThat(manifests.get(i).getPreviousVersion())
          .as("version %d follows", manifests.get(i).getVersion())
          .isEqualTo(manifests.get(i - 1).getVersion());
    }
    assertThat(
            manifests.stream()
                .mapToLong(m -> m.getBatchSizes().stream().mapToLong(b -> b).sum())
                .sum())
        .as("instances in the snapshots' batches, over all versions")
        .isEqualTo(300);
    assertThat(readAll(topic("training-instances-dlq"))).hasSize(1);
  }

  @Test
  void shouldPublishAfterEveryNInstancesAndOtherwiseOnlyAtClose() throws Exception {
    List<TrainingInstance> instances = TestInstances.generate(10, 3);
    produce(instances);
    // A wall-clock interval and a partial-batch wait that would fire many times here: ignored.
    Map<String, String> counts =
        Map.of(
            TrainerConfig.PUBLISH_EVERY_INSTANCES, "4",
            TrainerConfig.BATCH_SIZE, "3",
            TrainerConfig.PUBLISH_INTERVAL_MS, "1",
            TrainerConfig.BATCH_MAX_WAIT_MS, "1");
    try (OnlineTrainer trainer = new OnlineTrainer(new TrainerConfig(config(counts)))) {
      start(trainer);
      awaitManifest(m -> m.getInstancesApplied() == 8);
      // every instance consumed, the last two wait for the next count (or the close)
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (trainer.metrics().snapshot().getOrDefault("freshet_trainer_consumer_lag", 1.0) > 0
          && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(20);
      }
      assertThat(allManifests())
          .extracting(SnapshotManifest::getInstancesApplied)
          .containsExactly(0L, 4L, 8L);
    }
    List<SnapshotManifest> all = allManifests();
    assertThat(all)
        .extracting(SnapshotManifest::getInstancesApplied)
        .containsExactly(0L, 4L, 8L, 10L);
    assertThat(all).extracting(SnapshotManifest::getVersion).containsExactly(1L, 2L, 3L, 4L);
  }

  private Map<String, Object> config(Map<String, String> overrides) {
    Map<String, Object> c = new HashMap<>(TestInstances.smallModel());
    c.put(TrainerConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    c.put(TrainerConfig.SCHEMA_REGISTRY_URL, registry);
    c.put(TrainerConfig.GROUP_ID, prefix + "-group");
    c.put(TrainerConfig.TRANSACTIONAL_ID, prefix + "-txn");
    c.put(TrainerConfig.TOPIC_TRAINING_INSTANCES, topic("training-instances"));
    c.put(TrainerConfig.TOPIC_INSTANCES_DLQ, topic("training-instances-dlq"));
    c.put(TrainerConfig.TOPIC_MODEL_PARAMS, topic("model-params"));
    c.put(TrainerConfig.TOPIC_ITEM_VECTORS, topic("item-vectors"));
    c.put(TrainerConfig.TOPIC_SNAPSHOTS, topic("snapshots"));
    c.put(TrainerConfig.BATCH_SIZE, "16");
    c.put(TrainerConfig.PUBLISH_INTERVAL_MS, "100");
    c.put(TrainerConfig.BATCH_MAX_WAIT_MS, "50");
    c.put(TrainerConfig.CHECKPOINT_DIR, checkpoints.toString());
    c.putAll(overrides);
    return c;
  }

  private String topic(String name) {
    return prefix + "-" + name;
  }

  private Map<String, Object> serdeConfig() {
    return Map.of("schema.registry.url", registry);
  }

  private void produce(List<TrainingInstance> instances) throws Exception {
    Serde<TrainingInstance> serde =
        AvroSerdes.specific(TrainingInstance.class, serdeConfig(), false);
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(
            kafka.producerConfig(), new StringSerializer(), new ByteArraySerializer())) {
      for (TrainingInstance t : instances) {
        p.send(
                new ProducerRecord<>(
                    topic("training-instances"),
                    t.getUserId(),
                    serde.serializer().serialize(topic("training-instances"), t)))
            .get(30, TimeUnit.SECONDS);
      }
    }
  }

  private void produceRaw(byte[] value) throws Exception {
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(
            kafka.producerConfig(), new StringSerializer(), new ByteArraySerializer())) {
      p.send(new ProducerRecord<>(topic("training-instances"), "bad", value))
          .get(30, TimeUnit.SECONDS);
    }
  }

  private Future<?> start(OnlineTrainer trainer) {
    running = executor.submit(trainer::run);
    return running;
  }

  private SnapshotManifest awaitManifest(java.util.function.Predicate<SnapshotManifest> done)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (running.isDone()) {
        running.get(); // surfaces the trainer's failure
        throw new AssertionError("trainer stopped before the manifest appeared");
      }
      for (SnapshotManifest m : allManifests()) {
        if (done.test(m)) {
          return m;
        }
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("no matching manifest within 90 s; have " + allManifests().size());
  }

  private List<SnapshotManifest> allManifests() {
    Serde<SnapshotManifest> serde =
        AvroSerdes.specific(SnapshotManifest.class, serdeConfig(), false);
    List<SnapshotManifest> out = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : readAll(topic("snapshots"))) {
      out.add(serde.deserializer().deserialize(r.topic(), r.value()));
    }
    return out;
  }

  private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(
            kafka.consumerConfig(KafkaCluster.uniqueName("reader")),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      var parts =
          c.partitionsFor(topic).stream()
              .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<org.apache.kafka.common.TopicPartition, Long> end = c.endOffsets(parts);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))
          && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(100)).forEach(out::add);
      }
    }
    return out;
  }

  private static String header(ConsumerRecord<?, ?> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
