package dev.freshet.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.avro.ClickEvent;
import dev.freshet.avro.Recommendations;
import dev.freshet.avro.UserHistory;
import dev.freshet.registry.MockSchemaRegistry;
import dev.freshet.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchemaEvolutionTest {

  private static final String SCOPE = "evolution";

  /** ClickEvent as a first producer might have had it: only the required fields. */
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

  /** ClickEvent as a later producer might have it: a new optional field the class lacks. */
  static final Schema CLICK_NEXT =
      SchemaBuilder.record("ClickEvent")
          .namespace("dev.freshet.avro")
          .fields()
          .requiredString("eventId")
          .requiredString("userId")
          .requiredString("videoId")
          .name("eventTime")
          .type(SchemaBuilder.builder().longType())
          .noDefault()
          .optionalString("referrer")
          .endRecord();

  private final SchemaRegistryClient registry = MockSchemaRegistry.client(SCOPE);

  @AfterEach
  void dropRegistry() {
    MockSchemaRegistry.dropScope(SCOPE);
  }

  @Test
  void shouldRestoreHistoryStateWrittenBeforeTheLastListWasKept() {
    // UserHistory as the changelog holds it from before lastRecommended / lastJudgement existed
    Schema before =
        SchemaBuilder.record("UserHistory")
            .namespace("dev.freshet.avro")
            .fields()
            .requiredString("userId")
            .optionalString("province")
            .name("totalClicks")
            .type()
            .longType()
            .longDefault(0)
            .endRecord();
    GenericRecord old = new GenericData.Record(before);
    old.put("userId", "u1");
    old.put("province", "p");
    old.put("totalClicks", 4L);
    byte[] bytes = new GenericAvroSerde(registry).serializer().serialize("history", old);

    UserHistory h =
        new SpecificAvroSerde<>(UserHistory.class, registry)
            .deserializer()
            .deserialize("history", bytes);

    assertThat(h.getTotalClicks()).isEqualTo(4);
    assertThat(h.getLastRecommended()).isEmpty();
    assertThat(h.getLastRecommendedVersion()).as("no list emitted yet").isNull();
    assertThat(h.getLastJudgement()).isNull();
  }

  @Test
  void shouldReadRecommendationsWithoutAJudgementAsNotJudged() {
    Schema current = Recommendations.getClassSchema();
    SchemaBuilder.FieldAssembler<Schema> fields =
        SchemaBuilder.record("Recommendations").namespace("dev.freshet.avro").fields();
    for (Schema.Field f : current.getFields()) {
      if (!f.name().equals("judgement")) {
        fields = fields.name(f.name()).type(f.schema()).noDefault();
      }
    }
    Schema before = fields.endRecord();
    Recommendations now =
        Recommendations.newBuilder()
            .setUserId("u1")
            .setItems(java.util.List.of())
            .setSource(dev.freshet.avro.RecommendationSource.MODEL)
            .setModelVersion(3)
            .setEventTime(java.time.Instant.ofEpochMilli(1))
            .setComputedAt(java.time.Instant.ofEpochMilli(2))
            .build();
    GenericRecord old = new GenericData.Record(before);
    for (Schema.Field f : before.getFields()) {
      old.put(f.name(), GenericData.get().deepCopy(f.schema(), genericValue(now, f.name())));
    }
    byte[] bytes = new GenericAvroSerde(registry).serializer().serialize("recs", old);

    Recommendations read =
        new SpecificAvroSerde<>(Recommendations.class, registry)
            .deserializer()
            .deserialize("recs", bytes);

    assertThat(read.getModelVersion()).isEqualTo(3);
    assertThat(read.getJudgement()).isNull();
  }

  private static Object genericValue(Recommendations r, String field) {
    return switch (field) {
      case "source" ->
          new GenericData.EnumSymbol(
              Recommendations.getClassSchema().getField("source").schema(), r.getSource().name());
      case "eventTime" -> r.getEventTime().toEpochMilli();
      case "computedAt" -> r.getComputedAt().toEpochMilli();
      default -> r.get(field);
    };
  }

  @Test
  void shouldReadOlderWriterSchemaWithCurrentClassFillingDefaults() {
    GenericRecord old = new GenericData.Record(CLICK_V0);
    old.put("eventId", "e1");
    old.put("userId", "u1");
    old.put("videoId", "v1");
    old.put("eventTime", 1_700_000_000_000L);
    byte[] bytes = new GenericAvroSerde(registry).serializer().serialize("clicks", old);

    ClickEvent click =
        new SpecificAvroSerde<>(ClickEvent.class, registry)
            .deserializer()
            .deserialize("clicks", bytes);

    assertThat(click.getUserId()).isEqualTo("u1");
    assertThat(click.getEventTime().toEpochMilli()).isEqualTo(1_700_000_000_000L);
    assertThat(click.getProvince()).isNull();
    assertThat(click.getTags()).isEmpty();
    assertThat(registry.getLatestSchemaMetadata("clicks-value").version()).isEqualTo(1);
  }

  @Test
  void shouldReadNewerWriterSchemaWithCurrentClassIgnoringUnknownFields() {
    GenericRecord newer = new GenericData.Record(CLICK_NEXT);
    newer.put("eventId", "e2");
    newer.put("userId", "u2");
    newer.put("videoId", "v2");
    newer.put("eventTime", 5L);
    newer.put("referrer", "search");
    byte[] bytes = new GenericAvroSerde(registry).serializer().serialize("clicks", newer);

    ClickEvent click =
        new SpecificAvroSerde<>(ClickEvent.class, registry)
            .deserializer()
            .deserialize("clicks", bytes);

    assertThat(click.getVideoId()).isEqualTo("v2");
    assertThat(click.getEventTime().toEpochMilli()).isEqualTo(5L);
  }

  @Test
  void shouldRegisterBackwardCompatibleVersionsAndRejectIncompatibleOne() {
    int v0 = registry.register("clicks-value", CLICK_V0);
    int current = registry.register("clicks-value", ClickEvent.getClassSchema());
    assertThat(current).isNotEqualTo(v0);
    assertThat(registry.getLatestSchemaMetadata("clicks-value").version()).isEqualTo(2);

    Schema requiredNewField =
        SchemaBuilder.record("ClickEvent")
            .namespace("dev.freshet.avro")
            .fields()
            .requiredString("eventId")
            .requiredString("mandatoryWithoutDefault")
            .endRecord();
    assertThat(registry.testCompatibility("clicks-value", requiredNewField)).isFalse();
    assertThatThrownBy(() -> registry.register("clicks-value", requiredNewField))
        .isInstanceOfSatisfying(
            dev.freshet.registry.RegistryException.class,
            e -> {
              assertThat(e.isIncompatible()).isTrue();
              assertThat(e.httpStatus()).isEqualTo(409);
            });
  }

  @Test
  void shouldReadWithAnExplicitReaderSchemaThroughKafkaAvroDeserializer() {
    byte[] bytes =
        new SpecificAvroSerde<>(ClickEvent.class, registry)
            .serializer()
            .serialize(
                "clicks",
                ClickEvent.newBuilder()
                    .setEventId("e3")
                    .setUserId("u3")
                    .setVideoId("v3")
                    .setEventTime(java.time.Instant.ofEpochMilli(9))
                    .build());
    try (KafkaAvroDeserializer old = new KafkaAvroDeserializer(registry, CLICK_V0)) {
      old.configure(Map.of(), false);
      GenericRecord read = (GenericRecord) old.deserialize("clicks", bytes);
      assertThat(read.getSchema()).isEqualTo(CLICK_V0);
      assertThat(read.get("eventId").toString()).isEqualTo("e3");
      assertThat(read.get("eventTime")).isEqualTo(9L);
    }
  }
}
