package dev.freshet.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.avro.ModelContribution;
import dev.freshet.avro.ModelUpdate;
import dev.freshet.avro.SnapshotManifest;
import dev.freshet.avro.TrainerShare;
import dev.freshet.avro.TrainingInstance;
import dev.freshet.embedded.registry.EmbeddedSchemaRegistry;
import dev.freshet.paramlog.ParamLogReader;
import dev.freshet.paramlog.ServingParams;
import dev.freshet.paramlog.SnapshotAssembler;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.testkit.KafkaBrokerExtension;
import dev.freshet.testkit.KafkaCluster;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trainer processes sharing one group: two start, a third joins, the leader is killed with SIGKILL
 * mid-run. Every instance must be trained exactly once — counted independently of the trainers' own
 * bookkeeping, from the leaders' batches and the committed contributions — and the served snapshots
 * must chain and end holding all of it.
 */
@ExtendWith(KafkaBrokerExtension.class)
class MultiTrainerIT {

  private static final Logger log = LoggerFactory.getLogger(MultiTrainerIT.class);
  private static final int PARTITIONS = 4;
  private static final int INSTANCES = 30_000;
  private static final int AFTER_KILL = 900;

  private final KafkaCluster kafka;
  private final String prefix = KafkaCluster.uniqueName("multi");
  private final List<Process> processes = new ArrayList<>();
  private EmbeddedSchemaRegistry registry;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  MultiTrainerIT(KafkaCluster kafka) {
    this.kafka = kafka;
  }

  @BeforeEach
  void setUp() {
    registry =
        EmbeddedSchemaRegistry.start(
            new EmbeddedSchemaRegistry.Options(kafka.bootstrapServers())
                .topic(prefix + "-schemas"));
    kafka.createTopic(topic("instances"), PARTITIONS, false);
    kafka.createTopic(topic("dlq"), 1, false);
    kafka.createTopic(topic("model-params"), 1, true);
    kafka.createTopic(topic("item-vectors"), 1, true);
    kafka.createTopic(topic("snapshots"), 1, true);
    kafka.createTopic(topic("model-sync"), 1, false);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    registry.close();
  }

  @Test
  void shouldTrainEveryInstanceExactlyOnceWhileTrainersJoinAndTheLeaderIsKilled() throws Exception {
    List<TrainingInstance> pool = TestInstances.generate(INSTANCES, 9);
    // Instances keep arriving (about 150/s) while trainers come and go, however slow the machine
    // is, and stop AFTER_KILL instances after the leader was killed.
    AtomicInteger sent = new AtomicInteger();
    CountDownLatch killed = new CountDownLatch(1);
    Thread feeder =
        new Thread(
            () -> {
              try {
                int stopAt = pool.size();
                for (int from = 0; from < stopAt; from += 30) {
                  int to = Math.min(stopAt, from + 30);
                  produce(pool.subList(from, to));
                  sent.set(to);
                  if (killed.getCount() == 0 && stopAt == pool.size()) {
                    stopAt = Math.min(pool.size(), to + AFTER_KILL);
                  }
                  TimeUnit.MILLISECONDS.sleep(200);
                }
              } catch (Exception e) {
                log.error("feeding instances failed", e);
              }
            },
            "feeder");
    // What serving sees throughout: the parameter log read as the stream app reads it.
    List<SnapshotManifest> served = new java.util.concurrent.CopyOnWriteArrayList<>();
    ParamLogReader servingReader =
        new ParamLogReader(
                kafka.bootstrapServers(),
                topic("model-params"),
                AvroSerdes.specific(ModelUpdate.class, serde(), false).deserializer(),
                new SnapshotAssembler(new ServingParams(), x -> served.add(x.manifest()), null))
            .start();
    feeder.start();
    Process a = spawn("a");
    Process b = spawn("b");
    SnapshotManifest shared = awaitManifest(m -> shares(m, "a", "b"), "a merge of a and b");
    log.info("two trainers: {}", shared.getTrainers());

    Process c = spawn("c");
    shared = awaitManifest(m -> shares(m, "a", "b", "c"), "a merge of all three");
    log.info("three trainers: {}", shared.getTrainers());
    assertThat(feeder.isAlive()).as("instances still arriving when the leader goes").isTrue();

    // a leads (smallest instance id): SIGKILL, maybe mid-transaction; b takes the lead.
    a.destroyForcibly();
    assertThat(a.waitFor(30, TimeUnit.SECONDS)).isTrue();
    log.info("killed the leader a");
    killed.countDown();
    feeder.join();
    List<TrainingInstance> all = pool.subList(0, sent.get());
    log.info("{} instances sent", all.size());
    awaitManifest(m -> m.getInstancesApplied() >= all.size(), "the end");
    // Give a late duplicate the chance to show up before counting.
    TimeUnit.SECONDS.sleep(3);
    assertThat(b.isAlive()).isTrue();
    assertThat(c.isAlive()).isTrue();

    List<SnapshotManifest> manifests = manifests();
    SnapshotManifest last = manifests.get(manifests.size() - 1);
    assertThat(last.getInstancesApplied()).isEqualTo(all.size());
    for (int i = 1; i < manifests.size(); i++) {
      SnapshotManifest m = manifests.get(i);
      assertThat(m.getPreviousVersion()).isEqualTo(manifests.get(i - 1).getVersion());
      assertThat(m.getInstancesApplied())
          .isGreaterThanOrEqualTo(manifests.get(i - 1).getInstancesApplied());
      assertThat(!m.getBatchSizes().isEmpty() || m.getSyncTo() > m.getSyncFrom())
          .as("version %d holds training or merges", m.getVersion())
          .isTrue();
      if (m.getSyncFrom() >= 0) {
        assertThat(m.getSyncFrom()).as("merges chain").isEqualTo(manifests.get(i - 1).getSyncTo());
      }
    }
    assertThat(last.getTrainers().stream().mapToLong(TrainerShare::getInstances).sum())
        .as("the manifest's shares add up")
        .isEqualTo(all.size());
    assertThat(last.getTrainers().stream().map(TrainerShare::getTrainer)).contains("a", "b", "c");

    // Independently of the trainers' counters: the leaders' own batches plus the contributions of
    // the others that committed are every instance, once.
    long leaderBatches =
        manifests.stream()
            .flatMap(m -> m.getBatchSizes().stream())
            .mapToLong(Integer::longValue)
            .sum();
    List<Committed> contributions = contributions();
    long contributed =
        contributions.stream()
            .filter(x -> x.value().getLeaderVersion() == null)
            .mapToLong(x -> x.value().getInstances())
            .sum();
    log.info(
        "{} instances: {} in leaders' batches, {} in {} contributions",
        all.size(),
        leaderBatches,
        contributed,
        contributions.size());
    assertThat(leaderBatches + contributed).isEqualTo(all.size());
    assertThat(contributed).as("the followers trained too").isPositive();
    long lastFollowerOffset =
        contributions.stream()
            .filter(x -> x.value().getLeaderVersion() == null)
            .mapToLong(Committed::offset)
            .max()
            .orElseThrow();
    assertThat(last.getSyncTo()).as("every contribution merged").isGreaterThan(lastFollowerOffset);

    // Every record of every partition in exactly one committed place: a leader's manifest or a
    // follower's contribution; no offset twice, none skipped.
    Map<Integer, List<long[]>> segments = new HashMap<>();
    for (SnapshotManifest m : manifests) {
      m.getInputSegments()
          .forEach(
              g ->
                  segments
                      .computeIfAbsent(g.getPartition(), p -> new ArrayList<>())
                      .add(new long[] {g.getFromOffset(), g.getToOffset()}));
    }
    for (Committed x : contributions) {
      x.value()
          .getInputSegments()
          .forEach(
              g ->
                  segments
                      .computeIfAbsent(g.getPartition(), p -> new ArrayList<>())
                      .add(new long[] {g.getFromOffset(), g.getToOffset()}));
    }
    assertThat(segments.keySet()).hasSize(PARTITIONS);
    Map<Integer, Long> covered = new HashMap<>();
    segments.forEach(
        (p, list) -> {
          list.sort((x, y) -> Long.compare(x[0], y[0]));
          long next = 0;
          for (long[] g : list) {
            assertThat(g[0]).as("partition %d: segment after %d", p, next).isEqualTo(next);
            next = g[1];
          }
          covered.put(p, next);
        });

    // Every partition consumed to its end by the group, nothing left over.
    Map<TopicPartition, Long> ends;
    Map<TopicPartition, OffsetAndMetadata> committed;
    try (Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
        KafkaConsumer<String, byte[]> probe = rawConsumer()) {
      List<TopicPartition> tps = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        tps.add(new TopicPartition(topic("instances"), p));
      }
      ends = probe.endOffsets(tps);
      committed =
          admin
              .listConsumerGroupOffsets(prefix + "-group")
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
    }
    ends.forEach(
        (tp, end) -> {
          assertThat(committed.get(tp).offset()).as(tp.toString()).isEqualTo(end);
          assertThat(covered.get(tp.partition())).as("trained %s", tp).isEqualTo(end);
        });

    // Serving applied complete snapshots only, each the successor of the one before.
    servingReader.close();
    assertThat(servingReader.badRecords()).isZero();
    assertThat(served).isNotEmpty();
    for (int i = 1; i < served.size(); i++) {
      assertThat(served.get(i).getPreviousVersion())
          .as("served after v%d", served.get(i - 1).getVersion())
          .isEqualTo(served.get(i - 1).getVersion());
      assertThat(served.get(i).getInstancesApplied())
          .isGreaterThanOrEqualTo(served.get(i - 1).getInstancesApplied());
    }

    // What serving reads: the newest complete snapshot, with all three trainers' items in it.
    ServingParams newest = read();
    assertThat(newest.manifest().getVersion()).isEqualTo(last.getVersion());
    assertThat(newest.items()).isNotEmpty();
  }

  private static boolean shares(SnapshotManifest m, String... trainers) {
    return m.getTrainers().stream()
        .filter(t -> t.getInstances() > 0)
        .map(TrainerShare::getTrainer)
        .toList()
        .containsAll(List.of(trainers));
  }

  private Map<String, Object> config(String instance) {
    Map<String, Object> c = new HashMap<>(TestInstances.smallModel());
    c.put(TrainerConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    c.put(TrainerConfig.SCHEMA_REGISTRY_URL, registry.url());
    c.put(TrainerConfig.GROUP_ID, prefix + "-group");
    c.put(TrainerConfig.TRANSACTIONAL_ID, prefix + "-trainer");
    c.put(TrainerConfig.INSTANCE_ID, instance);
    c.put(TrainerConfig.TOPIC_TRAINING_INSTANCES, topic("instances"));
    c.put(TrainerConfig.TOPIC_INSTANCES_DLQ, topic("dlq"));
    c.put(TrainerConfig.TOPIC_MODEL_PARAMS, topic("model-params"));
    c.put(TrainerConfig.TOPIC_ITEM_VECTORS, topic("item-vectors"));
    c.put(TrainerConfig.TOPIC_SNAPSHOTS, topic("snapshots"));
    c.put(TrainerConfig.TOPIC_MODEL_SYNC, topic("model-sync"));
    c.put(TrainerConfig.BATCH_SIZE, "16");
    c.put(TrainerConfig.BATCH_MAX_WAIT_MS, "100");
    c.put(TrainerConfig.PUBLISH_INTERVAL_MS, "300");
    c.put(TrainerConfig.CHECKPOINT_DIR, dir.resolve("ckpt-" + instance).toString());
    // A killed trainer is noticed within seconds, and its open transaction aborted as fast.
    c.put("session.timeout.ms", "6000");
    c.put("heartbeat.interval.ms", "1000");
    c.put("transaction.timeout.ms", "5000");
    return c;
  }

  private String topic(String name) {
    return prefix + "-" + name;
  }

  private Process spawn(String instance) throws Exception {
    File out = dir.resolve("trainer-" + instance + ".log").toFile();
    log.info("starting trainer {} (log {})", instance, out);
    Process p = TrainerProcesses.spawn(config(instance), "512m", out);
    processes.add(p);
    return p;
  }

  private SnapshotManifest awaitManifest(Predicate<SnapshotManifest> done, String what)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      List<SnapshotManifest> ms = manifests();
      for (SnapshotManifest m : ms) {
        if (done.test(m)) {
          return m;
        }
      }
      long alive = processes.stream().filter(Process::isAlive).count();
      if (alive == 0) {
        throw new AssertionError("no trainer process is alive; see logs in " + dir);
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError("no snapshot reached " + what + " within 180 s; logs in " + dir);
  }

  private Map<String, Object> serde() {
    return Map.of("schema.registry.url", registry.url());
  }

  private void produce(List<TrainingInstance> instances) {
    TrainerProcesses.produce(kafka, registry.url(), topic("instances"), instances);
  }

  private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
    return TrainerProcesses.readCommitted(kafka, topic);
  }

  private KafkaConsumer<String, byte[]> rawConsumer() {
    return new KafkaConsumer<>(
        kafka.consumerConfig(KafkaCluster.uniqueName("r")),
        new StringDeserializer(),
        new ByteArrayDeserializer());
  }

  private List<SnapshotManifest> manifests() {
    Serde<SnapshotManifest> serde = AvroSerdes.specific(SnapshotManifest.class, serde(), false);
    List<SnapshotManifest> out = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : readAll(topic("snapshots"))) {
      out.add(serde.deserializer().deserialize(r.topic(), r.value()));
    }
    out.sort((x, y) -> Long.compare(x.getVersion(), y.getVersion()));
    return out;
  }

  private record Committed(long offset, ModelContribution value) {}

  private List<Committed> contributions() {
    Serde<ModelContribution> serde = AvroSerdes.specific(ModelContribution.class, serde(), false);
    List<Committed> out = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : readAll(topic("model-sync"))) {
      out.add(new Committed(r.offset(), serde.deserializer().deserialize(r.topic(), r.value())));
    }
    return out;
  }

  private ServingParams read() throws Exception {
    return TrainerProcesses.servingParams(kafka, registry.url(), topic("model-params"));
  }
}
