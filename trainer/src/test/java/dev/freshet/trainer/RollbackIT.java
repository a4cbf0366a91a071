package dev.freshet.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.avro.ModelUpdate;
import dev.freshet.avro.SnapshotManifest;
import dev.freshet.avro.TrainingInstance;
import dev.freshet.model.CandidateModel;
import dev.freshet.model.Instance;
import dev.freshet.model.ItemVectors;
import dev.freshet.model.Table;
import dev.freshet.model.UserTower;
import dev.freshet.paramlog.InstanceConverter;
import dev.freshet.paramlog.ParamLogReader;
import dev.freshet.paramlog.ServingParams;
import dev.freshet.paramlog.SnapshotAssembler;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.testkit.KafkaBrokerExtension;
import dev.freshet.testkit.KafkaCluster;
import java.nio.file.Files;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rolls a deterministic run back to an earlier version and checks the published model against a
 * model trained offline on exactly that version's instances — then that training continues from the
 * rolled-back model after a restart.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RollbackIT {

  private final KafkaCluster kafka;
  private final String prefix = KafkaCluster.uniqueName("rollback");
  private final String registry = "mock://" + UUID.randomUUID();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  @TempDir Path checkpoints;

  RollbackIT(KafkaCluster kafka) {
    this.kafka = kafka;
    for (String t : List.of("instances", "dlq", "item-vectors")) {
      kafka.createTopic(t(t), 1, false);
    }
    kafka.createTopic(t("model-params"), 1, true);
    kafka.createTopic(t("snapshots"), 1, true);
  }

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void shouldRepublishAnEarlierVersionExactlyAndContinueTrainingFromIt() throws Exception {
    List<TrainingInstance> instances = TestInstances.generate(120, 9);
    produce(instances.subList(0, 100));
    runUntil(100); // versions: 1 initial, then one per 20 instances: 2..6

    SnapshotManifest m = Rollback.run(new TrainerConfig(config()), 3);
    assertThat(m.getVersion()).isEqualTo(7);
    assertThat(m.getRolledBackFrom()).isEqualTo(3);
    assertThat(m.getInstancesApplied()).isEqualTo(100);

    CandidateModel offline = CandidateModel.create(new TrainerConfig(config()).modelConfig());
    train(offline, instances.subList(0, 40));
    assertPublishedEquals(offline);

    // Force recovery through the rollback manifest (not the checkpoint the rollback wrote).
    Files.deleteIfExists(checkpoints.resolve(String.format("snapshot-%012d.ckpt", 7)));
    produce(instances.subList(100, 120));
    runUntil(120);
    train(offline, instances.subList(100, 120));
    assertPublishedEquals(offline);

    assertThatThrownBy(() -> Rollback.run(new TrainerConfig(config()), 99))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--to-version");
  }

  private void train(CandidateModel model, List<TrainingInstance> in) {
    long clock = 0;
    for (int i = 0; i < in.size(); i += 10) {
      List<Instance> batch = new ArrayList<>();
      for (TrainingInstance t : in.subList(i, i + 10)) {
        batch.add(InstanceConverter.toInstance(t));
        clock = Math.max(clock, t.getEventTime().toEpochMilli());
      }
      model.train(batch, clock);
    }
  }

  private void assertPublishedEquals(CandidateModel expected) throws Exception {
    ServingParams params = new ServingParams();
    try (ParamLogReader reader =
        new ParamLogReader(
            kafka.bootstrapServers(),
            t("model-params"),
            AvroSerdes.specific(ModelUpdate.class, Map.of("schema.registry.url", registry), false)
                .deserializer(),
            new SnapshotAssembler(params, s -> {}, null))) {
      reader.start();
      assertThat(reader.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
    }
    for (Table table : Table.values()) {
      if (table == Table.ITEM_OUTPUT) {
        continue;
      }
      List<String> keys = new ArrayList<>(expected.keys(table));
      float[] unk = expected.exportRow(table, UserTower.UNK);
      if (unk != null) {
        keys.add(UserTower.UNK);
      }
      assertThat(params.rows(table).keySet())
          .as(table.name())
          .containsExactlyInAnyOrderElementsOf(keys);
      for (String key : keys) {
        assertThat(params.rows(table).get(key))
            .as(table + "/" + key)
            .containsExactly(expected.exportRow(table, key));
      }
    }
    ItemVectors want = expected.itemVectors();
    assertThat(params.items().keySet()).containsExactlyInAnyOrderElementsOf(want.ids());
    for (int i = 0; i < want.size(); i++) {
      assertThat(params.items().get(want.id(i))).as(want.id(i)).containsExactly(want.vector(i));
    }
  }

  private void runUntil(long applied) throws Exception {
    try (OnlineTrainer trainer = new OnlineTrainer(new TrainerConfig(config()))) {
      Future<?> run = executor.submit(trainer::run);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (trainer.metrics().instancesApplied() < applied) {
        if (run.isDone()) {
          run.get();
        }
        assertThat(System.nanoTime())
            .as("trainer reached %d in time", applied)
            .isLessThan(deadline);
        TimeUnit.MILLISECONDS.sleep(50);
      }
    }
  }

  private Map<String, Object> config() {
    Map<String, Object> c = new HashMap<>(TestInstances.smallModel());
    c.put(TrainerConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    c.put(TrainerConfig.SCHEMA_REGISTRY_URL, registry);
    c.put(TrainerConfig.GROUP_ID, prefix);
    c.put(TrainerConfig.TRANSACTIONAL_ID, prefix);
    c.put(TrainerConfig.TOPIC_TRAINING_INSTANCES, t("instances"));
    c.put(TrainerConfig.TOPIC_INSTANCES_DLQ, t("dlq"));
    c.put(TrainerConfig.TOPIC_MODEL_PARAMS, t("model-params"));
    c.put(TrainerConfig.TOPIC_ITEM_VECTORS, t("item-vectors"));
    c.put(TrainerConfig.TOPIC_SNAPSHOTS, t("snapshots"));
    c.put(TrainerConfig.DETERMINISTIC, "true");
    c.put(TrainerConfig.BATCH_SIZE, "10");
    c.put(TrainerConfig.PUBLISH_EVERY_BATCHES, "2");
    c.put(TrainerConfig.CHECKPOINT_DIR, checkpoints.toString());
    return c;
  }

  private String t(String name) {
    return prefix + "-" + name;
  }

  private void produce(List<TrainingInstance> instances) throws Exception {
    Serializer<TrainingInstance> s =
        AvroSerdes.specific(TrainingInstance.class, Map.of("schema.registry.url", registry), false)
            .serializer();
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(
            kafka.producerConfig(), new StringSerializer(), new ByteArraySerializer())) {
      for (TrainingInstance t : instances) {
        p.send(new ProducerRecord<>(t("instances"), t.getUserId(), s.serialize(t("instances"), t)));
      }
      p.flush();
    }
  }
}
