package dev.freshet.streams.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.avro.ClickEvent;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.serde.KafkaAvroDeserializer;
import dev.freshet.serde.KafkaAvroSerializer;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The foundation's end-to-end check, shared by the in-process and the container variant: Avro
 * clicks produced through the registry serializer, passed through a Kafka Streams app with the
 * registry serde, consumed back through the deserializer, equal to what was sent.
 */
final class AvroClickRoundTrip {

  private AvroClickRoundTrip() {}

  static void run(String bootstrap, String registryUrl) throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String in = "rt-clicks-" + suffix;
    String out = "rt-clicks-out-" + suffix;
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(List.of(new NewTopic(in, 2, (short) 1), new NewTopic(out, 2, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
    Map<String, Object> serdeConfig = Map.of("schema.registry.url", registryUrl);
    List<ClickEvent> sent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sent.add(
          ClickEvent.newBuilder()
              .setEventId("e" + i)
              .setUserId("u" + (i % 4))
              .setVideoId("v" + i)
              .setCategory(i % 2 == 0 ? "drama" : null)
              .setTags(List.of("t" + i, "shared"))
              .setProvince("p")
              .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + i))
              .build());
    }
    Map<String, Object> p = new HashMap<>(serdeConfig);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaAvroSerializer values = new KafkaAvroSerializer();
        KafkaProducer<String, Object> producer =
            new KafkaProducer<>(p, new StringSerializer(), configure(values, serdeConfig))) {
      for (ClickEvent c : sent) {
        producer.send(new ProducerRecord<>(in, c.getUserId(), c)).get(30, TimeUnit.SECONDS);
      }
    }

    Serde<ClickEvent> clickSerde = AvroSerdes.specific(ClickEvent.class, serdeConfig, false);
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(in, Consumed.with(Serdes.String(), clickSerde))
        .mapValues(c -> ClickEvent.newBuilder(c).setVideoId(c.getVideoId() + "!").build())
        .to(out, Produced.with(Serdes.String(), clickSerde));
    Properties sp = new Properties();
    sp.put(StreamsConfig.APPLICATION_ID_CONFIG, "rt-" + suffix);
    sp.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    sp.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("rt-streams").toString());
    sp.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    List<ClickEvent> received = new ArrayList<>();
    try (KafkaStreams streams = new KafkaStreams(builder.build(), sp)) {
      streams.start();
      Map<String, Object> c = new HashMap<>(serdeConfig);
      c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      c.put(ConsumerConfig.GROUP_ID_CONFIG, "rt-reader-" + suffix);
      c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      c.put("specific.avro.reader", true);
      try (KafkaAvroDeserializer values = new KafkaAvroDeserializer();
          KafkaConsumer<String, Object> consumer =
              new KafkaConsumer<>(c, new StringDeserializer(), configure(values, c))) {
        consumer.subscribe(List.of(out));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (received.size() < sent.size() && System.nanoTime() < deadline) {
          consumer.poll(Duration.ofMillis(200)).forEach(r -> received.add((ClickEvent) r.value()));
        }
      }
    }
    assertThat(received).hasSize(sent.size());
    assertThat(received)
        .extracting(ClickEvent::getVideoId)
        .containsExactlyInAnyOrderElementsOf(sent.stream().map(x -> x.getVideoId() + "!").toList());
    ClickEvent first =
        received.stream().filter(x -> x.getEventId().equals("e0")).findFirst().orElseThrow();
    assertThat(first.getTags()).containsExactly("t0", "shared");
    assertThat(first.getCategory()).isEqualTo("drama");
    assertThat(first.getEventTime()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
  }

  private static <T extends org.apache.kafka.common.serialization.Serializer<Object>> T configure(
      T s, Map<String, ?> config) {
    s.configure(config, false);
    return s;
  }

  private static <T extends org.apache.kafka.common.serialization.Deserializer<Object>> T configure(
      T d, Map<String, ?> config) {
    d.configure(config, false);
    return d;
  }
}
