package dev.freshet.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.freshet.avro.ClickEvent;
import dev.freshet.registry.CompatibilityLevel;
import dev.freshet.registry.RegistryException;
import dev.freshet.registry.SchemaMetadata;
import dev.freshet.registry.SchemaRegistryClient;
import dev.freshet.registry.SchemaRegistryClients;
import dev.freshet.serde.GenericAvroSerde;
import dev.freshet.serde.KafkaAvroSerializer;
import dev.freshet.serde.SpecificAvroSerde;
import dev.freshet.serde.WireFormatException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What Freshet relies on from a Confluent-compatible schema registry, run against each registry we
 * support: a real third-party one (Apicurio, or any given by {@code -Dschema.registry.url}),
 * Freshet's embedded registry and the {@code mock://} registry. Every test uses fresh subjects, so
 * the registry may be shared and long-lived.
 */
abstract class RegistryContract {

  /** ClickEvent as an early producer had it: only the required fields. */
  static final Schema CLICK_V0 =
      SchemaBuilder.record("ClickEvent")
          .namespace("dev.freshet.avro")
          .fields()
          .requiredString("eventId")
          .requiredString("userId")
          .requiredString("videoId")
          .name("eventTime")
          .type(SchemaBuilder.builder().longType())
          .noDefault()
          .endRecord();

  private final String url;
  private final SchemaRegistryClient client;
  private final String topic = "contract-" + UUID.randomUUID().toString().substring(0, 8);

  RegistryContract(String url) {
    this.url = url;
    this.client = SchemaRegistryClients.forUrl(url);
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  private Map<String, Object> config(Object... extra) {
    Map<String, Object> config = new HashMap<>();
    config.put("schema.registry.url", url);
    for (int i = 0; i < extra.length; i += 2) {
      config.put((String) extra[i], extra[i + 1]);
    }
    return config;
  }

  private static ClickEvent click(String user) {
    return ClickEvent.newBuilder()
        .setEventId("e-" + user)
        .setUserId(user)
        .setVideoId("v-" + user)
        .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
        .setProvince("Zhejiang")
        .setTags(List.of("a", "b"))
        .build();
  }

  @Test
  void shouldRoundTripSpecificRecordThroughTheRegistry() {
    try (Serde<ClickEvent> serde = new SpecificAvroSerde<>(ClickEvent.class)) {
      serde.configure(config(), false);
      ClickEvent original = click("u1");
      byte[] bytes = serde.serializer().serialize(topic, original);
      assertThat(serde.deserializer().deserialize(topic, bytes)).isEqualTo(original);
    }
    SchemaMetadata latest = client.getLatestSchemaMetadata(topic + "-value");
    assertThat(latest.schema()).isEqualTo(ClickEvent.getClassSchema());
    assertThat(client.getSchemaById(latest.id())).isEqualTo(ClickEvent.getClassSchema());
    assertThat(client.listSubjects()).contains(topic + "-value");
  }

  @Test
  void shouldReadOlderRecordsWithTheCurrentReaderSchema() {
    GenericRecord old = new GenericData.Record(CLICK_V0);
    old.put("eventId", "e0");
    old.put("userId", "u0");
    old.put("videoId", "v0");
    old.put("eventTime", 42L);
    byte[] bytes;
    try (Serde<GenericRecord> generic = new GenericAvroSerde()) {
      generic.configure(config(), false);
      bytes = generic.serializer().serialize(topic, old);
    }
    try (Serde<ClickEvent> serde = new SpecificAvroSerde<>(ClickEvent.class)) {
      serde.configure(config(), false);
      ClickEvent read = serde.deserializer().deserialize(topic, bytes);
      assertThat(read.getUserId()).isEqualTo("u0");
      assertThat(read.getEventTime()).isEqualTo(Instant.ofEpochMilli(42));
      assertThat(read.getTags()).isEmpty();
      // the current schema is a BACKWARD-compatible next version
      serde.serializer().serialize(topic, click("u1"));
    }
    assertThat(client.getLatestSchemaMetadata(topic + "-value").version()).isEqualTo(2);
  }

  @Test
  void shouldRejectIncompatibleRegistrationWith409() {
    String subject = topic + "-value";
    client.register(subject, ClickEvent.getClassSchema());
    assertThat(client.getCompatibility(subject)).isEqualTo(CompatibilityLevel.BACKWARD);
    Schema incompatible =
        SchemaBuilder.record("ClickEvent")
            .namespace("dev.freshet.avro")
            .fields()
            .requiredString("eventId")
            .requiredInt("mandatoryNewField")
            .endRecord();
    assertThat(client.testCompatibility(subject, incompatible)).isFalse();
    assertThatThrownBy(() -> client.register(subject, incompatible))
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(409);
              assertThat(e.isIncompatible()).isTrue();
            });
    assertThat(client.getLatestSchemaMetadata(subject).version()).isEqualTo(1);
  }

  /**
   * Whether the registry applies a subject's own compatibility level when registering; false only
   * for registries with a known defect, so the test says "skipped" with the reason instead.
   */
  protected boolean honoursSubjectCompatibility() {
    return true;
  }

  @Test
  void shouldAcceptIncompatibleSchemaWhenSubjectCompatibilityIsNone() {
    assumeTrue(
        honoursSubjectCompatibility(),
        "this registry ignores subject-level compatibility (Apicurio 3.0.x; fixed in 3.1+)");
    String subject = topic + "-value";
    client.register(subject, CLICK_V0);
    client.setCompatibility(subject, CompatibilityLevel.NONE);
    assertThat(client.getCompatibility(subject)).isEqualTo(CompatibilityLevel.NONE);
    Schema unrelated = SchemaBuilder.record("Other").fields().requiredInt("x").endRecord();
    client.register(subject, unrelated);
    assertThat(client.getLatestSchemaMetadata(subject).schema()).isEqualTo(unrelated);
  }

  @Test
  void shouldLookUpRegisteredSchemaWhenAutoRegisterIsOff() {
    int id = client.register(topic + "-value", ClickEvent.getClassSchema());
    try (KafkaAvroSerializer serializer = new KafkaAvroSerializer()) {
      serializer.configure(config("auto.register.schemas", false), false);
      byte[] bytes = serializer.serialize(topic, click("u2"));
      assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    }
    assertThat(client.lookup(topic + "-value", ClickEvent.getClassSchema()).id()).isEqualTo(id);
  }

  @Test
  void shouldWriteWithLatestVersionWhenConfigured() {
    client.register(topic + "-value", CLICK_V0);
    int latest = client.register(topic + "-value", ClickEvent.getClassSchema());
    GenericRecord old = new GenericData.Record(CLICK_V0);
    old.put("eventId", "e3");
    old.put("userId", "u3");
    old.put("videoId", "v3");
    old.put("eventTime", 3L);
    try (KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        Serde<ClickEvent> serde = new SpecificAvroSerde<>(ClickEvent.class)) {
      serializer.configure(
          config("auto.register.schemas", false, "use.latest.version", true), false);
      serde.configure(config(), false);
      byte[] bytes = serializer.serialize(topic, old);
      assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(latest);
      assertThat(serde.deserializer().deserialize(topic, bytes).getUserId()).isEqualTo("u3");
    }
  }

  @Test
  void shouldFailClearlyForUnregisteredSchemaWhenAutoRegisterIsOff() {
    try (KafkaAvroSerializer serializer = new KafkaAvroSerializer()) {
      serializer.configure(config("auto.register.schemas", "false"), false);
      assertThatThrownBy(() -> serializer.serialize(topic, click("u4")))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining(topic + "-value")
          .hasMessageContaining("auto.register.schemas=false")
          .cause()
          .isInstanceOfSatisfying(
              RegistryException.class,
              e -> assertThat(e.isSubjectNotFound() || e.isSchemaNotFound()).isTrue());
    }
    assertThatThrownBy(() -> client.getLatestSchemaMetadata(topic + "-value"))
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.isSubjectNotFound()).isTrue());
  }

  @Test
  void shouldReportUnknownSchemaIdAsTypedError() {
    byte[] bytes;
    try (Serde<ClickEvent> serde = new SpecificAvroSerde<>(ClickEvent.class)) {
      serde.configure(config(), false);
      bytes = serde.serializer().serialize(topic, click("u5"));
      ByteBuffer.wrap(bytes).putInt(1, 987_654_321);
      assertThatThrownBy(() -> serde.deserializer().deserialize(topic, bytes))
          .isInstanceOfSatisfying(
              WireFormatException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(WireFormatException.Reason.UNKNOWN_SCHEMA_ID);
                assertThat(e.schemaId()).isEqualTo(987_654_321);
              });
    }
    assertThatThrownBy(() -> client.getSchemaById(987_654_321))
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(404);
              assertThat(e.isSchemaNotFound()).isTrue();
            });
  }

  @Test
  void shouldDeleteSubjectButKeepItsIdsReadable() {
    String subject = topic + "-value";
    int id = client.register(subject, CLICK_V0);
    assertThat(client.deleteSubject(subject)).containsExactly(1);
    assertThat(client.listSubjects()).doesNotContain(subject);
    assertThat(client.getSchemaById(id)).isEqualTo(CLICK_V0);
  }
}
