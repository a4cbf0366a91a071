package dev.freshet.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.avro.ClickEvent;
import dev.freshet.avro.Recommendations;
import dev.freshet.embedded.kafka.EmbeddedKafkaBroker;
import dev.freshet.embedded.tls.SelfSignedTls;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.streams.StreamApp;
import dev.freshet.streams.StreamAppConfig;
import dev.freshet.trainer.OnlineTrainer;
import dev.freshet.trainer.TrainerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline on a secured broker (SASL_SSL, SCRAM-SHA-512, StandardAuthorizer), each component
 * with its own principal and only the ACLs of the table in docs/operations.md: clicks flow from a
 * producer through the stream app and the trainer back to the stream app and out to a consumer of
 * recommendations, and every write or read outside a principal's ACLs fails fast with a {@link
 * TopicAuthorizationException} (or the tool's clear error), not a hang.
 */
class LeastPrivilegeIT {

  private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  private static final String APP_ID = "freshet-stream-app";
  private static final String TRAINER_GROUP = "freshet-trainer";
  private static final String TRAINER_TXN = "freshet-trainer-txn";
  private static final Duration FORBIDDEN_WITHIN = Duration.ofSeconds(30);

  @TempDir Path dir;
  private EmbeddedKafkaBroker broker;
  private final String registry = "mock://" + UUID.randomUUID();
  private final ExecutorService executor = Executors.newCachedThreadPool();

  @BeforeEach
  void startSecuredBroker() throws Exception {
    broker =
        EmbeddedKafkaBroker.start(
            new EmbeddedKafkaBroker.Options()
                .dataDir(dir.resolve("kafka"))
                .secured(
                    new EmbeddedKafkaBroker.Security(
                        "admin",
                        "admin-secret",
                        SelfSignedTls.generate(dir.resolve("tls"), "tls-secret"))));
    for (String user :
        List.of("stream-app", "trainer", "click-producer", "recs-reader", "operator")) {
      broker.upsertScramUser(user, user + "-secret");
    }
    try (Admin admin = Admin.create(broker.adminProperties())) {
      List<NewTopic> topics = new ArrayList<>();
      for (String t :
          List.of(
              "clicks",
              "clicks-dlq",
              "training-instances",
              "training-instances-dlq",
              "recommendations",
              "user-vectors",
              "item-vectors",
              "snapshots",
              "model-sync")) {
        topics.add(new NewTopic(t, 1, (short) 1));
      }
      topics.add(
          new NewTopic("model-params", 1, (short) 1)
              .configs(
                  Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
      admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
      admin.createAcls(acls()).all().get(60, TimeUnit.SECONDS);
    }
  }

  @AfterEach
  void stopBroker() {
    executor.shutdownNow();
    if (broker != null) {
      broker.close();
    }
  }

  /** The ACL table of docs/operations.md, for the topic names of this test. */
  private static List<AclBinding> acls() {
    List<AclBinding> a = new ArrayList<>();
    // Stream app: reads clicks and the parameter log, writes its four outputs, owns its internal
    // topics (changelogs, repartition), its group and its transactional ids.
    allow(a, "stream-app", ResourceType.TOPIC, "clicks", AclOperation.READ);
    allow(a, "stream-app", ResourceType.TOPIC, "model-params", AclOperation.READ);
    for (String out :
        List.of("training-instances", "user-vectors", "recommendations", "clicks-dlq")) {
      allow(a, "stream-app", ResourceType.TOPIC, out, AclOperation.WRITE);
    }
    allowPrefixed(a, "stream-app", ResourceType.TOPIC, APP_ID + "-", AclOperation.ALL);
    allow(a, "stream-app", ResourceType.GROUP, APP_ID, AclOperation.READ);
    allowPrefixed(a, "stream-app", ResourceType.TRANSACTIONAL_ID, APP_ID + "-", AclOperation.WRITE);
    allow(a, "stream-app", ResourceType.CLUSTER, "kafka-cluster", AclOperation.IDEMPOTENT_WRITE);
    // Trainer: reads instances, writes (and on recovery reads back) what it publishes.
    allow(a, "trainer", ResourceType.TOPIC, "training-instances", AclOperation.READ);
    for (String out :
        List.of(
            "model-params", "item-vectors", "snapshots", "training-instances-dlq", "model-sync")) {
      allow(a, "trainer", ResourceType.TOPIC, out, AclOperation.WRITE);
      allow(a, "trainer", ResourceType.TOPIC, out, AclOperation.READ);
    }
    allow(a, "trainer", ResourceType.GROUP, TRAINER_GROUP, AclOperation.READ);
    allow(a, "trainer", ResourceType.TRANSACTIONAL_ID, TRAINER_TXN, AclOperation.WRITE);
    allow(a, "trainer", ResourceType.CLUSTER, "kafka-cluster", AclOperation.IDEMPOTENT_WRITE);
    // A click producer writes clicks; a consumer of recommendations reads them in its own groups.
    allow(a, "click-producer", ResourceType.TOPIC, "clicks", AclOperation.WRITE);
    allow(
        a, "click-producer", ResourceType.CLUSTER, "kafka-cluster", AclOperation.IDEMPOTENT_WRITE);
    allow(a, "recs-reader", ResourceType.TOPIC, "recommendations", AclOperation.READ);
    allowPrefixed(a, "recs-reader", ResourceType.GROUP, "recs-reader-", AclOperation.READ);
    // An operator inspecting dead letters with `freshet consume` (no group: it assigns).
    allow(a, "operator", ResourceType.TOPIC, "clicks-dlq", AclOperation.READ);
    allow(a, "operator", ResourceType.TOPIC, "training-instances-dlq", AclOperation.READ);
    return a;
  }

  private static void allow(
      List<AclBinding> a, String user, ResourceType type, String name, AclOperation op) {
    a.add(
        new AclBinding(
            new ResourcePattern(type, name, PatternType.LITERAL),
            new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW)));
  }

  private static void allowPrefixed(
      List<AclBinding> a, String user, ResourceType type, String prefix, AclOperation op) {
    a.add(
        new AclBinding(
            new ResourcePattern(type, prefix, PatternType.PREFIXED),
            new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW)));
  }

  @Test
  void shouldRunThePipelineWithOwnPrincipalsAndRefuseEveryWriteAndReadOutsideTheirAcls()
      throws Exception {
    OnlineTrainer trainer = new OnlineTrainer(new TrainerConfig(trainerConfig()));
    try (StreamApp app = StreamApp.start(new StreamAppConfig(streamAppConfig()));
        trainer) {
      executor.submit(trainer::run);
      Set<String> sent = produceClicks(60);

      Set<String> served = new HashSet<>();
      Deserializer<Recommendations> rd =
          AvroSerdes.specific(Recommendations.class, Map.of("schema.registry.url", registry), false)
              .deserializer();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      try (KafkaConsumer<byte[], byte[]> c = consumer("recs-reader", "recs-reader-1")) {
        c.subscribe(List.of("recommendations"));
        while (!served.containsAll(sent) && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
            served.add(rd.deserialize("recommendations", r.value()).getEventId());
          }
        }
      }
      assertThat(served).containsAll(sent);
      awaitTrue(() -> app.model().version() >= 1, "the trainer's snapshot served by the app");

      // The stream app cannot write the parameter log.
      assertWriteRefused("stream-app", "model-params");
      // The trainer cannot write recommendations (nor clicks).
      assertWriteRefused("trainer", "recommendations");
      assertWriteRefused("trainer", "clicks");
      // A consumer of recommendations can read nothing else.
      for (String topic : List.of("clicks", "model-params", "training-instances", "clicks-dlq")) {
        assertReadRefused("recs-reader", "recs-reader-2", topic);
      }
      // ... and not even recommendations in a group that is not its own.
      long t0 = System.nanoTime();
      try (KafkaConsumer<byte[], byte[]> c = consumer("recs-reader", "someone-elses-group")) {
        c.subscribe(List.of("recommendations"));
        assertThatThrownBy(() -> pollUntilError(c))
            .isInstanceOf(org.apache.kafka.common.errors.GroupAuthorizationException.class)
            .hasMessageContaining("someone-elses-group");
      }
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(FORBIDDEN_WITHIN);

      // The operator tool reads dead letters, and is refused the parameter log with a clear error.
      OpsRun dlq = consume("clicks-dlq");
      assertThat(dlq.exitCode()).as(dlq.toString()).isZero();
      OpsRun refused = consume("model-params");
      assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
      assertThat(refused.err()).contains("Not authorized to access topics: [model-params]");

      assertThat(app.streams().state().isRunningOrRebalancing()).isTrue();
    }
  }

  private OpsRun consume(String topic) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "consume",
                "--bootstrap-servers",
                broker.bootstrapServers(),
                "--schema-registry-url",
                registry,
                "--topic",
                topic,
                "--from-beginning",
                "--timeout",
                "PT3S"));
    broker
        .clientProperties("operator", "operator-secret")
        .forEach(
            (k, v) -> {
              if (!k.equals("bootstrap.servers")) {
                args.add("-X");
                args.add(k + "=" + v);
              }
            });
    long t0 = System.nanoTime();
    OpsRun run = OpsRun.run(args.toArray(String[]::new));
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .isLessThan(FORBIDDEN_WITHIN.plusSeconds(10));
    return run;
  }

  private void assertWriteRefused(String user, String topic) {
    Map<String, Object> c = new HashMap<>(broker.clientProperties(user, user + "-secret"));
    c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
    c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
    c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    long t0 = System.nanoTime();
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(c, new StringSerializer(), new ByteArraySerializer())) {
      assertThatThrownBy(
              () ->
                  p.send(new ProducerRecord<>(topic, "k", new byte[] {1}))
                      .get(30, TimeUnit.SECONDS))
          .as("%s writing %s", user, topic)
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(TopicAuthorizationException.class)
          .hasMessageContaining(topic);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(FORBIDDEN_WITHIN);
  }

  private void assertReadRefused(String user, String group, String topic) {
    long t0 = System.nanoTime();
    try (KafkaConsumer<byte[], byte[]> c = consumer(user, group)) {
      c.subscribe(List.of(topic));
      assertThatThrownBy(() -> pollUntilError(c))
          .as("%s reading %s", user, topic)
          .isInstanceOf(TopicAuthorizationException.class)
          .hasMessageContaining(topic);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(FORBIDDEN_WITHIN);
  }

  /** Polls until the consumer throws; fails the test if it has not within the deadline. */
  private static void pollUntilError(KafkaConsumer<byte[], byte[]> c) {
    long deadline = System.nanoTime() + FORBIDDEN_WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      c.poll(Duration.ofMillis(200));
    }
    throw new AssertionError("no error within " + FORBIDDEN_WITHIN);
  }

  private KafkaConsumer<byte[], byte[]> consumer(String user, String group) {
    Map<String, Object> c = new HashMap<>(broker.clientProperties(user, user + "-secret"));
    c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private Set<String> produceClicks(int n) throws Exception {
    Serializer<ClickEvent> s =
        AvroSerdes.specific(ClickEvent.class, Map.of("schema.registry.url", registry), false)
            .serializer();
    Set<String> ids = new HashSet<>();
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(
            broker.clientProperties("click-producer", "click-producer-secret"),
            new StringSerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < n; i++) {
        String user = "u" + (i % 6);
        ClickEvent click =
            ClickEvent.newBuilder()
                .setEventId("e" + i)
                .setUserId(user)
                .setVideoId("v" + (i % 5))
                .setCategory("c" + (i % 2))
                .setTags(List.of("t" + (i % 3)))
                .setEventTime(Instant.ofEpochMilli(T0 + i * 1000L))
                .build();
        p.send(
                new ProducerRecord<>(
                    "clicks", null, T0 + i * 1000L, user, s.serialize("clicks", click)))
            .get(30, TimeUnit.SECONDS);
        ids.add("e" + i);
      }
    }
    return ids;
  }

  private Map<String, Object> streamAppConfig() {
    Map<String, Object> c =
        new HashMap<>(broker.clientProperties("stream-app", "stream-app-secret"));
    c.put(StreamAppConfig.SCHEMA_REGISTRY_URL, registry);
    c.put(StreamAppConfig.APPLICATION_ID, APP_ID);
    c.put(StreamAppConfig.STATE_DIR, dir.resolve("state").toString());
    c.put(StreamAppConfig.HTTP_PORT, "-1");
    c.put("commit.interval.ms", "100");
    c.put("consumer.auto.offset.reset", "earliest");
    return c;
  }

  private Map<String, Object> trainerConfig() {
    Map<String, Object> c = new HashMap<>(broker.clientProperties("trainer", "trainer-secret"));
    c.put(TrainerConfig.SCHEMA_REGISTRY_URL, registry);
    c.put(TrainerConfig.GROUP_ID, TRAINER_GROUP);
    c.put(TrainerConfig.TRANSACTIONAL_ID, TRAINER_TXN);
    c.put(TrainerConfig.CHECKPOINT_DIR, dir.resolve("checkpoints").toString());
    c.put(TrainerConfig.HTTP_PORT, "-1");
    c.put(TrainerConfig.BATCH_SIZE, "16");
    c.put(TrainerConfig.PUBLISH_INTERVAL_MS, "500");
    c.put("model.userDim", "4");
    c.put("model.provinceDim", "2");
    c.put("model.cityDim", "2");
    c.put("model.phoneDim", "2");
    c.put("model.itemDim", "5"); // tied to the output rows: as wide as u
    c.put("model.categoryDim", "2");
    c.put("model.tagDim", "4");
    c.put("model.lstmHidden", "6");
    c.put("model.hiddenDim", "8");
    c.put("model.userVectorDim", "5");
    c.put("model.maxWindow", "5");
    c.put("model.featAppearLimit", "1");
    c.put("model.numNegatives", "3");
    return c;
  }

  private static void awaitTrue(BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }
}
