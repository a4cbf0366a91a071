package dev.freshet.serde;

import dev.freshet.registry.SchemaRegistryClient;
import dev.freshet.serde.internals.AvroDeserializerCore.ReaderMode;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serde for a generated Avro class {@code T} in the Confluent wire format. Reading resolves the
 * writer's schema (by id) against {@code T}'s compiled schema, so records written with older or
 * newer compatible versions of the schema read as {@code T}.
 *
 * <pre>{@code
 * Serde<ClickEvent> clicks = AvroSerdes.specific(ClickEvent.class, config, false);
 * }</pre>
 *
 * <p>Configure it ({@link #configure}) unless built with a client, as with any Kafka serde.
 */
public final class SpecificAvroSerde<T extends SpecificRecord> extends Serdes.WrapperSerde<T> {

  /** A serde for {@code type} that creates its registry client in {@link #configure}. */
  public SpecificAvroSerde(Class<T> type) {
    super(
        new TypedSerializer<>(new KafkaAvroSerializer()),
        new TypedDeserializer<>(
            type, new KafkaAvroDeserializer(schemaOf(type), ReaderMode.SPECIFIC)));
  }

  /**
   * A serde for {@code type} over a shared {@code client}, with default settings until configured.
   */
  public SpecificAvroSerde(Class<T> type, SchemaRegistryClient client) {
    super(
        new TypedSerializer<>(new KafkaAvroSerializer(client)),
        new TypedDeserializer<>(
            type, new KafkaAvroDeserializer(client, schemaOf(type), ReaderMode.SPECIFIC)));
  }

  /** A configured serde for {@code type}'s keys ({@code isKey}) or values over {@code client}. */
  public SpecificAvroSerde(
      Class<T> type, SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
    this(type, client);
    configure(configs, isKey);
  }

  private static Schema schemaOf(Class<?> type) {
    Objects.requireNonNull(type, "type");
    return SpecificData.get().getSchema(type);
  }
}
