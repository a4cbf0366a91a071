package dev.freshet.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Deterministic generic datums for any schema: every field set (unions take their first non-null
 * branch, arrays and maps get two entries), values derived from a seed so two calls with different
 * seeds differ.
 */
public final class SampleData {

  private SampleData() {}

  /** A record of {@code schema} with every field populated. */
  public static GenericRecord record(Schema schema, int seed) {
    return (GenericRecord) value(schema, seed);
  }

  /** A datum of {@code schema}. */
  public static Object value(Schema schema, int seed) {
    return switch (schema.getType()) {
      case RECORD -> {
        GenericData.Record record = new GenericData.Record(schema);
        int i = 0;
        for (Schema.Field field : schema.getFields()) {
          record.put(field.pos(), value(field.schema(), seed * 31 + i++));
        }
        yield record;
      }
      case UNION -> {
        Schema branch =
            schema.getTypes().stream()
                .filter(s -> s.getType() != Schema.Type.NULL)
                .findFirst()
                .orElse(schema.getTypes().get(0));
        yield value(branch, seed);
      }
      case ARRAY -> {
        List<Object> list = new ArrayList<>();
        list.add(value(schema.getElementType(), seed + 1));
        list.add(value(schema.getElementType(), seed + 2));
        yield new GenericData.Array<>(schema, list);
      }
      case MAP -> {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("k" + seed, value(schema.getValueType(), seed + 1));
        map.put("k" + (seed + 1), value(schema.getValueType(), seed + 2));
        yield map;
      }
      case ENUM ->
          new GenericData.EnumSymbol(
              schema,
              schema.getEnumSymbols().get(Math.floorMod(seed, schema.getEnumSymbols().size())));
      case FIXED -> {
        byte[] bytes = new byte[schema.getFixedSize()];
        for (int i = 0; i < bytes.length; i++) {
          bytes[i] = (byte) (seed + i);
        }
        yield new GenericData.Fixed(schema, bytes);
      }
      case STRING -> "v" + seed;
      case BYTES -> ByteBuffer.wrap(("b" + seed).getBytes(StandardCharsets.UTF_8));
      case INT -> seed;
      case LONG -> 1_700_000_000_000L + seed;
      case FLOAT -> seed / 4.0f;
      case DOUBLE -> seed / 8.0;
      case BOOLEAN -> seed % 2 == 0;
      case NULL -> null;
    };
  }
}
