package dev.freshet.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.avro.SnapshotManifest;
import dev.freshet.avro.TrainingInstance;
import dev.freshet.embedded.registry.EmbeddedSchemaRegistry;
import dev.freshet.model.DenseTensor;
import dev.freshet.model.Table;
import dev.freshet.paramlog.ServingParams;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.testkit.KafkaBrokerExtension;
import dev.freshet.testkit.KafkaCluster;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a trainer process with SIGKILL at several points of a deterministic run, restarts it, and
 * checks that every instance was applied exactly once and that the final model is the model of an
 * uninterrupted run, parameter for parameter.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TrainerCrashIT {

  private static final Logger log = LoggerFactory.getLogger(TrainerCrashIT.class);
  private static final int INSTANCES = 640;

  private final KafkaCluster kafka;
  private final String prefix = KafkaCluster.uniqueName("crash");
  private EmbeddedSchemaRegistry registry;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  TrainerCrashIT(KafkaCluster kafka) {
    this.kafka = kafka;
  }

  @BeforeEach
  void setUp() {
    registry =
        EmbeddedSchemaRegistry.start(
            new EmbeddedSchemaRegistry.Options(kafka.bootstrapServers())
                .topic(prefix + "-schemas"));
    kafka.createTopic(prefix + "-instances", 1, false);
    for (String run : List.of("a", "b")) {
      kafka.createTopic(topic(run, "dlq"), 1, false);
      kafka.createTopic(topic(run, "model-params"), 1, true);
      kafka.createTopic(topic(run, "item-vectors"), 1, true);
      kafka.createTopic(topic(run, "snapshots"), 1, true);
    }
  }

  @AfterEach
  void tearDown() {
    registry.close();
  }

  @Test
  void shouldApplyEveryInstanceExactlyOnceAndEndWithTheUninterruptedModelAfterKills()
      throws Exception {
    produce(TestInstances.generate(INSTANCES, 5));

    // The uninterrupted run is a process of its own too: both models come from fresh JVMs set up
    // the same way, so what an earlier test did in this JVM (native arithmetic settings of ND4J)
    // cannot tell them apart.
    Process a = spawn("a", 1);
    await("a", m -> m.getInstancesApplied() == INSTANCES, a);
    a.destroy();
    assertThat(a.waitFor(60, TimeUnit.SECONDS)).isTrue();

    Process p = spawn("b", 1);
    await("b", m -> m.getVersion() >= 4, p);
    kill(p);
    p = spawn("b", 2);
    await("b", m -> m.getVersion() >= 12, p);
    kill(p);
    p = spawn("b", 3);
    await("b", m -> m.getVersion() >= 20, p);
    kill(p);
    p = spawn("b", 4);
    await("b", m -> m.getInstancesApplied() == INSTANCES, p);
    p.destroy(); // SIGTERM: graceful, publishes nothing new
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

    List<SnapshotManifest> b = manifests("b");
    for (int i = 1; i < b.size(); i++) {
      assertThat(b.get(i).getPreviousVersion()).isEqualTo(b.get(i - 1).getVersion());
      assertThat(b.get(i).getInstancesApplied())
          .isGreaterThanOrEqualTo(b.get(i - 1).getInstancesApplied());
    }
    assertThat(b.get(b.size() - 1).getInstancesApplied()).isEqualTo(INSTANCES);

    ServingParams modelA = read("a");
    ServingParams modelB = read("b");
    assertThat(modelB.items().keySet()).isEqualTo(modelA.items().keySet()).isNotEmpty();
    modelA
        .items()
        .forEach(
            (id, v) -> assertThat(modelB.items().get(id)).as("item %s", id).containsExactly(v));
    for (Table t : Table.values()) {
      assertThat(modelB.rows(t).keySet()).as("%s keys", t).isEqualTo(modelA.rows(t).keySet());
      modelA
          .rows(t)
          .forEach(
              (k, v) -> assertThat(modelB.rows(t).get(k)).as("%s %s", t, k).containsExactly(v));
    }
    Map<String, float[]> denseA = dense(modelA);
    Map<String, float[]> denseB = dense(modelB);
    assertThat(denseB.keySet()).isEqualTo(denseA.keySet()).isNotEmpty();
    denseA.forEach((name, v) -> assertThat(denseB.get(name)).as(name).containsExactly(v));
  }

  private static Map<String, float[]> dense(ServingParams p) {
    Map<String, float[]> out = new HashMap<>();
    for (DenseTensor t : p.dense()) {
      out.put(t.name(), t.values());
    }
    return out;
  }

  private Map<String, Object> config(String run) {
    Map<String, Object> c = new HashMap<>(TestInstances.smallModel());
    c.put(TrainerConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    c.put(TrainerConfig.SCHEMA_REGISTRY_URL, registry.url());
    c.put(TrainerConfig.GROUP_ID, prefix + "-" + run);
    c.put(TrainerConfig.TRANSACTIONAL_ID, prefix + "-" + run);
    c.put(TrainerConfig.TOPIC_TRAINING_INSTANCES, prefix + "-instances");
    c.put(TrainerConfig.TOPIC_INSTANCES_DLQ, topic(run, "dlq"));
    c.put(TrainerConfig.TOPIC_MODEL_PARAMS, topic(run, "model-params"));
    c.put(TrainerConfig.TOPIC_ITEM_VECTORS, topic(run, "item-vectors"));
    c.put(TrainerConfig.TOPIC_SNAPSHOTS, topic(run, "snapshots"));
    c.put(TrainerConfig.DETERMINISTIC, "true");
    c.put(TrainerConfig.BATCH_SIZE, "8");
    c.put(TrainerConfig.PUBLISH_EVERY_BATCHES, "2");
    c.put(TrainerConfig.CHECKPOINT_DIR, dir.resolve(run).toString());
    // Run b checkpoints every few seconds, so restarts use checkpoint + replay and plain replay.
    c.put(TrainerConfig.CHECKPOINT_INTERVAL_MS, run.equals("b") ? "1500" : "3600000");
    return c;
  }

  private String topic(String run, String name) {
    return prefix + "-" + run + "-" + name;
  }

  private Process spawn(String run, int attempt) throws Exception {
    File out = dir.resolve("trainer-" + run + "-" + attempt + ".log").toFile();
    log.info("starting trainer process {} (log {})", attempt, out);
    return TrainerProcesses.spawn(config(run), "768m", out);
  }

  private void kill(Process p) throws InterruptedException {
    p.destroyForcibly(); // SIGKILL: no shutdown hook, no final snapshot, maybe mid-transaction
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    log.info("killed trainer process; newest snapshot {}", manifests("b").size());
  }

  private SnapshotManifest await(String run, Predicate<SnapshotManifest> done, Process runner)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      for (SnapshotManifest m : manifests(run)) {
        if (done.test(m)) {
          return m;
        }
      }
      if (!runner.isAlive()) {
        throw new AssertionError(
            "trainer process exited with " + runner.exitValue() + "; see logs in " + dir);
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("trainer " + run + " did not get there within 180 s; logs in " + dir);
  }

  private void produce(List<TrainingInstance> instances) {
    TrainerProcesses.produce(kafka, registry.url(), prefix + "-instances", instances);
  }

  private List<SnapshotManifest> manifests(String run) {
    Serde<SnapshotManifest> serde =
        AvroSerdes.specific(
            SnapshotManifest.class, Map.of("schema.registry.url", registry.url()), false);
    List<SnapshotManifest> out = new ArrayList<>();
    String topic = topic(run, "snapshots");
    for (ConsumerRecord<String, byte[]> r : TrainerProcesses.readCommitted(kafka, topic)) {
      out.add(serde.deserializer().deserialize(topic, r.value()));
    }
    out.sort((x, y) -> Long.compare(x.getVersion(), y.getVersion()));
    return out;
  }

  private ServingParams read(String run) throws Exception {
    return TrainerProcesses.servingParams(kafka, registry.url(), topic(run, "model-params"));
  }
}
