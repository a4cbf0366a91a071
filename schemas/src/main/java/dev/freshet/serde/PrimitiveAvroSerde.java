package dev.freshet.serde;

import dev.freshet.registry.SchemaRegistryClient;
import dev.freshet.serde.internals.AvroDeserializerCore.ReaderMode;
import dev.freshet.serde.internals.AvroPrimitives;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serde for an Avro primitive ({@code String}, {@code Long}, {@code Integer}, {@code Float}, {@code
 * Double}, {@code Boolean}, {@code byte[]}) in the Confluent wire format, registering the primitive
 * schema (e.g. {@code "string"}) under the subject: what Confluent's {@code KafkaAvroSerializer}
 * writes for a primitive key. Freshet's own topics use plain {@code Serdes.String()} keys instead
 * (see the package documentation); this serde is for interoperating with producers that frame their
 * keys. Reading resolves against the primitive schema of {@code T}, so an {@code int} key can be
 * read as {@code Long} (Avro promotion).
 */
public final class PrimitiveAvroSerde<T> extends Serdes.WrapperSerde<T> {

  /** A serde for {@code type} that creates its registry client in {@link #configure}. */
  public PrimitiveAvroSerde(Class<T> type) {
    super(
        new TypedSerializer<>(new KafkaAvroSerializer()),
        new TypedDeserializer<>(
            type, new KafkaAvroDeserializer(AvroPrimitives.schemaOf(type), ReaderMode.GENERIC)));
  }

  /**
   * A serde for {@code type} over a shared {@code client}, with default settings until configured.
   */
  public PrimitiveAvroSerde(Class<T> type, SchemaRegistryClient client) {
    super(
        new TypedSerializer<>(new KafkaAvroSerializer(client)),
        new TypedDeserializer<>(
            Objects.requireNonNull(type, "type"),
            new KafkaAvroDeserializer(client, AvroPrimitives.schemaOf(type), ReaderMode.GENERIC)));
  }

  /** A configured serde for keys ({@code isKey}) or values over {@code client}. */
  public PrimitiveAvroSerde(
      Class<T> type, SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
    this(type, client);
    configure(configs, isKey);
  }
}
