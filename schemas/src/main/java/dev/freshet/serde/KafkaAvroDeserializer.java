package dev.freshet.serde;

import dev.freshet.registry.SchemaRegistryClient;
import dev.freshet.registry.SchemaRegistryClients;
import dev.freshet.serde.internals.AvroDeserializerCore;
import dev.freshet.serde.internals.AvroDeserializerCore.ReaderMode;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Deserializes the Confluent wire format into GenericRecords, or generated SpecificRecords with
 * {@code specific.avro.reader=true}, or Java values (String, Long, byte[], ...) for primitive
 * schemas; a drop-in for Confluent's class of the same name. Null bytes give null. Client ownership
 * as in {@link KafkaAvroSerializer}.
 *
 * <p>The writer's schema is fetched by the id in the header and resolved against the reader's
 * schema (Avro schema resolution): the writer's own schema for generic reading, the generated
 * class's for specific reading, or a fixed reader schema given to the constructor.
 *
 * <p>{@link #deserialize} throws {@link WireFormatException} for every bad input, with the reason.
 */
public final class KafkaAvroDeserializer implements Deserializer<Object> {

  private final Schema readerSchema;
  private final ReaderMode forcedMode;
  private SchemaRegistryClient client;
  private boolean ownsClient;
  private ReaderMode mode = ReaderMode.GENERIC;
  private AvroDeserializerCore core;

  /** For Kafka's reflection; call {@link #configure} before use. */
  public KafkaAvroDeserializer() {
    this.readerSchema = null;
    this.forcedMode = null;
  }

  /** A deserializer with default settings (generic reading) over a shared {@code client}. */
  public KafkaAvroDeserializer(SchemaRegistryClient client) {
    this(client, null, null);
  }

  /**
   * A deserializer over a shared {@code client} that always resolves the writer's schema to {@code
   * readerSchema} (null: to the writer's schema), producing generic records unless {@code
   * specific.avro.reader} is configured.
   */
  public KafkaAvroDeserializer(SchemaRegistryClient client, Schema readerSchema) {
    this(client, readerSchema, null);
  }

  /** Over a shared client, with a fixed reader schema and, if non-null, a fixed mode. */
  KafkaAvroDeserializer(SchemaRegistryClient client, Schema readerSchema, ReaderMode forcedMode) {
    this.client = Objects.requireNonNull(client, "client");
    this.readerSchema = readerSchema;
    this.forcedMode = forcedMode;
    if (forcedMode != null) {
      this.mode = forcedMode;
    }
    this.core = new AvroDeserializerCore(client);
  }

  /** Creates its client in {@link #configure}; fixed reader schema and, if non-null, mode. */
  KafkaAvroDeserializer(Schema readerSchema, ReaderMode forcedMode) {
    this.readerSchema = readerSchema;
    this.forcedMode = forcedMode;
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
    if (forcedMode != null) {
      mode = forcedMode;
    } else {
      mode = config.specificAvroReader() ? ReaderMode.SPECIFIC : ReaderMode.GENERIC;
    }
    core = new AvroDeserializerCore(client);
  }

  /**
   * The datum in {@code data}, or null for null.
   *
   * @throws WireFormatException if the bytes are not a valid record (the reason says why)
   * @throws IllegalStateException if not configured
   */
  @Override
  public Object deserialize(String topic, byte[] data) {
    if (core == null) {
      throw new IllegalStateException("KafkaAvroDeserializer used before configure()");
    }
    return core.deserialize(topic, data, readerSchema, mode);
  }

  /** Closes the client if this deserializer created it. */
  @Override
  public void close() {
    if (ownsClient && client != null) {
      client.close();
    }
  }
}
