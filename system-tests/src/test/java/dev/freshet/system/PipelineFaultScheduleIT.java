package dev.freshet.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.avro.InputSegment;
import dev.freshet.avro.SnapshotManifest;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.streams.StreamApp;
import dev.freshet.trainer.TrainerApp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline under a seeded schedule of faults, every component in a process of its own:
 * the embedded broker (restarted on its data directory), the embedded registry, up to three
 * stream-app instances with one application id, standby replicas and query servers, and the
 * trainer. A producer sends clicks with known event ids at a steady rate while the schedule
 * injects:
 *
 * <ul>
 *   <li>{@code KILL_STREAM_APP}: SIGKILL of an instance, restarted once its partitions have moved;
 *   <li>{@code ADD_INSTANCE}, {@code REMOVE_INSTANCE} (SIGTERM): rebalances, standby promotion;
 *   <li>{@code KILL_TRAINER}: SIGKILL of the trainer, restarted after 3 s of clicks;
 *   <li>{@code BROKER_RESTART}: SIGTERM of the broker (a clean stop), restarted at once on the same
 *       data;
 *   <li>{@code BROKER_CRASH}: SIGKILL of the broker, restarted at once; only with {@code
 *       -Dfaults.brokerCrash=true} (see docs/reliability.md: a crash can leave hanging
 *       transactions);
 *   <li>{@code REGISTRY_OUTAGE}: the registry is stopped; while it is away the trainer and one
 *       stream-app instance are killed and restarted, so both must start without it; it returns
 *       once both have met the outage.
 * </ul>
 *
 * <p>Each of the four kinds that are always possible comes once before any repeats, in an order the
 * seed picks; then kinds are drawn at random. After the run quiesces, read_committed readers check:
 * every click gave exactly one training instance and one recommendations record; no dead letters;
 * every instance answers every user's history, its own or forwarded, equal to an uninterrupted
 * run's; the trainer's snapshots chain, and their input segments cover every committed training
 * instance exactly once, with the newest counting them all; no stream thread died for good; a
 * stream app restarted after SIGKILL logged no ERROR.
 *
 * <p>{@code -Dfaults.seed=N} picks the schedule, {@code -Dfaults.count=N} its length (default 4),
 * {@code -Dfaults.only=KIND,...} restricts it to those kinds. It prints each fault with the longest
 * wait of a click sent while it was handled, the broker's restart time, and a summary.
 */
class PipelineFaultScheduleIT {

  private static final int PARTITIONS = 6;
  private static final int USERS = 120;
  private static final int RATE = 80;
  private static final int HISTORY = 20;
  private static final long T0 = Instant.now().minus(Duration.ofHours(1)).toEpochMilli();
  private static final String APP_ID = "faults-app";
  private static final String TRAINER_ID = "faults-trainer";

  /** What Kafka Streams logs at ERROR when a task fails and its thread is replaced. */
  private static final List<String> KAFKA_THREAD_REPLACEMENT =
      List.of(
          "Exception caught during message processing",
          "Processing exception handler is set to fail upon a processing error",
          "Failed to process stream task",
          "Replacing thread in the streams uncaught exception handler");

  /** The kinds of fault. */
  enum Fault {
    KILL_STREAM_APP,
    KILL_TRAINER,
    BROKER_RESTART,
    BROKER_CRASH,
    REGISTRY_OUTAGE,
    ADD_INSTANCE,
    REMOVE_INSTANCE
  }

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, JvmProcess> apps = new LinkedHashMap<>();
  private final Map<String, Integer> ports = new HashMap<>();

  private JvmProcess broker;
  private JvmProcess registry;
  private JvmProcess trainer;
  private String bootstrap;
  private String registryUrl;
  private Admin admin;
  private ClickStream clicks;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @BeforeEach
  void setUp() throws Exception {
    int brokerPort = FreePorts.belowEphemeralRange();
    int registryPort = FreePorts.belowEphemeralRange();
    bootstrap = "127.0.0.1:" + brokerPort;
    broker =
        new JvmProcess(
            "broker",
            ServiceMain.class,
            "768m",
            List.of(
                "broker",
                dir.resolve("kafka").toString(),
                Integer.toString(brokerPort),
                Integer.toString(FreePorts.belowEphemeralRange())),
            dir);
    broker.start();
    broker.awaitLine(ServiceMain.READY, 90);
    admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                30_000));
    List<NewTopic> topics = new ArrayList<>();
    for (String t :
        List.of(
            "clicks",
            "training-instances",
            "recommendations",
            "clicks-dlq",
            "training-instances-dlq")) {
      topics.add(new NewTopic(t, PARTITIONS, (short) 1).configs(Map.of("retention.ms", "-1")));
    }
    Map<String, String> compact =
        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    topics.add(new NewTopic("user-vectors", PARTITIONS, (short) 1).configs(compact));
    topics.add(new NewTopic("item-vectors", PARTITIONS, (short) 1).configs(compact));
    topics.add(new NewTopic("model-params", 1, (short) 1).configs(compact));
    topics.add(new NewTopic("snapshots", 1, (short) 1).configs(compact));
    admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
    registry =
        new JvmProcess(
            "registry",
            ServiceMain.class,
            "256m",
            List.of("registry", bootstrap, Integer.toString(registryPort)),
            dir);
    registry.start();
    registry.awaitLine(ServiceMain.READY, 60);
    registryUrl = "http://127.0.0.1:" + registryPort;
  }

  @AfterEach
  void tearDown() throws Exception {
    if (clicks != null) {
      clicks.close();
    }
    for (JvmProcess app : apps.values()) {
      app.stop();
    }
    if (trainer != null) {
      trainer.stop();
    }
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
    if (registry != null) {
      registry.stop();
    }
    if (broker != null) {
      broker.stop();
    }
  }

  @Test
  void shouldSurviveASeededScheduleOfFaultsWithEveryClickAnsweredAndTrainedExactlyOnce()
      throws Exception {
    long seed = Long.getLong("faults.seed", 1);
    int count = Integer.getInteger("faults.count", 4);
    Random rnd = new Random(seed);
    for (String name : List.of("a", "b", "c")) {
      ports.put(name, FreePorts.belowEphemeralRange());
    }
    startTrainer();
    start("a");
    start("b");
    awaitMembers(2);
    clicks = new ClickStream(bootstrap, producerConfig(), registryUrl, USERS, RATE, T0);
    clicks.read("recommendations", PARTITIONS, "training-instances", PARTITIONS);
    clicks.produce("clicks");
    await(() -> clicks.caughtUpWithin(Duration.ofSeconds(1)), "serving before the faults", 90);

    Map<Fault, Integer> byKind = new EnumMap<>(Fault.class);
    List<Long> waits = new ArrayList<>();
    List<Long> brokerStarts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<String> running = running();
      Fault fault = next(rnd, byKind, running);
      long at = System.nanoTime();
      String target = "";
      switch (fault) {
        case KILL_STREAM_APP -> {
          target = running.get(rnd.nextInt(running.size()));
          apps.get(target).kill();
          awaitMembers(running.size() - 1);
          await(() -> clicks.caughtUpWithin(Duration.ofSeconds(1)), "failover", 90);
          start(target);
          awaitMembers(running.size());
        }
        case ADD_INSTANCE -> {
          List<String> idle = new ArrayList<>(List.of("a", "b", "c"));
          idle.removeAll(running);
          target = idle.get(0);
          start(target);
          awaitMembers(running.size() + 1);
        }
        case REMOVE_INSTANCE -> {
          target = running.get(rnd.nextInt(running.size()));
          apps.get(target).stop();
          awaitMembers(running.size() - 1);
        }
        case KILL_TRAINER -> {
          target = "trainer";
          trainer.kill();
          long before = clicks.count();
          await(() -> clicks.count() >= before + 3L * RATE, "3 s of clicks without a trainer", 30);
          startTrainer();
        }
        case BROKER_RESTART, BROKER_CRASH -> {
          target = "broker";
          if (fault == Fault.BROKER_CRASH) {
            broker.kill();
          } else {
            broker.stop();
          }
          broker.start();
          String line = broker.awaitLine(ServiceMain.READY, 90);
          long ready = System.nanoTime() - broker.startedAt();
          brokerStarts.add(ready);
          System.out.printf(
              "broker %s: serving %d ms after its process started (%s); %d lines of"
                  + " 'Connection to node' in its log%n",
              fault == Fault.BROKER_CRASH ? "killed and restarted" : "restarted",
              ready / 1_000_000,
              line,
              broker.logLines("Connection to node").size());
          awaitMembers(running.size());
        }
        case REGISTRY_OUTAGE -> {
          target = running.get(rnd.nextInt(running.size()));
          registry.kill();
          trainer.kill();
          startTrainer();
          apps.get(target).kill();
          start(target);
          JvmProcess app = apps.get(target);
          await(
              () -> met(trainer) && met(app),
              "the restarted trainer and instance " + target + " meet the outage",
              90);
          registry.start();
          registry.awaitLine(ServiceMain.READY, 60);
          awaitMembers(running.size());
        }
      }
      await(() -> clicks.caughtUpWithin(Duration.ofSeconds(1)), fault + " recovered", 120);
      long done = System.nanoTime();
      await(() -> clicks.answeredBefore(done), "the fault's clicks answered", 90);
      long wait = clicks.longestWait(at, done, null);
      waits.add(wait);
      byKind.merge(fault, 1, Integer::sum);
      System.out.printf(
          "fault %d: %s %s; longest wait of a click %d ms; settled in %d ms; %d instances"
              + " running%n",
          i + 1, fault, target, wait / 1_000_000, (done - at) / 1_000_000, running().size());
      assertRestartLogged(fault, target);
    }
    clicks.stopProducing();
    await(clicks::allAnswered, "every click answered", 120);
    long sent = clicks.count();
    await(() -> clicks.instances().size() >= sent, "every click's training instance", 60);
    Map<Integer, List<Long>> instanceOffsets = committedOffsets("training-instances");
    long instanceRecords = instanceOffsets.values().stream().mapToLong(List::size).sum();
    await(
        () -> newestManifest().map(m -> m.getInstancesApplied() >= instanceRecords).orElse(false),
        "the trainer's newest snapshot counts every instance",
        120);

    long lostRecs = sent - clicks.recommended().size();
    long lostInstances = sent - clicks.instances().size();
    waits.sort(null);
    brokerStarts.sort(null);
    System.out.printf(
        "fault schedule (seed %d): faults %s; clicks %d; lost %d recommendations, %d instances;"
            + " duplicated %d recommendations, %d instances; longest wait per fault p50 %d ms,"
            + " max %d ms; broker serving after its start p50 %s ms, max %s ms%n",
        seed,
        byKind,
        sent,
        lostRecs,
        lostInstances,
        clicks.duplicatedRecommendations(),
        clicks.duplicatedInstances(),
        waits.get(waits.size() / 2) / 1_000_000,
        waits.get(waits.size() - 1) / 1_000_000,
        brokerStarts.isEmpty() ? "-" : brokerStarts.get(brokerStarts.size() / 2) / 1_000_000,
        brokerStarts.isEmpty() ? "-" : brokerStarts.get(brokerStarts.size() - 1) / 1_000_000);
    assertThat(lostRecs).as("clicks without a recommendations record").isZero();
    assertThat(lostInstances).as("clicks without a training instance").isZero();
    assertThat(clicks.duplicatedRecommendations()).isZero();
    assertThat(clicks.duplicatedInstances()).isZero();
    assertThat(instanceRecords).as("committed training-instances records").isEqualTo(sent);
    assertThat(committedOffsets("clicks-dlq").values()).allMatch(List::isEmpty);
    assertThat(committedOffsets("training-instances-dlq").values()).allMatch(List::isEmpty);
    assertSnapshotsCoverEveryInstanceOnce(instanceOffsets);
    assertHistoriesFromEveryInstance(sent);
    for (String name : running()) {
      assertThat(apps.get(name).logEntries("stream thread failed"))
          .as(name + ": no stream thread died")
          .isEmpty();
    }
    assertThat(trainer.isAlive()).as("the trainer runs").isTrue();
  }

  /**
   * The next fault: first each of the four kinds that are always possible, in an order the seed
   * picks, then any possible kind at random.
   */
  private static Fault next(Random rnd, Map<Fault, Integer> done, List<String> running) {
    String only = System.getProperty("faults.only", "");
    if (!only.isBlank()) {
      List<Fault> kinds = new ArrayList<>();
      for (String k : only.split(",")) {
        kinds.add(Fault.valueOf(k.trim()));
      }
      if (running.size() >= 3) {
        kinds.remove(Fault.ADD_INSTANCE);
      }
      if (running.size() <= 2) {
        kinds.remove(Fault.REMOVE_INSTANCE);
      }
      return kinds.get(rnd.nextInt(kinds.size()));
    }
    List<Fault> possible =
        new ArrayList<>(
            List.of(
                Fault.KILL_STREAM_APP,
                Fault.KILL_TRAINER,
                Fault.BROKER_RESTART,
                Fault.REGISTRY_OUTAGE));
    List<Fault> fresh = new ArrayList<>(possible);
    fresh.removeAll(done.keySet());
    if (!fresh.isEmpty()) {
      return fresh.get(rnd.nextInt(fresh.size()));
    }
    if (Boolean.getBoolean("faults.brokerCrash")) {
      possible.add(Fault.BROKER_CRASH);
    }
    if (running.size() < 3) {
      possible.add(Fault.ADD_INSTANCE);
    }
    if (running.size() > 2) {
      possible.add(Fault.REMOVE_INSTANCE);
    }
    return possible.get(rnd.nextInt(possible.size()));
  }

  /** True once {@code p}'s current run logged that the registry was unreachable. */
  private static boolean met(JvmProcess p) {
    try {
      return !p.logLines("schema registry unreachable").isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The log of an instance restarted by {@code fault}, up to now (later faults, such as a broker
   * restart, make Kafka Streams log errors of their own): after SIGKILL no ERROR; started while the
   * registry was away, only Kafka Streams' lines for a failed task and a replaced thread, and
   * Freshet's WARN naming the outage.
   */
  private void assertRestartLogged(Fault fault, String name) throws IOException {
    if (fault == Fault.KILL_STREAM_APP) {
      assertThat(apps.get(name).logEntries(" ERROR "))
          .as(name + " restarted after SIGKILL: errors")
          .isEmpty();
    } else if (fault == Fault.REGISTRY_OUTAGE) {
      assertThat(apps.get(name).logLines(" ERROR "))
          .as(name + " restarted during the registry outage: errors")
          .allMatch(l -> KAFKA_THREAD_REPLACEMENT.stream().anyMatch(l::contains));
      assertThat(apps.get(name).logLines("schema registry unreachable")).isNotEmpty();
    }
  }

  /**
   * The snapshots chain (each names the previous version), their input segments do not overlap,
   * cover every committed record of {@code training-instances} exactly once, and the newest counts
   * them all.
   */
  private void assertSnapshotsCoverEveryInstanceOnce(Map<Integer, List<Long>> offsets) {
    List<SnapshotManifest> manifests = manifests();
    assertThat(manifests).isNotEmpty();
    for (int i = 1; i < manifests.size(); i++) {
      assertThat(manifests.get(i).getPreviousVersion())
          .as("snapshot %d follows", manifests.get(i).getVersion())
          .isEqualTo(manifests.get(i - 1).getVersion());
    }
    Map<Integer, TreeMap<Long, Long>> covered = new HashMap<>();
    for (SnapshotManifest m : manifests) {
      for (InputSegment s : m.getInputSegments()) {
        TreeMap<Long, Long> ranges =
            covered.computeIfAbsent(s.getPartition(), p -> new TreeMap<>());
        Map.Entry<Long, Long> before = ranges.floorEntry(s.getToOffset() - 1);
        assertThat(before == null || before.getValue() <= s.getFromOffset())
            .as("segment %s of snapshot %d overlaps [%s)", s, m.getVersion(), before)
            .isTrue();
        ranges.put(s.getFromOffset(), s.getToOffset());
      }
    }
    long counted = 0;
    for (Map.Entry<Integer, List<Long>> e : offsets.entrySet()) {
      TreeMap<Long, Long> ranges = covered.getOrDefault(e.getKey(), new TreeMap<>());
      for (long offset : e.getValue()) {
        Map.Entry<Long, Long> r = ranges.floorEntry(offset);
        assertThat(r != null && offset < r.getValue())
            .as("training-instances-%d@%d is in a snapshot's input", e.getKey(), offset)
            .isTrue();
        counted++;
      }
    }
    assertThat(manifests.get(manifests.size() - 1).getInstancesApplied()).isEqualTo(counted);
  }

  /** Every running instance answers every user's history, equal to an uninterrupted run's. */
  private void assertHistoriesFromEveryInstance(long sent) throws Exception {
    Map<String, List<String>> expected = new HashMap<>();
    Map<String, Integer> total = new HashMap<>();
    for (long n = 0; n < sent; n++) {
      String user = clicks.user(n);
      List<String> h = expected.computeIfAbsent(user, u -> new ArrayList<>());
      h.add(ClickStream.video(n));
      if (h.size() > HISTORY) {
        h.remove(0);
      }
      total.merge(user, 1, Integer::sum);
    }
    for (String name : running()) {
      for (Map.Entry<String, List<String>> e : expected.entrySet()) {
        JsonNode h = history(name, e.getKey());
        List<String> videos = new ArrayList<>();
        h.get("clicks").forEach(c -> videos.add(c.get("videoId").asText()));
        assertThat(videos).as(name + " answers " + e.getKey()).isEqualTo(e.getValue());
        assertThat(h.get("totalClicks").asInt()).isEqualTo(total.get(e.getKey()));
      }
    }
  }

  private JsonNode history(String instance, String user) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + ports.get(instance) + "/users/" + user + "/history");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        return json.readTree(r.body());
      }
      assertThat(r.statusCode()).as(uri + " " + r.body()).isEqualTo(503);
      assertThat(System.nanoTime()).as(uri + " answers").isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  /** Offsets of the committed records of every partition of {@code topic}, read_committed. */
  private Map<Integer, List<Long>> committedOffsets(String topic) {
    Map<Integer, List<Long>> out = new TreeMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = readCommitted()) {
      List<TopicPartition> tps = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        tps.add(new TopicPartition(topic, p));
        out.put(p, new ArrayList<>());
      }
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> end = consumer.endOffsets(tps);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        assertThat(System.nanoTime()).as("read " + topic).isLessThan(deadline);
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          out.get(r.partition()).add(r.offset());
        }
      }
    }
    return out;
  }

  private List<SnapshotManifest> manifests() {
    var serde =
        AvroSerdes.specific(
            SnapshotManifest.class, Map.of("schema.registry.url", registryUrl), false);
    List<SnapshotManifest> out = new ArrayList<>();
    TopicPartition tp = new TopicPartition("snapshots", 0);
    try (KafkaConsumer<byte[], byte[]> c = readCommitted()) {
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (c.position(tp) < end) {
        assertThat(System.nanoTime()).as("read snapshots").isLessThan(deadline);
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
          if (r.value() != null) {
            out.add(serde.deserializer().deserialize("snapshots", r.value()));
          }
        }
      }
    }
    out.sort((x, y) -> Long.compare(x.getVersion(), y.getVersion()));
    return out;
  }

  private java.util.Optional<SnapshotManifest> newestManifest() {
    List<SnapshotManifest> all = manifests();
    return all.isEmpty()
        ? java.util.Optional.empty()
        : java.util.Optional.of(all.get(all.size() - 1));
  }

  private KafkaConsumer<byte[], byte[]> readCommitted() {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private Map<String, Object> producerConfig() {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return c;
  }

  private void startTrainer() throws IOException {
    if (trainer == null) {
      Map<String, String> c =
          ProcessSettings.trainer(bootstrap, registryUrl, TRAINER_ID, HISTORY, t -> t, dir);
      trainer = JvmProcess.withConfig("trainer", TrainerApp.class, "768m", c, dir);
    }
    trainer.start();
  }

  private void start(String name) throws IOException {
    JvmProcess p = apps.get(name);
    if (p == null) {
      Map<String, String> c =
          ProcessSettings.streamApp(
              bootstrap, registryUrl, APP_ID, name, ports.get(name), t -> t, dir);
      c.put("history.size", Integer.toString(HISTORY));
      c.put("dashboard.trainer.group", TRAINER_ID);
      p = JvmProcess.withConfig(name, StreamApp.class, "384m", c, dir);
      apps.put(name, p);
    }
    p.start();
  }

  private List<String> running() {
    List<String> out = new ArrayList<>();
    apps.forEach(
        (name, p) -> {
          if (p.isAlive()) {
            out.add(name);
          }
        });
    return out;
  }

  private void awaitMembers(int n) throws Exception {
    await(
        () -> {
          try {
            ConsumerGroupDescription g =
                admin
                    .describeConsumerGroups(List.of(APP_ID))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(APP_ID);
            List<MemberDescription> members = List.copyOf(g.members());
            // Every clicks partition is assigned. A member may have none of its own: an instance
            // whose state was wiped after SIGKILL warms up on standby tasks and gets active ones
            // at a later probing rebalance (Kafka Streams' high-availability assignor).
            long clicksAssigned =
                members.stream()
                    .flatMap(m -> m.assignment().topicPartitions().stream())
                    .filter(tp -> tp.topic().equals("clicks"))
                    .distinct()
                    .count();
            return g.groupState() == GroupState.STABLE
                && members.size() == n
                && clicksAssigned == PARTITIONS;
          } catch (Exception e) {
            return false;
          }
        },
        n + " members, every clicks partition assigned",
        120);
  }

  private void await(BooleanSupplier condition, String what, long seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }
}
