package dev.freshet.serde;

import dev.freshet.registry.SchemaRegistryClient;
import dev.freshet.registry.SchemaRegistryClients;
import dev.freshet.serde.internals.AvroSerializerCore;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes Avro records (specific or generic) and Avro primitives (String, Long, Integer, ...) in
 * the Confluent wire format; a drop-in for Confluent's class of the same name, configured with the
 * keys of {@link AvroSerdeConfig}. Null serializes to null (a tombstone).
 *
 * <p>Built with no client (as Kafka does from {@code value.serializer=}), it creates one from the
 * configuration in {@link #configure} and closes it in {@link #close}; a client passed to the
 * constructor is shared, not closed. Not usable before {@link #configure} unless constructed with a
 * client (then the defaults apply: auto-register, TopicNameStrategy, value side).
 */
public final class KafkaAvroSerializer implements Serializer<Object> {

  private SchemaRegistryClient client;
  private boolean ownsClient;
  private AvroSerializerCore core;

  /** For Kafka's reflection; call {@link #configure} before use. */
  public KafkaAvroSerializer() {}

  /** A value serializer with default settings over a shared {@code client}. */
  public KafkaAvroSerializer(SchemaRegistryClient client) {
    this.client = Objects.requireNonNull(client, "client");
    this.core = new AvroSerializerCore(client, new AvroSerdeConfig(Map.of()), false);
  }

  /** A serializer over a shared {@code client}, configured with {@code configs}. */
  public KafkaAvroSerializer(SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
    this.client = Objects.requireNonNull(client, "client");
    configure(configs, isKey);
  }

  /**
   * Reads {@link AvroSerdeConfig}; creates a client from it unless one was given.
   *
   * @throws org.apache.kafka.common.config.ConfigException on bad settings
   */
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    AvroSerdeConfig config = new AvroSerdeConfig(configs);
    if (client == null) {
      client = SchemaRegistryClients.create(config.registryClientConfig());
      ownsClient = true;
    }
    core = new AvroSerializerCore(client, config, isKey);
  }

  /**
   * The framed bytes of {@code data}, registering or looking up its schema per the configuration.
   *
   * @throws SerializationException if the schema cannot be registered or found, or the datum does
   *     not match its schema
   * @throws IllegalStateException if not configured
   */
  @Override
  public byte[] serialize(String topic, Object data) {
    if (core == null) {
      throw new IllegalStateException("KafkaAvroSerializer used before configure()");
    }
    try {
      return core.serialize(topic, data);
    } catch (IllegalArgumentException e) {
      throw new SerializationException(e.getMessage(), e);
    }
  }

  /** Closes the client if this serializer created it. */
  @Override
  public void close() {
    if (ownsClient && client != null) {
      client.close();
    }
  }
}
