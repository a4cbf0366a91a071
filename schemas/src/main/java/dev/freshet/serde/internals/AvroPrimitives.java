package dev.freshet.serde.internals;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.util.Utf8;

/** The Avro schema of a datum: a record's own schema, or the schema of a primitive value. */
public final class AvroPrimitives {

  private static final Schema NULL = Schema.create(Schema.Type.NULL);
  private static final Schema BOOLEAN = Schema.create(Schema.Type.BOOLEAN);
  private static final Schema INT = Schema.create(Schema.Type.INT);
  private static final Schema LONG = Schema.create(Schema.Type.LONG);
  private static final Schema FLOAT = Schema.create(Schema.Type.FLOAT);
  private static final Schema DOUBLE = Schema.create(Schema.Type.DOUBLE);
  private static final Schema STRING = Schema.create(Schema.Type.STRING);
  private static final Schema BYTES = Schema.create(Schema.Type.BYTES);

  private AvroPrimitives() {}

  /**
   * The schema to write {@code datum} with.
   *
   * @throws IllegalArgumentException if the datum is neither an Avro container (record, enum,
   *     fixed, array) nor one of String, Utf8, Boolean, Integer, Long, Float, Double, byte[],
   *     ByteBuffer
   */
  public static Schema schemaOf(Object datum) {
    Objects.requireNonNull(datum, "datum");
    if (datum instanceof GenericContainer container) {
      return container.getSchema();
    }
    if (datum instanceof CharSequence) {
      return STRING;
    }
    if (datum instanceof Boolean) {
      return BOOLEAN;
    }
    if (datum instanceof Integer) {
      return INT;
    }
    if (datum instanceof Long) {
      return LONG;
    }
    if (datum instanceof Float) {
      return FLOAT;
    }
    if (datum instanceof Double) {
      return DOUBLE;
    }
    if (datum instanceof byte[] || datum instanceof ByteBuffer) {
      return BYTES;
    }
    throw new IllegalArgumentException(
        "Cannot write a " + datum.getClass().getName() + " as Avro: not a record or primitive");
  }

  /** The schema of values of {@code type}; see {@link #schemaOf} for the supported classes. */
  public static Schema schemaOf(Class<?> type) {
    Objects.requireNonNull(type, "type");
    if (type == Void.class) {
      return NULL;
    }
    if (type == String.class || type == Utf8.class || type == CharSequence.class) {
      return STRING;
    }
    if (type == Boolean.class) {
      return BOOLEAN;
    }
    if (type == Integer.class) {
      return INT;
    }
    if (type == Long.class) {
      return LONG;
    }
    if (type == Float.class) {
      return FLOAT;
    }
    if (type == Double.class) {
      return DOUBLE;
    }
    if (type == byte[].class || type == ByteBuffer.class) {
      return BYTES;
    }
    throw new IllegalArgumentException("Not an Avro primitive type: " + type.getName());
  }

  /**
   * Converts a decoded top-level value to the Java type callers expect: {@link Utf8} to String,
   * ByteBuffer to byte[] when {@code bytesAsArray}; anything else unchanged.
   */
  public static Object toJava(Object decoded, boolean bytesAsArray) {
    if (decoded instanceof Utf8 utf8) {
      return utf8.toString();
    }
    if (bytesAsArray && decoded instanceof ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      return bytes;
    }
    return decoded;
  }
}
