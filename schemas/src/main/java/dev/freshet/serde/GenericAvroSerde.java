package dev.freshet.serde;

import dev.freshet.registry.SchemaRegistryClient;
import dev.freshet.serde.internals.AvroDeserializerCore.ReaderMode;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serde for {@link GenericRecord}s in the Confluent wire format. Reading returns records in the
 * writer's schema (string fields as {@code Utf8}, as Avro's generic API does). Configure it unless
 * built with a client.
 */
public final class GenericAvroSerde extends Serdes.WrapperSerde<GenericRecord> {

  /** A serde that creates its registry client in {@link #configure}. */
  public GenericAvroSerde() {
    super(
        new TypedSerializer<>(new KafkaAvroSerializer()),
        new TypedDeserializer<>(
            GenericRecord.class, new KafkaAvroDeserializer(null, ReaderMode.GENERIC)));
  }

  /** A serde over a shared {@code client}, with default settings until configured. */
  public GenericAvroSerde(SchemaRegistryClient client) {
    super(
        new TypedSerializer<>(new KafkaAvroSerializer(client)),
        new TypedDeserializer<>(
            GenericRecord.class, new KafkaAvroDeserializer(client, null, ReaderMode.GENERIC)));
  }

  /** A configured serde for keys ({@code isKey}) or values over {@code client}. */
  public GenericAvroSerde(SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
    this(client);
    configure(configs, isKey);
  }
}
