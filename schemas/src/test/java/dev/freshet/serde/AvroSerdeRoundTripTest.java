package dev.freshet.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.registry.MockSchemaRegistry;
import dev.freshet.registry.SchemaRegistryClient;
import dev.freshet.testing.SampleData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdeRoundTripTest {

  private static final Path AVRO_DIR = Path.of("src", "main", "avro");
  private static final String SCOPE = "round-trip";
  private static final Map<String, String> CONFIG =
      Map.of("schema.registry.url", "mock://" + SCOPE);

  @AfterEach
  void dropRegistry() {
    MockSchemaRegistry.dropScope(SCOPE);
  }

  static Stream<Path> schemaFiles() throws IOException {
    try (Stream<Path> files = Files.list(AVRO_DIR)) {
      List<Path> list = files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
      assertThat(list).as("schemas in %s", AVRO_DIR.toAbsolutePath()).hasSizeGreaterThan(5);
      return list.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemaFiles")
  void shouldRoundTripEverySchemaAsGenericAndSpecific(Path file) throws IOException {
    JsonNode declared = new ObjectMapper().readTree(file.toFile());
    String fullName = declared.path("namespace").asText() + "." + declared.path("name").asText();
    Class<SpecificRecord> type = generatedClass(fullName);
    Schema schema = SpecificData.get().getSchema(type);
    assertThat(schema.getFullName()).isEqualTo(fullName);
    GenericRecord original = SampleData.record(schema, 7);

    try (Serde<GenericRecord> generic = AvroSerdes.generic(CONFIG, false);
        Serde<SpecificRecord> specific = AvroSerdes.specific(type, CONFIG, false)) {
      byte[] genericBytes = generic.serializer().serialize("topic", original);
      assertThat(genericBytes[0]).isZero();
      assertThat(generic.deserializer().deserialize("topic", genericBytes)).isEqualTo(original);

      SpecificRecord asSpecific = specific.deserializer().deserialize("topic", genericBytes);
      assertThat(asSpecific).isInstanceOf(type);
      byte[] specificBytes = specific.serializer().serialize("topic", asSpecific);
      assertThat(specificBytes).isEqualTo(genericBytes);
      assertThat(specific.deserializer().deserialize("topic", specificBytes)).isEqualTo(asSpecific);
    }
  }

  @SuppressWarnings("unchecked")
  private static Class<SpecificRecord> generatedClass(String fullName) {
    try {
      Class<?> type = Class.forName(fullName);
      assertThat(SpecificRecord.class).isAssignableFrom(type);
      return (Class<SpecificRecord>) type;
    } catch (ClassNotFoundException e) {
      throw new AssertionError("no generated class " + fullName, e);
    }
  }

  @Test
  void shouldReturnSpecificRecordsFromKafkaAvroDeserializerWhenSpecificReaderIsSet() {
    SchemaRegistryClient client = MockSchemaRegistry.client(SCOPE);
    GenericRecord click = SampleData.record(dev.freshet.avro.ClickEvent.getClassSchema(), 3);
    try (KafkaAvroSerializer serializer = new KafkaAvroSerializer(client);
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer()) {
      deserializer.configure(
          Map.of("schema.registry.url", "mock://" + SCOPE, "specific.avro.reader", "true"), false);
      Object read = deserializer.deserialize("clicks", serializer.serialize("clicks", click));
      assertThat(read).isInstanceOf(dev.freshet.avro.ClickEvent.class);
      assertThat(((dev.freshet.avro.ClickEvent) read).getUserId())
          .isEqualTo(click.get("userId").toString());
    }
  }

  @Test
  void shouldRoundTripPrimitivesAndPromoteIntToLong() {
    try (Serde<String> strings = AvroSerdes.primitive(String.class, CONFIG, true);
        Serde<Integer> ints = AvroSerdes.primitive(Integer.class, CONFIG, false);
        Serde<Long> longs = AvroSerdes.primitive(Long.class, CONFIG, false);
        Serde<byte[]> bytes = AvroSerdes.primitive(byte[].class, CONFIG, false)) {
      byte[] key = strings.serializer().serialize("users", "user-42");
      assertThat(strings.deserializer().deserialize("users", key)).isEqualTo("user-42");
      assertThat(MockSchemaRegistry.client(SCOPE).getLatestSchemaMetadata("users-key").schema())
          .isEqualTo(Schema.create(Schema.Type.STRING));

      byte[] anInt = ints.serializer().serialize("counts", 7);
      assertThat(longs.deserializer().deserialize("counts", anInt)).isEqualTo(7L);

      byte[] blob = bytes.serializer().serialize("blobs", new byte[] {1, 2, 3});
      assertThat(bytes.deserializer().deserialize("blobs", blob)).containsExactly(1, 2, 3);
    }
  }

  @Test
  void shouldPassNullThroughAsTombstone() {
    try (Serde<GenericRecord> generic = AvroSerdes.generic(CONFIG, false)) {
      assertThat(generic.serializer().serialize("topic", null)).isNull();
      assertThat(generic.deserializer().deserialize("topic", null)).isNull();
    }
  }
}
