package dev.freshet.serde.internals;

import dev.freshet.serde.WireFormatException;
import dev.freshet.serde.WireFormatException.Reason;
import java.nio.ByteBuffer;

/**
 * Confluent's framing: magic byte {@value #MAGIC_BYTE}, the schema id as a big-endian int, then the
 * Avro body from offset {@value #HEADER_SIZE}.
 */
public final class WireFormat {

  /** The first byte of every framed record. */
  public static final byte MAGIC_BYTE = 0;

  /** Magic byte plus 4-byte id. */
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** Writes the header for {@code schemaId} at the start of {@code out}. */
  public static void writeHeader(ByteBuffer out, int schemaId) {
    out.put(MAGIC_BYTE).putInt(schemaId);
  }

  /**
   * Validates the header of {@code bytes} and returns the schema id.
   *
   * @throws WireFormatException EMPTY, WRONG_MAGIC_BYTE or TRUNCATED
   */
  public static int readSchemaId(String topic, byte[] bytes) {
    if (bytes.length == 0) {
      throw new WireFormatException(
          Reason.EMPTY, topic, WireFormatException.NO_SCHEMA_ID, "zero bytes", null);
    }
    if (bytes[0] != MAGIC_BYTE) {
      throw new WireFormatException(
          Reason.WRONG_MAGIC_BYTE,
          topic,
          WireFormatException.NO_SCHEMA_ID,
          String.format(
              "first byte is 0x%02x, expected 0x00 (not written by a schema-registry serializer)",
              bytes[0] & 0xff),
          null);
    }
    if (bytes.length < HEADER_SIZE) {
      throw new WireFormatException(
          Reason.TRUNCATED,
          topic,
          WireFormatException.NO_SCHEMA_ID,
          bytes.length + " bytes, shorter than the " + HEADER_SIZE + "-byte header",
          null);
    }
    return ByteBuffer.wrap(bytes, 1, 4).getInt();
  }
}
