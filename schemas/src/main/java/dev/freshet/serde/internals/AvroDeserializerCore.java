package dev.freshet.serde.internals;

import dev.freshet.registry.RegistryException;
import dev.freshet.registry.SchemaRegistryClient;
import dev.freshet.serde.WireFormatException;
import dev.freshet.serde.WireFormatException.Reason;
import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Reads datums in the Confluent wire format: checks the header, fetches the writer's schema by id
 * (cached by the client) and resolves it against the reader's schema. Every failure is a {@link
 * WireFormatException} with its reason. Thread-safe. Creating one installs {@link
 * GeneratedClassTrust}.
 */
public final class AvroDeserializerCore {

  /** Whether to produce generic or generated (specific) records. */
  public enum ReaderMode {
    /**
     * GenericRecords, in the given reader schema or else the writer's own schema (with Avro's
     * generic representation: strings as Utf8, timestamps as longs).
     */
    GENERIC,
    /**
     * Generated SpecificRecords: of the given reader schema's class, or else of the generated class
     * named like the writer's schema.
     */
    SPECIFIC,
  }

  private record ReaderKey(int writerId, Schema reader, ReaderMode mode) {}

  private final SchemaRegistryClient client;
  private final Map<ReaderKey, DatumReader<Object>> readers = new ConcurrentHashMap<>();

  /** A deserializer core over {@code client}. */
  public AvroDeserializerCore(SchemaRegistryClient client) {
    this.client = Objects.requireNonNull(client, "client");
    GeneratedClassTrust.install();
  }

  /**
   * Decodes {@code bytes}; null bytes give null (a tombstone).
   *
   * @param readerSchema the schema to read as, or null for the writer's schema (generic) or the
   *     class named like it (specific)
   * @param mode generic or specific records
   * @throws WireFormatException when the bytes cannot be decoded, with the reason
   */
  public Object deserialize(String topic, byte[] bytes, Schema readerSchema, ReaderMode mode) {
    if (bytes == null) {
      return null;
    }
    int id = WireFormat.readSchemaId(topic, bytes);
    Schema writer = writerSchema(topic, id);
    Schema reader = readerSchema != null ? readerSchema : chooseReader(topic, id, writer, mode);
    DatumReader<Object> datumReader =
        readers.computeIfAbsent(
            new ReaderKey(id, reader, mode), k -> newReader(writer, k.reader(), k.mode()));
    BinaryDecoder decoder =
        DecoderFactory.get()
            .binaryDecoder(
                bytes, WireFormat.HEADER_SIZE, bytes.length - WireFormat.HEADER_SIZE, null);
    Object datum;
    try {
      datum = datumReader.read(null, decoder);
    } catch (EOFException e) {
      throw new WireFormatException(
          Reason.TRUNCATED, topic, id, "the Avro body ended early (" + bytes.length + " bytes)", e);
    } catch (IOException
        | AvroRuntimeException
        | IndexOutOfBoundsException
        | ClassCastException
        | NegativeArraySizeException e) {
      throw new WireFormatException(
          Reason.AVRO_DECODE_FAILED,
          topic,
          id,
          "cannot decode with writer schema "
              + writer.getFullName()
              + " as reader schema "
              + reader.getFullName()
              + ": "
              + e,
          e);
    }
    try {
      if (!decoder.isEnd()) {
        throw new WireFormatException(
            Reason.AVRO_DECODE_FAILED,
            topic,
            id,
            "bytes left over after a complete " + writer.getFullName(),
            null);
      }
    } catch (IOException e) {
      throw new WireFormatException(Reason.AVRO_DECODE_FAILED, topic, id, e.toString(), e);
    }
    return AvroPrimitives.toJava(datum, true);
  }

  private Schema writerSchema(String topic, int id) {
    try {
      return client.getSchemaById(id);
    } catch (RegistryException e) {
      Reason reason = e.isSchemaNotFound() ? Reason.UNKNOWN_SCHEMA_ID : Reason.REGISTRY_UNAVAILABLE;
      throw new WireFormatException(reason, topic, id, e.getMessage(), e);
    }
  }

  private static Schema chooseReader(String topic, int id, Schema writer, ReaderMode mode) {
    if (mode == ReaderMode.GENERIC
        || writer.getType() != Schema.Type.RECORD
            && writer.getType() != Schema.Type.ENUM
            && writer.getType() != Schema.Type.FIXED) {
      return writer;
    }
    Class<?> type = SpecificData.get().getClass(writer);
    if (type == null) {
      throw new WireFormatException(
          Reason.AVRO_DECODE_FAILED,
          topic,
          id,
          "specific.avro.reader is set but no generated class " + writer.getFullName() + " exists",
          null);
    }
    return SpecificData.get().getSchema(type);
  }

  private static boolean isNamed(Schema schema) {
    return schema.getType() == Schema.Type.RECORD
        || schema.getType() == Schema.Type.ENUM
        || schema.getType() == Schema.Type.FIXED;
  }

  private static DatumReader<Object> newReader(Schema writer, Schema reader, ReaderMode mode) {
    return mode == ReaderMode.SPECIFIC && isNamed(reader)
        ? new SpecificDatumReader<>(writer, reader, SpecificData.getForSchema(reader))
        : new GenericDatumReader<>(writer, reader, GenericData.get());
  }
}
