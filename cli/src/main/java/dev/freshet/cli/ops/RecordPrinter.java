package dev.freshet.cli.ops;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Renders records for people: a header line with topic, partition, offset, key and timestamp, then
 * one field per line. Avro values print field by field (long float arrays are cut after {@link
 * #FLOATS_SHOWN}, arrays of records one element per line); dead-letter records print their {@code
 * freshet.dlq.*} headers and a hex and UTF-8 preview of the original bytes.
 */
public final class RecordPrinter {

  /** Floats of a vector shown before "…". */
  public static final int FLOATS_SHOWN = 8;

  /** Bytes of a dead-letter key or value shown in the hex dump. */
  public static final int BYTES_SHOWN = 256;

  static final String REASON = "freshet.dlq.reason";
  static final String DETAIL = "freshet.dlq.detail";
  static final String SOURCE_TOPIC = "freshet.dlq.source.topic";
  static final String SOURCE_PARTITION = "freshet.dlq.source.partition";
  static final String SOURCE_OFFSET = "freshet.dlq.source.offset";

  private RecordPrinter() {}

  /** The first line of every record. */
  public static String headerLine(
      String topic, int partition, long offset, byte[] key, long timestamp) {
    return topic
        + "["
        + partition
        + "]@"
        + offset
        + "  key="
        + (key == null ? "null" : preview(key, 80))
        + "  timestamp="
        + (timestamp < 0 ? "none" : Instant.ofEpochMilli(timestamp).toString());
  }

  /** An Avro value, one field per line, indented by two spaces. */
  public static String avro(GenericRecord value) {
    if (value == null) {
      return "  (tombstone: null value)\n";
    }
    StringBuilder out = new StringBuilder();
    out.append("  (").append(value.getSchema().getName()).append(")\n");
    for (Schema.Field f : value.getSchema().getFields()) {
      out.append("  ").append(f.name()).append(": ");
      appendValue(out, value.get(f.pos()), f.schema(), "    ");
      out.append('\n');
    }
    return out.toString();
  }

  /** A dead-letter record: reason, detail, source, and previews of the original key and value. */
  public static String deadLetter(Headers headers, byte[] key, byte[] value) {
    StringBuilder out = new StringBuilder();
    out.append("  reason: ").append(header(headers, REASON)).append('\n');
    out.append("  detail: ").append(header(headers, DETAIL)).append('\n');
    String topic = header(headers, SOURCE_TOPIC);
    out.append("  source: ")
        .append(
            topic == null
                ? "unknown"
                : topic
                    + "["
                    + header(headers, SOURCE_PARTITION)
                    + "]@"
                    + header(headers, SOURCE_OFFSET))
        .append('\n');
    for (Header h : headers) {
      if (!h.key().startsWith("freshet.dlq.")) {
        out.append("  header ")
            .append(h.key())
            .append(": ")
            .append(h.value() == null ? "null" : preview(h.value(), 80))
            .append('\n');
      }
    }
    bytes(out, "key", key);
    bytes(out, "value", value);
    return out.toString();
  }

  /** A hex dump, 16 bytes a line with a printable-ASCII column, of at most {@code limit} bytes. */
  public static String hexDump(byte[] bytes, int limit, String indent) {
    StringBuilder out = new StringBuilder();
    int n = Math.min(bytes.length, limit);
    for (int row = 0; row < n; row += 16) {
      out.append(indent).append(String.format("%04x ", row));
      StringBuilder ascii = new StringBuilder();
      for (int i = row; i < row + 16; i++) {
        if (i < n) {
          int b = bytes[i] & 0xff;
          out.append(String.format(" %02x", b));
          ascii.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        } else {
          out.append("   ");
        }
      }
      out.append("  |").append(ascii).append("|\n");
    }
    if (bytes.length > n) {
      out.append(indent).append("... ").append(bytes.length - n).append(" more bytes\n");
    }
    return out.toString();
  }

  /** The bytes as UTF-8 in quotes if they decode strictly, else {@code <n bytes, not UTF-8>}. */
  public static String preview(byte[] bytes, int maxChars) {
    try {
      String s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      String shown = s.length() > maxChars ? s.substring(0, maxChars) + "…" : s;
      StringBuilder escaped = new StringBuilder("\"");
      for (char c : shown.toCharArray()) {
        if (c == '"' || c == '\\') {
          escaped.append('\\').append(c);
        } else if (c < 0x20) {
          escaped.append(String.format("\\u%04x", (int) c));
        } else {
          escaped.append(c);
        }
      }
      return escaped.append('"').toString();
    } catch (CharacterCodingException e) {
      return "<" + bytes.length + " bytes, not UTF-8>";
    }
  }

  private static void bytes(StringBuilder out, String what, byte[] b) {
    if (b == null) {
      out.append("  ").append(what).append(": null\n");
      return;
    }
    out.append("  ")
        .append(what)
        .append(" (")
        .append(b.length)
        .append(" bytes")
        .append(
            b.length > 0 && b[0] == 0 && b.length >= 5 ? ", Confluent wire format: magic 0" : "")
        .append(b.length > 0 && b[0] == 0 && b.length >= 5 ? ", schema id " + schemaId(b) : "")
        .append("):\n");
    out.append("    utf8: ").append(preview(b, 200)).append('\n');
    out.append(hexDump(b, BYTES_SHOWN, "    "));
  }

  private static int schemaId(byte[] b) {
    return ByteBuffer.wrap(b, 1, 4).getInt();
  }

  private static String header(Headers headers, String key) {
    Header h = headers.lastHeader(key);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static void appendValue(StringBuilder out, Object v, Schema schema, String indent) {
    if (v instanceof Collection<?> c && !c.isEmpty()) {
      Object first = c.iterator().next();
      if (first instanceof Float || first instanceof Double) {
        out.append('[');
        int i = 0;
        for (Object x : c) {
          if (i == FLOATS_SHOWN) {
            out.append(", … (").append(c.size()).append(" values)");
            break;
          }
          out.append(i == 0 ? "" : ", ").append(String.format("%.4f", ((Number) x).doubleValue()));
          i++;
        }
        out.append(']');
        return;
      }
      if (first instanceof GenericRecord) {
        out.append(c.size()).append(c.size() == 1 ? " entry" : " entries");
        int i = 0;
        for (Object x : c) {
          out.append('\n').append(indent).append(i++).append(": ");
          out.append(GenericData.get().toString(x));
        }
        return;
      }
    }
    if (v instanceof List<?> l && l.isEmpty()) {
      out.append("[]");
      return;
    }
    if (v instanceof Long millis && isTimestamp(schema)) {
      out.append(Instant.ofEpochMilli(millis));
      return;
    }
    if (v instanceof Instant) {
      out.append(v);
      return;
    }
    if (v instanceof ByteBuffer buf) {
      out.append('<').append(buf.remaining()).append(" bytes>");
      return;
    }
    out.append(GenericData.get().toString(v));
  }

  private static boolean isTimestamp(Schema schema) {
    Schema s = schema;
    if (s.getType() == Schema.Type.UNION) {
      for (Schema t : s.getTypes()) {
        if (t.getType() == Schema.Type.LONG) {
          s = t;
        }
      }
    }
    return s.getLogicalType() != null && s.getLogicalType().getName().startsWith("timestamp");
  }
}
