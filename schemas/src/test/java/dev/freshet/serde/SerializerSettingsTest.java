package dev.freshet.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.avro.ClickEvent;
import dev.freshet.avro.DenseParams;
import dev.freshet.avro.EmbeddingRow;
import dev.freshet.registry.MockSchemaRegistry;
import dev.freshet.registry.RegistryException;
import dev.freshet.registry.SchemaRegistryClient;
import dev.freshet.testing.SampleData;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerializerSettingsTest {

  private static final String SCOPE = "serializer-settings";
  private static final String URL = "mock://" + SCOPE;

  private final SchemaRegistryClient registry = MockSchemaRegistry.client(SCOPE);

  @AfterEach
  void dropRegistry() {
    MockSchemaRegistry.dropScope(SCOPE);
  }

  private static int idOf(byte[] framed) {
    return ByteBuffer.wrap(framed, 1, 4).getInt();
  }

  @Test
  void shouldNameSubjectsAfterTopicAndSide() {
    GenericRecord click = SampleData.record(ClickEvent.getClassSchema(), 1);
    try (KafkaAvroSerializer keys = new KafkaAvroSerializer(registry, Map.of(), true);
        KafkaAvroSerializer values = new KafkaAvroSerializer(registry, Map.of(), false)) {
      keys.serialize("clicks", "user-1");
      values.serialize("clicks", click);
    }
    assertThat(registry.listSubjects()).containsExactlyInAnyOrder("clicks-key", "clicks-value");
  }

  @Test
  void shouldKeepSeveralRecordTypesInOneTopicWithTopicRecordNameStrategy() {
    Map<String, String> config =
        Map.of(
            "value.subject.name.strategy",
            "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy");
    try (KafkaAvroSerializer values = new KafkaAvroSerializer(registry, config, false)) {
      values.serialize("model-params", SampleData.record(EmbeddingRow.getClassSchema(), 1));
      values.serialize("model-params", SampleData.record(DenseParams.getClassSchema(), 2));
    }
    assertThat(registry.listSubjects())
        .containsExactlyInAnyOrder(
            "model-params-dev.freshet.avro.EmbeddingRow",
            "model-params-dev.freshet.avro.DenseParams");
  }

  @Test
  void shouldRejectUnknownSubjectNameStrategy() {
    assertThatThrownBy(
            () -> new AvroSerdeConfig(Map.of("value.subject.name.strategy", "ByPhaseOfMoon")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ByPhaseOfMoon");
  }

  @Test
  void shouldFailClearlyWhenAutoRegisterIsOffAndSchemaIsNotRegistered() {
    try (KafkaAvroSerializer serializer =
        new KafkaAvroSerializer(registry, Map.of("auto.register.schemas", false), false)) {
      GenericRecord click = SampleData.record(ClickEvent.getClassSchema(), 1);
      assertThatThrownBy(() -> serializer.serialize("clicks", click))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("clicks-value")
          .hasMessageContaining("auto.register.schemas=false")
          .hasCauseInstanceOf(RegistryException.class);
    }
  }

  @Test
  void shouldUseRegisteredIdWhenAutoRegisterIsOff() {
    int id = registry.register("clicks-value", ClickEvent.getClassSchema());
    try (KafkaAvroSerializer serializer =
        new KafkaAvroSerializer(registry, Map.of("auto.register.schemas", "false"), false)) {
      byte[] bytes =
          serializer.serialize("clicks", SampleData.record(ClickEvent.getClassSchema(), 1));
      assertThat(idOf(bytes)).isEqualTo(id);
    }
  }

  @Test
  void shouldWriteWithLatestSchemaWhenUseLatestVersionIsSet() {
    registry.register("clicks-value", SchemaEvolutionTest.CLICK_V0);
    int latest = registry.register("clicks-value", SchemaEvolutionTest.CLICK_NEXT);
    Map<String, Object> config = Map.of("auto.register.schemas", false, "use.latest.version", true);
    try (KafkaAvroSerializer serializer = new KafkaAvroSerializer(registry, config, false);
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer(registry)) {
      GenericRecord v0 =
          new org.apache.avro.generic.GenericData.Record(SchemaEvolutionTest.CLICK_V0);
      v0.put("eventId", "e");
      v0.put("userId", "u");
      v0.put("videoId", "v");
      v0.put("eventTime", 1L);
      byte[] bytes = serializer.serialize("clicks", v0);
      assertThat(idOf(bytes)).isEqualTo(latest);
      GenericRecord read = (GenericRecord) deserializer.deserialize("clicks", bytes);
      assertThat(read.getSchema()).isEqualTo(SchemaEvolutionTest.CLICK_NEXT);
      assertThat(read.get("userId").toString()).isEqualTo("u");
      assertThat(read.get("referrer")).isNull();
    }
    assertThat(registry.getLatestSchemaMetadata("clicks-value").version()).isEqualTo(2);
  }

  @Test
  void shouldRefuseToUseLatestSchemaThatCannotRepresentTheDatum() {
    registry.register("clicks-value", SchemaEvolutionTest.CLICK_V0);
    Map<String, Object> config = Map.of("auto.register.schemas", false, "use.latest.version", true);
    try (KafkaAvroSerializer serializer = new KafkaAvroSerializer(registry, config, false)) {
      GenericRecord other = SampleData.record(dev.freshet.avro.ItemVector.getClassSchema(), 1);
      assertThatThrownBy(() -> serializer.serialize("clicks", other))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("use.latest.version");
    }
  }

  @Test
  void shouldRejectValuesThatAreNotAvro() {
    try (KafkaAvroSerializer serializer = new KafkaAvroSerializer(registry)) {
      assertThatThrownBy(() -> serializer.serialize("clicks", List.of("not", "avro")))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("not a record or primitive");
    }
  }

  @Test
  void shouldRequireConfigureBeforeUseWithoutClient() {
    try (KafkaAvroSerializer serializer = new KafkaAvroSerializer()) {
      assertThatThrownBy(() -> serializer.serialize("t", "x"))
          .isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> serializer.configure(Map.of(), false))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("schema.registry.url");
    }
  }

  @Test
  void shouldShareMockRegistryBetweenSerdesOfTheSameUrl() {
    try (KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer()) {
      serializer.configure(Map.of("schema.registry.url", URL), false);
      deserializer.configure(Map.of("schema.registry.url", URL), false);
      assertThat(deserializer.deserialize("t", serializer.serialize("t", 42L))).isEqualTo(42L);
    }
  }
}
