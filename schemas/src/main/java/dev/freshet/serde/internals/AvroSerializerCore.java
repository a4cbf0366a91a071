package dev.freshet.serde.internals;

import dev.freshet.registry.RegistryException;
import dev.freshet.registry.SchemaMetadata;
import dev.freshet.registry.SchemaRegistryClient;
import dev.freshet.serde.AvroSerdeConfig;
import dev.freshet.serde.AvroSerdeConfig.SubjectNameStrategy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Writes datums in the Confluent wire format. Finds the writer schema and its id per the config:
 * registers the datum's schema ({@code auto.register.schemas}), or uses the subject's latest schema
 * ({@code use.latest.version}, cached per subject for the serializer's lifetime), or looks the
 * datum's schema up (it must already be registered). Thread-safe.
 */
public final class AvroSerializerCore {

  private final SchemaRegistryClient client;
  private final boolean isKey;
  private final boolean autoRegister;
  private final boolean useLatest;
  private final SubjectNameStrategy strategy;
  private final Map<String, SchemaMetadata> latestBySubject = new ConcurrentHashMap<>();
  private final Map<WriterKey, Writers> writers = new ConcurrentHashMap<>();

  /** Each thread's encoder, reused across records (it holds a 2 KiB buffer). */
  private static final ThreadLocal<BinaryEncoder> ENCODERS = new ThreadLocal<>();

  /** Generated classes and generic records need different writers (logical-type conversions). */
  private record WriterKey(Schema schema, boolean specific) {}

  /**
   * The writer to use ({@code fast}: compiled for generated classes where the schema allows) and
   * Avro's own ({@code avro}), which writes anything {@code fast} fails on, or says what is wrong.
   */
  private record Writers(DatumWriter<Object> fast, DatumWriter<Object> avro) {}

  /** A serializer core for the key ({@code isKey}) or value side. */
  public AvroSerializerCore(SchemaRegistryClient client, AvroSerdeConfig config, boolean isKey) {
    GeneratedClassTrust.install();
    this.client = Objects.requireNonNull(client, "client");
    this.isKey = isKey;
    this.autoRegister = config.autoRegisterSchemas();
    this.useLatest = config.useLatestVersion();
    this.strategy = config.subjectNameStrategy(isKey);
  }

  /**
   * The framed bytes of {@code datum}; null for a null datum (a tombstone).
   *
   * @throws SerializationException if the schema cannot be registered or found (the cause is the
   *     {@link RegistryException}) or the datum does not match its schema
   */
  public byte[] serialize(String topic, Object datum) {
    if (datum == null) {
      return null;
    }
    Schema schema = AvroPrimitives.schemaOf(datum);
    String subject = strategy.subject(topic, isKey, schema);
    int id;
    Schema writerSchema;
    Object toWrite = datum instanceof byte[] array ? ByteBuffer.wrap(array) : datum;
    try {
      if (autoRegister) {
        id = client.register(subject, schema);
        writerSchema = schema;
      } else if (useLatest) {
        SchemaMetadata latest =
            latestBySubject.computeIfAbsent(subject, client::getLatestSchemaMetadata);
        id = latest.id();
        writerSchema = latest.schema();
        if (!writerSchema.equals(schema)) {
          toWrite = convert(datum, schema, writerSchema, subject);
        }
      } else {
        id = client.lookup(subject, schema).id();
        writerSchema = schema;
      }
    } catch (RegistryException e) {
      throw new SerializationException(
          "Cannot get a schema id for subject '"
              + subject
              + "' (auto.register.schemas="
              + autoRegister
              + ", use.latest.version="
              + useLatest
              + "): "
              + e.getMessage(),
          e);
    }
    Writers w = writerFor(writerSchema, toWrite);
    try {
      try {
        return encode(id, w.fast(), toWrite);
      } catch (RuntimeException e) {
        if (w.fast() == w.avro()) {
          throw e;
        }
        // What the compiled writer cannot write, Avro's may; if not, its error names the field.
        return encode(id, w.avro(), toWrite);
      }
    } catch (IOException | AvroRuntimeException | ClassCastException | NullPointerException e) {
      throw new SerializationException(
          "Cannot write a " + schema.getFullName() + " for topic '" + topic + "': " + e, e);
    }
  }

  /** The header with schema {@code id}, then {@code datum} as {@code writer} encodes it. */
  private static byte[] encode(int id, DatumWriter<Object> writer, Object datum)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    ByteBuffer header = ByteBuffer.allocate(WireFormat.HEADER_SIZE);
    WireFormat.writeHeader(header, id);
    out.write(header.array(), 0, WireFormat.HEADER_SIZE);
    // buffered: a direct encoder makes one synchronized stream write per float
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, ENCODERS.get());
    ENCODERS.set(encoder);
    writer.write(datum, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private Writers writerFor(Schema writerSchema, Object datum) {
    return writers.computeIfAbsent(
        new WriterKey(writerSchema, datum instanceof SpecificRecord),
        k -> {
          DatumWriter<Object> avro = FloatArrayWriters.forSchema(k.schema(), k.specific());
          DatumWriter<Object> fast =
              k.specific() ? CompiledWriter.compile(k.schema()).orElse(avro) : avro;
          return new Writers(fast, avro);
        });
  }

  /**
   * Re-expresses {@code datum} (of {@code own} schema) in the subject's latest schema by Avro
   * schema resolution; requires that the latest schema can read the datum's schema.
   */
  private static Object convert(Object datum, Schema own, Schema latest, String subject) {
    SchemaCompatibility.SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(latest, own);
    if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      throw new SerializationException(
          "use.latest.version: the latest schema of subject '"
              + subject
              + "' cannot represent a "
              + own.getFullName()
              + ": "
              + compatibility.getResult().getIncompatibilities());
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(64);
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      DatumWriter<Object> writer =
          datum instanceof SpecificRecord
              ? new SpecificDatumWriter<>(own)
              : new GenericDatumWriter<>(own, GenericData.get());
      writer.write(datum, encoder);
      encoder.flush();
      BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(out.toByteArray(), null);
      return new GenericDatumReader<Object>(own, latest, GenericData.get()).read(null, decoder);
    } catch (IOException e) {
      throw new SerializationException("Cannot convert to the latest schema: " + e, e);
    }
  }
}
