package dev.freshet.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.avro.ClickEvent;
import dev.freshet.avro.ItemVector;
import dev.freshet.avro.Recommendations;
import dev.freshet.avro.TrainingInstance;
import dev.freshet.embedded.registry.EmbeddedSchemaRegistry;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.serde.DeadLetterHeaders;
import dev.freshet.testkit.KafkaBrokerExtension;
import dev.freshet.testkit.KafkaCluster;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile producer on a real broker and registry: a plain byte producer writes garbage, foreign
 * and unknown schema ids, truncated bodies, a huge field, a tombstone, control-character and bidi
 * ids, with good clicks (one with a null key) interleaved. Every record's fate is checked with
 * read_committed consumers: each bad one is in the dead-letter topic once with its reason and
 * source offset, each good one produced exactly one training instance and one recommendations
 * record, nothing is lost, and the stream thread is still running.
 */
@ExtendWith(KafkaBrokerExtension.class)
class HostileInputIT {

  private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();

  private final KafkaCluster kafka;
  private final String prefix = KafkaCluster.uniqueName("hostile");
  private EmbeddedSchemaRegistry registry;
  @TempDir Path state;

  HostileInputIT(KafkaCluster kafka) {
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

  /** One record sent to {@code clicks}: the expected dead-letter reason, or null if good. */
  private record Sent(String what, String reason, String detail, String goodEventId) {}

  @Test
  void shouldDeadLetterEveryHostileRecordWithItsReasonAndServeEveryGoodClickExactlyOnce()
      throws Exception {
    Serializer<ClickEvent> clicks =
        AvroSerdes.specific(ClickEvent.class, serde(), false).serializer();
    Serializer<ItemVector> foreign =
        AvroSerdes.specific(ItemVector.class, serde(), false).serializer();
    byte[] goodBody = clicks.serialize(t("clicks"), click("probe", "u-probe", "v1", 0));
    byte[] foreignBytes =
        foreign.serialize(
            t("item-vectors"),
            ItemVector.newBuilder()
                .setItemId("v1")
                .setVector(List.of(1f, 2f))
                .setModelVersion(1)
                .setUpdatedAt(Instant.ofEpochMilli(T0))
                .build());
    byte[] unknownId = goodBody.clone();
    ByteBuffer.wrap(unknownId, 1, 4).putInt(987_654);

    Map<String, Sent> byOffset = new TreeMap<>();
    try (KafkaProducer<byte[], byte[]> p = rawProducer();
        StreamApp app = startApp()) {
      int good = 0;
      for (int round = 0; round < 3; round++) {
        for (int u = 0; u < 3; u++) {
          String eventId = "good-" + round + "-" + u;
          String user = "user-" + u;
          byte[] key = u == 1 && round == 1 ? null : utf8(user);
          send(
              p,
              byOffset,
              key,
              clicks.serialize(t("clicks"), click(eventId, user, "v" + round, ++good * 1000L)),
              new Sent("good click " + eventId, null, null, eventId));
        }
        switch (round) {
          case 0 -> {
            send(
                p,
                byOffset,
                utf8("x"),
                utf8("definitely not avro"),
                new Sent("garbage", "UNDESERIALIZABLE", "WRONG_MAGIC_BYTE", null));
            send(
                p,
                byOffset,
                utf8("x"),
                unknownId,
                new Sent("unknown schema id", "UNDESERIALIZABLE", "UNKNOWN_SCHEMA_ID", null));
            send(
                p,
                byOffset,
                utf8("x"),
                foreignBytes,
                new Sent("foreign schema", "UNDESERIALIZABLE", "AVRO_DECODE_FAILED", null));
            send(
                p,
                byOffset,
                utf8("x"),
                Arrays.copyOf(goodBody, goodBody.length / 2),
                new Sent("truncated body", "UNDESERIALIZABLE", "TRUNCATED", null));
          }
          case 1 -> {
            send(
                p,
                byOffset,
                utf8("x"),
                null,
                new Sent("tombstone", "UNDESERIALIZABLE", "value is null (tombstone)", null));
            send(
                p,
                byOffset,
                null,
                new byte[0],
                new Sent("empty value, null key", "UNDESERIALIZABLE", "EMPTY", null));
            send(
                p,
                byOffset,
                utf8("x"),
                clicks.serialize(
                    t("clicks"), click("huge", "u-huge", "v".repeat(300_000), 100_000)),
                new Sent(
                    "huge field",
                    "INVALID_VALUE",
                    "videoId is 300000 chars, longer than max.id.length=256",
                    null));
          }
          default -> {
            send(
                p,
                byOffset,
                utf8("\u0000\u0007"),
                clicks.serialize(t("clicks"), click("ctl", "\u0000\u0007", "v1", 100_000)),
                new Sent(
                    "control-character user id",
                    "INVALID_VALUE",
                    "userId contains control character U+0000 at index 0",
                    null));
            send(
                p,
                byOffset,
                utf8("u"),
                clicks.serialize(t("clicks"), click("bidi", "u\u202Eevil", "v1", 100_000)),
                new Sent(
                    "bidi user id",
                    "INVALID_VALUE",
                    "userId contains bidirectional control U+202E at index 1",
                    null));
            send(
                p,
                byOffset,
                utf8("u"),
                clicks.serialize(t("clicks"), click("", "u", "v1", 100_000)),
                new Sent("empty event id", "MISSING_FIELD", "eventId is missing or empty", null));
          }
        }
      }

      Set<String> goodIds = new HashSet<>();
      int bad = 0;
      for (Sent s : byOffset.values()) {
        if (s.goodEventId() != null) {
          goodIds.add(s.goodEventId());
        } else {
          bad++;
        }
      }
      int expectedBad = bad;
      List<ConsumerRecord<byte[], byte[]>> dead =
          readUntil(t("clicks-dlq"), l -> l.size() >= expectedBad);
      Deserializer<TrainingInstance> ti =
          AvroSerdes.specific(TrainingInstance.class, serde(), false).deserializer();
      List<String> instances =
          eventIds(
              readUntil(t("training-instances"), l -> l.size() >= goodIds.size()),
              r -> ti.deserialize(t("training-instances"), r.value()).getEventId());
      Deserializer<Recommendations> rd =
          AvroSerdes.specific(Recommendations.class, serde(), false).deserializer();
      List<String> recommendations =
          eventIds(
              readUntil(t("recommendations"), l -> l.size() >= goodIds.size()),
              r -> rd.deserialize(t("recommendations"), r.value()).getEventId());

      assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
      assertThat(instances).containsExactlyInAnyOrderElementsOf(goodIds);
      assertThat(recommendations).containsExactlyInAnyOrderElementsOf(goodIds);
      assertThat(dead).hasSize(bad);
      Set<String> seen = new HashSet<>();
      for (ConsumerRecord<byte[], byte[]> d : dead) {
        String source =
            header(d, DeadLetterHeaders.SOURCE_PARTITION)
                + "@"
                + header(d, DeadLetterHeaders.SOURCE_OFFSET);
        Sent s = byOffset.get(source);
        assertThat(s).as("dead letter from %s", source).isNotNull();
        assertThat(s.goodEventId()).as(s.what()).isNull();
        assertThat(header(d, DeadLetterHeaders.REASON)).as(s.what()).isEqualTo(s.reason());
        assertThat(header(d, DeadLetterHeaders.DETAIL)).as(s.what()).contains(s.detail());
        assertThat(header(d, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(t("clicks"));
        assertThat(seen.add(source)).as("one dead letter for %s", s.what()).isTrue();
      }
    }
  }

  private void send(
      KafkaProducer<byte[], byte[]> p,
      Map<String, Sent> byOffset,
      byte[] key,
      byte[] value,
      Sent sent)
      throws Exception {
    // Bad records go to partition 0 (their keys would hash anywhere); good ones by key.
    Integer partition = sent.goodEventId() == null ? 0 : null;
    RecordMetadata m =
        p.send(new ProducerRecord<>(t("clicks"), partition, T0 + 100_000, key, value))
            .get(30, TimeUnit.SECONDS);
    byOffset.put(m.partition() + "@" + m.offset(), sent);
  }

  private static ClickEvent click(String eventId, String user, String video, long offsetMs) {
    return ClickEvent.newBuilder()
        .setEventId(eventId)
        .setUserId(user)
        .setVideoId(video)
        .setCategory("c1")
        .setTags(List.of("t1"))
        .setEventTime(Instant.ofEpochMilli(T0 + offsetMs))
        .build();
  }

  private KafkaProducer<byte[], byte[]> rawProducer() {
    Map<String, Object> c = new HashMap<>(kafka.producerConfig());
    c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 << 20);
    return new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private StreamApp startApp() throws java.io.IOException {
    Map<String, Object> c = new HashMap<>();
    c.put(StreamAppConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    c.put(StreamAppConfig.SCHEMA_REGISTRY_URL, registry.url());
    c.put(StreamAppConfig.APPLICATION_ID, prefix);
    c.put(StreamAppConfig.STATE_DIR, state.toString());
    c.put(StreamAppConfig.TOPIC_CLICKS, t("clicks"));
    c.put(StreamAppConfig.TOPIC_CLICKS_DLQ, t("clicks-dlq"));
    c.put(StreamAppConfig.TOPIC_TRAINING_INSTANCES, t("training-instances"));
    c.put(StreamAppConfig.TOPIC_USER_VECTORS, t("user-vectors"));
    c.put(StreamAppConfig.TOPIC_RECOMMENDATIONS, t("recommendations"));
    c.put(StreamAppConfig.TOPIC_MODEL_PARAMS, t("model-params"));
    c.put(StreamAppConfig.HTTP_PORT, "0");
    c.put("commit.interval.ms", "100");
    c.put("consumer.auto.offset.reset", "earliest");
    return StreamApp.start(new StreamAppConfig(c));
  }

  private List<ConsumerRecord<byte[], byte[]>> readUntil(
      String topic, java.util.function.Predicate<List<?>> done) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            kafka.consumerConfig(KafkaCluster.uniqueName("reader")),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (!done.test(out) && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      // One more poll: anything beyond the expected count (a duplicate) must show up too.
      c.poll(Duration.ofSeconds(1)).forEach(out::add);
    }
    return out;
  }

  private static List<String> eventIds(
      List<ConsumerRecord<byte[], byte[]>> records,
      Function<ConsumerRecord<byte[], byte[]>, String> id) {
    return records.stream().map(id).toList();
  }

  private static String header(ConsumerRecord<?, ?> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private Map<String, Object> serde() {
    return Map.of("schema.registry.url", registry.url());
  }

  private String t(String name) {
    return AppTopics.name(prefix, name);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
