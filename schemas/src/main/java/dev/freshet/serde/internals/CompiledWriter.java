package dev.freshet.serde.internals;

import dev.freshet.serde.FloatArrayList;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.Set;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Encoder;

/**
 * A datum writer for generated (specific) records that decides once per schema, not once per value,
 * how each field is written. Avro's {@code SpecificDatumWriter} walks the schema for every datum:
 * per field it looks up the conversion, dispatches on the type, and resolves each union by the
 * datum's schema name (a hash lookup per nullable field). On the stream app's hot path that walk
 * cost more than the encoding itself.
 *
 * <p>The bytes are Avro's own, field for field (CompiledWriterTest compares them with Avro's writer
 * on random datums of every schema in the project). Only what the project's schemas use is
 * compiled: records, two-branch unions with null, primitives, strings, bytes, enums, fixed, arrays
 * (a {@link FloatArrayList} written from its array), maps, and {@code timestamp-millis} longs held
 * as {@link Instant}. A schema with anything else (a union of several records, another logical
 * type, a record that contains itself) is not compiled, and Avro's writer serves it. A datum this
 * writer cannot write (a null in a non-nullable field, a value of another type) makes it throw a
 * {@link RuntimeException}; the caller then writes the datum again with Avro's writer, which either
 * writes it or says what is wrong with it in its own words, naming the field.
 */
final class CompiledWriter implements DatumWriter<Object> {

  /** Writes one value of a compiled schema. */
  @FunctionalInterface
  private interface Node {
    void write(Object value, Encoder out) throws IOException;
  }

  private final Node root;

  private CompiledWriter(Node root) {
    this.root = root;
  }

  /**
   * A compiled writer of specific datums of {@code schema}; empty if the schema uses something this
   * class does not compile.
   */
  static Optional<DatumWriter<Object>> compile(Schema schema) {
    try {
      return Optional.of(new CompiledWriter(node(schema, new HashSet<>())));
    } catch (Unsupported e) {
      return Optional.empty();
    }
  }

  @Override
  public void setSchema(Schema schema) {
    throw new UnsupportedOperationException("a compiled writer has its schema");
  }

  @Override
  public void write(Object datum, Encoder out) throws IOException {
    root.write(datum, out);
  }

  /** A schema construct this class does not compile. */
  private static final class Unsupported extends Exception {
    Unsupported() {
      super(null, null, false, false);
    }
  }

  /**
   * The writer of {@code s}; {@code open} holds the names of the records being compiled around it,
   * so that a recursive schema (a record that contains itself) is left to Avro's writer instead of
   * recursing here without end.
   */
  private static Node node(Schema s, Set<String> open) throws Unsupported {
    LogicalType logical = s.getLogicalType();
    if (logical != null && !(logical instanceof LogicalTypes.TimestampMillis)) {
      throw new Unsupported();
    }
    switch (s.getType()) {
      case RECORD:
        return record(s, open);
      case UNION:
        return union(s, open);
      case ARRAY:
        return array(s, open);
      case MAP:
        return map(s, open);
      case STRING:
        return (v, out) -> out.writeString((CharSequence) v);
      case LONG:
        if (logical != null) {
          return (v, out) ->
              out.writeLong(v instanceof Instant t ? t.toEpochMilli() : ((Number) v).longValue());
        }
        return (v, out) -> out.writeLong(((Number) v).longValue());
      case INT:
        return (v, out) -> out.writeInt(((Number) v).intValue());
      case FLOAT:
        return (v, out) -> out.writeFloat(((Number) v).floatValue());
      case DOUBLE:
        return (v, out) -> out.writeDouble(((Number) v).doubleValue());
      case BOOLEAN:
        return (v, out) -> out.writeBoolean((Boolean) v);
      case NULL:
        return (v, out) -> {
          if (v != null) {
            throw new ClassCastException("not null");
          }
          out.writeNull();
        };
      case BYTES:
        return (v, out) -> out.writeBytes(((ByteBuffer) v).duplicate());
      case ENUM:
        return (v, out) -> out.writeEnum(((Enum<?>) v).ordinal());
      case FIXED:
        int size = s.getFixedSize();
        return (v, out) -> out.writeFixed(((GenericFixed) v).bytes(), 0, size);
      default:
        throw new Unsupported();
    }
  }

  private static Node record(Schema s, Set<String> open) throws Unsupported {
    String name = s.getFullName();
    if (!open.add(name)) {
      throw new Unsupported();
    }
    List<Schema.Field> fields = s.getFields();
    Node[] nodes = new Node[fields.size()];
    int[] positions = new int[fields.size()];
    for (int i = 0; i < nodes.length; i++) {
      nodes[i] = node(fields.get(i).schema(), open);
      positions[i] = fields.get(i).pos();
    }
    open.remove(name);
    return (v, out) -> {
      IndexedRecord r = (IndexedRecord) v;
      // As Avro resolves a record: by its name (the generated classes' nested schemas are other
      // objects than the enclosing schema's, so an identity check would fail and equals is dear).
      if (!name.equals(r.getSchema().getFullName())) {
        throw new ClassCastException("a " + r.getSchema().getFullName() + " is not a " + name);
      }
      for (int i = 0; i < nodes.length; i++) {
        nodes[i].write(r.get(positions[i]), out);
      }
    };
  }

  /**
   * Only {@code [null, T]} and {@code [T, null]}: a null picks the null branch, anything else T.
   */
  private static Node union(Schema s, Set<String> open) throws Unsupported {
    List<Schema> types = s.getTypes();
    if (types.size() != 2) {
      throw new Unsupported();
    }
    int nullIndex;
    if (types.get(0).getType() == Schema.Type.NULL) {
      nullIndex = 0;
    } else if (types.get(1).getType() == Schema.Type.NULL) {
      nullIndex = 1;
    } else {
      throw new Unsupported();
    }
    int other = 1 - nullIndex;
    Node value = node(types.get(other), open);
    return (v, out) -> {
      if (v == null) {
        out.writeIndex(nullIndex);
      } else {
        out.writeIndex(other);
        value.write(v, out);
      }
    };
  }

  private static Node array(Schema s, Set<String> open) throws Unsupported {
    Schema element = s.getElementType();
    Node items = node(element, open);
    boolean floats = element.getType() == Schema.Type.FLOAT && element.getLogicalType() == null;
    return (v, out) -> {
      if (floats && v instanceof FloatArrayList f) {
        FloatArrayWriters.writeFloats(f, out);
        return;
      }
      Collection<?> c = (Collection<?>) v;
      out.writeArrayStart();
      out.setItemCount(c.size());
      if (c instanceof List<?> list && c instanceof RandomAccess) {
        for (int i = 0, n = list.size(); i < n; i++) {
          out.startItem();
          items.write(list.get(i), out);
        }
      } else {
        for (Object item : c) {
          out.startItem();
          items.write(item, out);
        }
      }
      out.writeArrayEnd();
    };
  }

  private static Node map(Schema s, Set<String> open) throws Unsupported {
    Node values = node(s.getValueType(), open);
    return (v, out) -> {
      Map<?, ?> m = (Map<?, ?>) v;
      out.writeMapStart();
      out.setItemCount(m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.startItem();
        out.writeString(e.getKey().toString());
        values.write(e.getValue(), out);
      }
      out.writeMapEnd();
    };
  }
}
