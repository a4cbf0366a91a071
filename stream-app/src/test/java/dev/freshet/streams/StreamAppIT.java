package dev.freshet.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.avro.ClickEvent;
import dev.freshet.avro.ClickedItem;
import dev.freshet.avro.ModelUpdate;
import dev.freshet.avro.RecommendationSource;
import dev.freshet.avro.Recommendations;
import dev.freshet.avro.SnapshotManifest;
import dev.freshet.avro.TrainingInstance;
import dev.freshet.avro.UserVector;
import dev.freshet.embedded.registry.EmbeddedSchemaRegistry;
import dev.freshet.model.CandidateModel;
import dev.freshet.paramlog.ModelConfigCodec;
import dev.freshet.paramlog.ParamKeys;
import dev.freshet.paramlog.ParamRecords;
import dev.freshet.paramlog.SnapshotDeltas;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.testkit.KafkaBrokerExtension;
import dev.freshet.testkit.KafkaCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The stream app on a real broker and registry: outputs per click, HTTP queries, state restore. */
@ExtendWith(KafkaBrokerExtension.class)
class StreamAppIT {

  private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();

  private final KafkaCluster kafka;
  private final String prefix = KafkaCluster.uniqueName("app");
  private EmbeddedSchemaRegistry registry;
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path state;

  StreamAppIT(KafkaCluster kafka) {
    this.kafka = kafka;
  }

  @BeforeEach
  void setUp() {
    registry =
        EmbeddedSchemaRegistry.start(
            new EmbeddedSchemaRegistry.Options(kafka.bootstrapServers())
                .topic(prefix + "-schemas"));
    AppTopics.create(kafka, prefix);
  }

  @AfterEach
  void tearDown() {
    registry.close();
  }

  @Test
  void shouldEmitInstancesVectorsAndRecommendationsAnswerQueriesAndRestoreHistory()
      throws Exception {
    publishModel(TestSnapshots.trained(12), 3);
    try (StreamApp app = StreamApp.start(new StreamAppConfig(config(state.resolve("one"))))) {
      awaitTrue(() -> app.model().version() == 3, "model version 3 served");
      for (int i = 0; i < 4; i++) {
        click("e" + i, "u1", "v" + i, i * 1000L);
      }
      click("e9", "u2", "v5", 500L);

      List<Recommendations> recs = read(t("recommendations"), Recommendations.class, 5);
      assertThat(recs).hasSize(5);
      assertThat(recs)
          .allSatisfy(
              r -> {
                assertThat(r.getSource()).isEqualTo(RecommendationSource.MODEL);
                assertThat(r.getModelVersion()).isEqualTo(3);
                assertThat(r.getItems()).isNotEmpty();
                assertThat(r.getComputedAt()).isAfterOrEqualTo(Instant.ofEpochMilli(T0));
              });
      assertThat(read(t("user-vectors"), UserVector.class, 5)).hasSize(5);
      assertThat(read(t("training-instances"), TrainingInstance.class, 5)).hasSize(5);

      int port = app.httpPort();
      HttpResponse<String> history = get(port, "/users/u1/history");
      assertThat(history.statusCode()).isEqualTo(200);
      assertThat(history.body())
          .contains("\"videoId\":\"v3\"")
          .contains("\"totalClicks\":4")
          .contains("\"lastRecommendedVersion\":3");
      HttpResponse<String> top = get(port, "/users/u1/recommendations?n=2");
      assertThat(top.statusCode()).isEqualTo(200);
      assertThat(top.body()).contains("\"modelVersion\":3");
      assertThat(get(port, "/users/u1/vector").body()).startsWith("{\"userId\":\"u1\"");
      assertThat(get(port, "/items/v1/similar?n=3").statusCode()).isEqualTo(200);
      assertThat(get(port, "/users/nobody/history").statusCode()).isEqualTo(404);
      HttpResponse<String> bad = get(port, "/users/u1/recommendations?n=abc");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("n must be an integer");
      assertThat(get(port, "/nope").statusCode()).isEqualTo(404);
      assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
      // Micrometer's Prometheus registry: Freshet's serving meters, Kafka Streams' metrics (incl.
      // Freshet's own sensors, group stream-freshet-metrics) and the JVM's, tagged by component.
      // The processors' sensors exist once the tasks run; the Kafka binder picks them up at its
      // next refresh (PrometheusMeters.KAFKA_REFRESH), so wait for them.
      awaitMetric(port, "kafka_stream_freshet_click_to_scored_latency_max\\{[^}]*\\} [0-9]");
      awaitMetric(
          port, "kafka_stream_freshet_prequential_not_judged\\{[^}]*version=\"all\"\\} [1-9]");
      awaitMetric(port, "kafka_stream_freshet_prequential_judged\\{[^}]*version=\"all\"\\} [0-9]");
      assertThat(get(port, "/metrics").body())
          .contains("freshet_serving_model_version{component=\"stream-app\"} 3.0")
          .contains("# HELP freshet_serving_model_version Model version being served")
          .containsPattern("freshet_index_searches_total\\{[^}]*\\} [1-9]")
          .contains("# TYPE freshet_index_searches_proven_exact_total counter")
          // The users of the clicks above had histories, so the tower looked up window items.
          .containsPattern("freshet_tower_cache_misses_total\\{[^}]*\\} [1-9]")
          .contains("# TYPE freshet_tower_cache_hits_total counter")
          .contains("kafka_stream_thread_")
          .containsPattern("jvm_memory_used_bytes\\{[^}]*component=\"stream-app\"");
    }

    // A fresh state directory: the history must come back from the changelog topic.
    try (StreamApp app = StreamApp.start(new StreamAppConfig(config(state.resolve("two"))))) {
      click("e4", "u1", "v4", 4000L);
      List<TrainingInstance> instances = read(t("training-instances"), TrainingInstance.class, 6);
      TrainingInstance last =
          instances.stream().filter(i -> i.getEventId().equals("e4")).findFirst().orElseThrow();
      assertThat(last.getHistory())
          .extracting(ClickedItem::getVideoId)
          .containsExactly("v0", "v1", "v2", "v3");
      // ... and with it the last list emitted for u1, against which e4 is judged
      Recommendations judged =
          read(t("recommendations"), Recommendations.class, 6).stream()
              .filter(r -> "e4".equals(r.getEventId()))
              .findFirst()
              .orElseThrow();
      assertThat(judged.getJudgement()).isNotNull();
      assertThat(judged.getJudgement().getModelVersion()).isEqualTo(3);
      assertThat(judged.getJudgement().getListSize()).isPositive();
      // The series of version 3 on this instance appears at the Kafka binder's next refresh.
      awaitMetric(
          app.httpPort(), "kafka_stream_freshet_prequential_judged\\{[^}]*version=\"3\"\\} 1\\.0");
      assertThat(app.streams().state().isRunningOrRebalancing()).isTrue();
    }
  }

  private Map<String, Object> config(Path stateDir) {
    Map<String, Object> c = new HashMap<>();
    c.put(StreamAppConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    c.put(StreamAppConfig.SCHEMA_REGISTRY_URL, registry.url());
    c.put(StreamAppConfig.APPLICATION_ID, prefix);
    c.put(StreamAppConfig.STATE_DIR, stateDir.toString());
    c.put(StreamAppConfig.TOPIC_CLICKS, t("clicks"));
    c.put(StreamAppConfig.TOPIC_CLICKS_DLQ, t("clicks-dlq"));
    c.put(StreamAppConfig.TOPIC_TRAINING_INSTANCES, t("training-instances"));
    c.put(StreamAppConfig.TOPIC_USER_VECTORS, t("user-vectors"));
    c.put(StreamAppConfig.TOPIC_RECOMMENDATIONS, t("recommendations"));
    c.put(StreamAppConfig.TOPIC_MODEL_PARAMS, t("model-params"));
    c.put(StreamAppConfig.HTTP_PORT, "0");
    c.put("commit.interval.ms", "100");
    c.put("consumer.auto.offset.reset", "earliest");
    return c;
  }

  private String t(String name) {
    return AppTopics.name(prefix, name);
  }

  private Map<String, Object> serde() {
    return Map.of("schema.registry.url", registry.url());
  }

  private void publishModel(CandidateModel model, long version) throws Exception {
    Serializer<ModelUpdate> s = AvroSerdes.specific(ModelUpdate.class, serde(), false).serializer();
    SnapshotDeltas d = SnapshotDeltas.of(model, model.drainChanges(), version, T0);
    SnapshotManifest m =
        SnapshotManifest.newBuilder()
            .setVersion(version)
            .setInstancesApplied(200)
            .setMaxItemNorm(1f)
            .setItemCount(model.itemVectors().size())
            .setModelConfig(ModelConfigCodec.toJson(model.config()))
            .setCreatedAt(Instant.ofEpochMilli(T0))
            .build();
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(
            kafka.producerConfig(), new StringSerializer(), new ByteArraySerializer())) {
      for (SnapshotDeltas.KeyedUpdate u : d.paramRecords()) {
        p.send(
            new ProducerRecord<>(
                t("model-params"),
                u.key(),
                u.value() == null ? null : s.serialize(t("model-params"), u.value())));
      }
      p.send(
              new ProducerRecord<>(
                  t("model-params"),
                  ParamKeys.MANIFEST,
                  s.serialize(t("model-params"), ParamRecords.manifest(m))))
          .get(30, TimeUnit.SECONDS);
    }
  }

  private void click(String eventId, String user, String video, long offsetMs) throws Exception {
    Serializer<ClickEvent> s = AvroSerdes.specific(ClickEvent.class, serde(), false).serializer();
    ClickEvent c =
        ClickEvent.newBuilder()
            .setEventId(eventId)
            .setUserId(user)
            .setVideoId(video)
            .setCategory("cat" + video.hashCode() % 3)
            .setTags(List.of("t1"))
            .setProvince("p")
            .setEventTime(Instant.ofEpochMilli(T0 + offsetMs))
            .build();
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(
            kafka.producerConfig(), new StringSerializer(), new ByteArraySerializer())) {
      p.send(
              new ProducerRecord<>(
                  t("clicks"), null, T0 + offsetMs, user, s.serialize(t("clicks"), c)))
          .get(30, TimeUnit.SECONDS);
    }
  }

  private <T extends org.apache.avro.specific.SpecificRecord> List<T> read(
      String topic, Class<T> type, int n) {
    Deserializer<T> d = AvroSerdes.specific(type, serde(), false).deserializer();
    List<T> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(
            kafka.consumerConfig(KafkaCluster.uniqueName("reader")),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (out.size() < n && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          out.add(d.deserialize(topic, r.value()));
        }
      }
    }
    return out;
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Waits (up to a minute) for {@code /metrics} to contain a match of {@code pattern}. */
  private void awaitMetric(int port, String pattern) throws Exception {
    java.util.regex.Pattern p = java.util.regex.Pattern.compile(pattern);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String body = get(port, "/metrics").body();
    while (!p.matcher(body).find()) {
      assertThat(System.nanoTime()).as("/metrics to show " + pattern).isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(200);
      body = get(port, "/metrics").body();
    }
  }

  private static void awaitTrue(Supplier<Boolean> condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }
}
