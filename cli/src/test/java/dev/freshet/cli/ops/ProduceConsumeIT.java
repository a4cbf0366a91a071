package dev.freshet.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.avro.RecommendationSource;
import dev.freshet.avro.Recommendations;
import dev.freshet.avro.ScoredItem;
import dev.freshet.embedded.registry.EmbeddedSchemaRegistry;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.testkit.KafkaBrokerExtension;
import dev.freshet.testkit.KafkaCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** produce → consume on a real broker and registry, for every input format, and DLQ printing. */
@ExtendWith(KafkaBrokerExtension.class)
class ProduceConsumeIT {

  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  private final KafkaCluster kafka;
  private EmbeddedSchemaRegistry registry;
  @TempDir Path dir;

  ProduceConsumeIT(KafkaCluster kafka) {
    this.kafka = kafka;
  }

  @BeforeEach
  void startRegistry() {
    registry =
        EmbeddedSchemaRegistry.start(
            new EmbeddedSchemaRegistry.Options(kafka.bootstrapServers())
                .topic(KafkaCluster.uniqueName("_schemas")));
  }

  @AfterEach
  void stopRegistry() {
    registry.close();
  }

  @Test
  void shouldProduceJsonLinesReportingBadLinesAndConsumeThem() throws Exception {
    String topic = KafkaCluster.uniqueName("clicks");
    kafka.createTopic(topic, 2, false);
    Path file =
        Files.writeString(
            dir.resolve("clicks.jsonl"),
            String.join(
                "\n",
                "{\"userId\":\"u1\",\"videoId\":\"m1\",\"eventTime\":\"2026-03-01T00:00:00Z\","
                    + "\"category\":\"drama\",\"tags\":[\"t1\"]}",
                "this is not json",
                "{\"userId\":\"u2\",\"videoId\":\"m2\",\"eventTime\":1772323201000,"
                    + "\"eventId\":\"given-id\"}",
                "{\"videoId\":\"m3\",\"eventTime\":1772323202000}",
                "",
                "{\"userId\":\"u1\",\"videoId\":\"m3\",\"eventTime\":1772323203000}"));

    OpsRun produced = produce(topic, "--jsonl", file.toString());

    assertThat(produced.exitCode()).as(produced.toString()).isZero();
    assertThat(produced.out()).contains("produced 3 clicks to " + topic).contains("2 bad input");
    assertThat(produced.err())
        .contains("clicks.jsonl:2: not JSON")
        .contains("clicks.jsonl:4: missing userId");
    List<ConsumerRecord<String, byte[]>> raw = readRaw(topic, 3);
    assertThat(raw)
        .extracting(r -> r.key() + "@" + r.timestamp())
        .containsExactlyInAnyOrder(
            "u1@" + T0.toEpochMilli(),
            "u2@" + (T0.toEpochMilli() + 1000),
            "u1@" + (T0.toEpochMilli() + 3000));

    OpsRun consumed = consume(topic, "3");
    assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
    assertThat(consumed.out())
        .contains("(ClickEvent)")
        .contains("key=\"u1\"  timestamp=2026-03-01T00:00:00Z")
        .contains("eventId: \"given-id\"")
        .contains("eventId: \"" + JsonClickParser.contentId("u1", "m1", T0.toEpochMilli()) + "\"")
        .contains("eventTime: 2026-03-01T00:00:03Z")
        .contains("category: \"drama\"");
    assertThat(consumed.err()).contains("3 records from " + topic);
  }

  @Test
  void shouldProduceReferenceTsvWithAssignedTimesAndMovieLensWithRatingTimes() throws Exception {
    String tsvTopic = KafkaCluster.uniqueName("clicks");
    kafka.createTopic(tsvTopic, 1, false);
    Path tsv =
        Files.writeString(
            dir.resolve("ref.tsv"),
            "u1\tp1\tc1\tv1:cat1:t1_t2;v2:cat2:NULL\tphone1\n"
                + "broken line\n"
                + "u2\tNULL\tNULL\tv1:cat1:t1\tNULL\n");

    OpsRun produced =
        produce(
            tsvTopic, "--tsv", tsv.toString(), "--base-time", T0.toString(), "--time-step", "1s");

    assertThat(produced.exitCode()).as(produced.toString()).isZero();
    assertThat(produced.out()).contains("produced 3 clicks").contains("1 bad input lines");
    assertThat(produced.err()).contains("ref.tsv:2:");
    OpsRun consumed = consume(tsvTopic, "3");
    assertThat(consumed.out())
        .contains("eventId: \"tsv:ref.tsv:0:0\"")
        .contains("eventId: \"tsv:ref.tsv:0:1\"")
        .contains("eventId: \"tsv:ref.tsv:1:0\"")
        .contains("key=\"u2\"  timestamp=2026-03-01T00:00:02Z")
        .contains("tags: [\"t1\", \"t2\"]")
        .contains("province: \"p1\"");

    String mlTopic = KafkaCluster.uniqueName("clicks");
    kafka.createTopic(mlTopic, 1, false);
    Path ml = Files.createDirectory(dir.resolve("ml"));
    Files.writeString(
        ml.resolve("movies.csv"),
        "movieId,title,genres\n1,Toy Story (1995),Adventure|Animation\n2,\"Heat, The\",Action\n");
    Files.writeString(
        ml.resolve("ratings.csv"),
        "userId,movieId,rating,timestamp\n7,1,4.0,1772323200\n7,2,3.5,1772323260\noops\n");
    OpsRun mlRun = produce(mlTopic, "--movielens", ml.toString(), "--rate", "100/s");
    assertThat(mlRun.exitCode()).as(mlRun.toString()).isZero();
    assertThat(mlRun.out()).contains("produced 2 clicks").contains("1 bad input lines");
    OpsRun mlOut = consume(mlTopic, "2");
    assertThat(mlOut.out())
        .contains("key=\"7\"  timestamp=2026-03-01T00:00:00Z")
        .contains("key=\"7\"  timestamp=2026-03-01T00:01:00Z")
        .contains("videoId: \"2\"")
        .contains("category: \"Adventure\"");

    String live = KafkaCluster.uniqueName("clicks");
    kafka.createTopic(live, 1, false);
    long before = System.currentTimeMillis();
    OpsRun restamped = produce(live, "--movielens", ml.toString(), "--restamp");
    long after = System.currentTimeMillis();
    assertThat(restamped.exitCode()).as(restamped.toString()).isZero();
    assertThat(readRaw(live, 2))
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.timestamp()).isBetween(before, after));
  }

  @Test
  void shouldPrettyPrintDeadLettersAndAvroOutputs() throws Exception {
    String dlq = KafkaCluster.uniqueName("clicks") + "-dlq";
    kafka.createTopic(dlq, 1, false);
    RecordHeaders h = new RecordHeaders();
    h.add("freshet.dlq.reason", utf8("UNDESERIALIZABLE"));
    h.add("freshet.dlq.detail", utf8("no magic byte"));
    h.add("freshet.dlq.source.topic", utf8("clicks"));
    h.add("freshet.dlq.source.partition", utf8("0"));
    h.add("freshet.dlq.source.offset", utf8("12"));
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            kafka.producerConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
      p.send(new ProducerRecord<>(dlq, 0, 1L, utf8("u9"), utf8("{\"userId\":\"u9\"}"), h)).get();
    }
    OpsRun dead = consume(dlq, "1");
    assertThat(dead.exitCode()).as(dead.toString()).isZero();
    assertThat(dead.out())
        .contains("reason: UNDESERIALIZABLE")
        .contains("detail: no magic byte")
        .contains("source: clicks[0]@12")
        .contains("value (15 bytes):")
        .contains("utf8: \"{\\\"userId\\\":\\\"u9\\\"}\"")
        .contains("0000  7b 22 75 73 65 72 49 64");

    String recs = KafkaCluster.uniqueName("recommendations");
    kafka.createTopic(recs, 1, false);
    try (Serializer<Recommendations> values =
            AvroSerdes.specific(
                    Recommendations.class, Map.of("schema.registry.url", registry.url()), false)
                .serializer();
        KafkaProducer<String, Recommendations> p =
            new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(), values)) {
      p.send(
              new ProducerRecord<>(
                  recs,
                  "u1",
                  Recommendations.newBuilder()
                      .setUserId("u1")
                      .setItems(
                          List.of(ScoredItem.newBuilder().setVideoId("m7").setScore(3f).build()))
                      .setSource(RecommendationSource.MODEL)
                      .setModelVersion(4)
                      .setEventTime(T0)
                      .setComputedAt(T0.plusMillis(12))
                      .setEventId("e1")
                      .build()))
          .get();
    }
    OpsRun printed = consume(recs, "1");
    assertThat(printed.out())
        .contains("(Recommendations)")
        .contains("0: {\"videoId\": \"m7\", \"score\": 3.0}")
        .contains("modelVersion: 4")
        .contains("computedAt: 2026-03-01T00:00:00.012Z");

    OpsRun missing = consume(KafkaCluster.uniqueName("nothing"), "1");
    assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(1);
    assertThat(missing.err()).contains("does not exist");
  }

  private OpsRun produce(String topic, String... source) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "produce",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--schema-registry-url",
                registry.url(),
                "--topic",
                topic));
    args.addAll(List.of(source));
    return OpsRun.run(args.toArray(String[]::new));
  }

  private OpsRun consume(String topic, String max) {
    return OpsRun.run(
        "consume",
        "--bootstrap-servers",
        kafka.bootstrapServers(),
        "--schema-registry-url",
        registry.url(),
        "--topic",
        topic,
        "--from-beginning",
        "--max",
        max,
        "--timeout",
        "20s");
  }

  private List<ConsumerRecord<String, byte[]>> readRaw(String topic, int n) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(
            kafka.consumerConfig(KafkaCluster.uniqueName("raw")),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < n && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
