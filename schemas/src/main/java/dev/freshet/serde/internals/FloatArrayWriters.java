package dev.freshet.serde.internals;

import dev.freshet.serde.FloatArrayList;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Avro's datum writers, except that an {@code array<float>} held as a {@link FloatArrayList} is
 * written from its array rather than element by element through the generic path (which unboxes
 * each float behind an iterator and a type dispatch). The encoding is Avro's own: one block of
 * {@code n} floats, then the end marker, which is what Avro's writers produce for any list of
 * {@code n} floats (the test compares the bytes).
 */
final class FloatArrayWriters {

  private FloatArrayWriters() {}

  /** A writer of generated ({@code specific}) or generic datums of {@code schema}. */
  static DatumWriter<Object> forSchema(Schema schema, boolean specific) {
    return specific ? new Specific(schema) : new Generic(schema);
  }

  /** Writes {@code datum} if it is a float array this class writes; says whether it did. */
  private static boolean writeFloats(Schema schema, Object datum, Encoder out) throws IOException {
    if (!(datum instanceof FloatArrayList floats)
        || schema.getElementType().getType() != Schema.Type.FLOAT
        || schema.getElementType().getLogicalType() != null) {
      return false;
    }
    writeFloats(floats, out);
    return true;
  }

  /** {@code floats} as Avro writes an {@code array<float>}: one block, then the end marker. */
  static void writeFloats(FloatArrayList floats, Encoder out) throws IOException {
    int n = floats.size();
    out.writeArrayStart();
    out.setItemCount(n);
    for (int i = 0; i < n; i++) {
      out.startItem();
      out.writeFloat(floats.getFloat(i));
    }
    out.writeArrayEnd();
  }

  private static final class Specific extends SpecificDatumWriter<Object> {
    Specific(Schema schema) {
      super(schema);
    }

    @Override
    protected void writeArray(Schema schema, Object datum, Encoder out) throws IOException {
      if (!writeFloats(schema, datum, out)) {
        super.writeArray(schema, datum, out);
      }
    }
  }

  private static final class Generic extends GenericDatumWriter<Object> {
    Generic(Schema schema) {
      super(schema, GenericData.get());
    }

    @Override
    protected void writeArray(Schema schema, Object datum, Encoder out) throws IOException {
      if (!writeFloats(schema, datum, out)) {
        super.writeArray(schema, datum, out);
      }
    }
  }
}
