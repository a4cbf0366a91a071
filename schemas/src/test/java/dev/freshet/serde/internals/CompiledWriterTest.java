package dev.freshet.serde.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.avro.ClickEvent;
import dev.freshet.avro.ClickedItem;
import dev.freshet.avro.DenseParams;
import dev.freshet.avro.EmbeddingRow;
import dev.freshet.avro.InputSegment;
import dev.freshet.avro.ItemVector;
import dev.freshet.avro.Judgement;
import dev.freshet.avro.ModelContribution;
import dev.freshet.avro.ModelUpdate;
import dev.freshet.avro.Recommendations;
import dev.freshet.avro.RowDelta;
import dev.freshet.avro.RowValue;
import dev.freshet.avro.ScoredItem;
import dev.freshet.avro.SnapshotManifest;
import dev.freshet.avro.Tensor;
import dev.freshet.avro.TrainerShare;
import dev.freshet.avro.TrainingInstance;
import dev.freshet.avro.UserHistory;
import dev.freshet.avro.UserVector;
import dev.freshet.serde.FloatArrayList;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compiled writer against Avro's: the same bytes for random datums of every generated record
 * type (nulls and values in each nullable field, empty and longer arrays and maps, non-ASCII text),
 * and no compiled writer where a schema has what it does not compile.
 */
class CompiledWriterTest {

  static Stream<Class<? extends SpecificRecordBase>> compiledTypes() {
    return Stream.of(
        ClickEvent.class,
        ClickedItem.class,
        DenseParams.class,
        EmbeddingRow.class,
        InputSegment.class,
        ItemVector.class,
        Judgement.class,
        ModelContribution.class,
        Recommendations.class,
        RowDelta.class,
        RowValue.class,
        ScoredItem.class,
        SnapshotManifest.class,
        Tensor.class,
        TrainerShare.class,
        TrainingInstance.class,
        UserHistory.class,
        UserVector.class);
  }

  @ParameterizedTest
  @MethodSource("compiledTypes")
  void shouldWriteTheBytesAvroWritesForRandomDatums(Class<? extends SpecificRecordBase> type)
      throws IOException {
    Schema schema = schemaOf(type);
    DatumWriter<Object> compiled = CompiledWriter.compile(schema).orElseThrow();
    DatumWriter<Object> avro = new SpecificDatumWriter<>(schema);
    Random rnd = new Random(type.getSimpleName().hashCode());
    for (int i = 0; i < 200; i++) {
      Object datum = specific(type, schema, new RandomDatum(rnd).of(schema));
      assertThat(bytes(compiled, datum))
          .as("%s #%d", type.getSimpleName(), i)
          .isEqualTo(bytes(avro, datum));
    }
  }

  @Test
  void shouldWriteAFloatArrayListAsAvroWritesTheSameFloatsBoxed() throws IOException {
    List<Float> boxed = List.of(1.5f, -0f, Float.NaN, 3e-40f);
    float[] raw = {1.5f, -0f, Float.NaN, 3e-40f};
    UserVector.Builder b =
        UserVector.newBuilder()
            .setUserId("ü")
            .setModelVersion(3)
            .setEventTime(Instant.ofEpochMilli(12))
            .setComputedAt(Instant.ofEpochMilli(34))
            .setEventId(null);
    UserVector viaList = b.setVector(FloatArrayList.wrap(raw)).build();
    UserVector viaBoxed = b.setVector(boxed).build();
    DatumWriter<Object> compiled =
        CompiledWriter.compile(UserVector.getClassSchema()).orElseThrow();
    assertThat(bytes(compiled, viaList))
        .isEqualTo(bytes(new SpecificDatumWriter<>(UserVector.getClassSchema()), viaBoxed));
  }

  @Test
  void shouldNotCompileAUnionOfSeveralRecords() {
    assertThat(CompiledWriter.compile(ModelUpdate.getClassSchema())).isEmpty();
  }

  @Test
  void shouldNotCompileARecordThatContainsItself() {
    Schema node =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"Node\",\"fields\":[{\"name\":\"next\","
                    + "\"type\":[\"null\",\"Node\"]}]}");
    assertThat(CompiledWriter.compile(node)).isEmpty();
  }

  @Test
  void shouldThrowOnANullInANonNullableFieldSoThatAvrosWriterCanSayWhichOne() {
    Judgement j =
        Judgement.newBuilder().setHit(true).setRank(0).setModelVersion(1).setListSize(3).build();
    UserHistory h =
        new UserHistory(
            null, null, null, null, List.of(), 0L, List.of(), null, j, ByteBuffer.allocate(0));
    DatumWriter<Object> compiled =
        CompiledWriter.compile(UserHistory.getClassSchema()).orElseThrow();
    assertThatThrownBy(() -> bytes(compiled, h)).isInstanceOf(RuntimeException.class);
  }

  private static Schema schemaOf(Class<? extends SpecificRecordBase> type) {
    try {
      return (Schema) type.getMethod("getClassSchema").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** A generic datum as the generated class: written by Avro's generic writer, read back. */
  private static Object specific(Class<?> type, Schema schema, Object generic) throws IOException {
    byte[] b = bytes(new GenericDatumWriter<>(schema, GenericData.get()), generic);
    return new SpecificDatumReader<>(type).read(null, DecoderFactory.get().binaryDecoder(b, null));
  }

  private static byte[] bytes(DatumWriter<Object> writer, Object datum) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    writer.write(datum, enc);
    enc.flush();
    return out.toByteArray();
  }

  /** Random generic datums of a schema. */
  private record RandomDatum(Random rnd) {

    Object of(Schema s) {
      switch (s.getType()) {
        case RECORD:
          GenericData.Record r = new GenericData.Record(s);
          for (Schema.Field f : s.getFields()) {
            r.put(f.pos(), of(f.schema()));
          }
          return r;
        case UNION:
          List<Schema> types = s.getTypes();
          return of(types.get(rnd.nextInt(types.size())));
        case ARRAY:
          int n = length();
          List<Object> items = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            items.add(of(s.getElementType()));
          }
          return new GenericData.Array<>(s, items);
        case MAP:
          int m = length();
          Map<String, Object> map = new HashMap<>();
          for (int i = 0; i < m; i++) {
            map.put(text(), of(s.getValueType()));
          }
          return map;
        case STRING:
          return text();
        case LONG:
          return rnd.nextInt(4) == 0 ? rnd.nextLong() >> 20 : (long) rnd.nextInt(1000) - 500;
        case INT:
          return rnd.nextInt(4) == 0 ? rnd.nextInt() : rnd.nextInt(100) - 50;
        case FLOAT:
          return rnd.nextFloat() * 10 - 5;
        case DOUBLE:
          return rnd.nextGaussian() * 1e6;
        case BOOLEAN:
          return rnd.nextBoolean();
        case NULL:
          return null;
        case BYTES:
          byte[] b = new byte[length()];
          rnd.nextBytes(b);
          return ByteBuffer.wrap(b);
        case ENUM:
          return new GenericData.EnumSymbol(
              s, s.getEnumSymbols().get(rnd.nextInt(s.getEnumSymbols().size())));
        case FIXED:
          byte[] f = new byte[s.getFixedSize()];
          rnd.nextBytes(f);
          return new GenericData.Fixed(s, f);
        default:
          throw new AssertionError("no random " + s.getType());
      }
    }

    private int length() {
      return rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(70);
    }

    private String text() {
      String[] parts = {"a", "video-", "é", "日本", "🎬", "\u0000", "42"};
      StringBuilder sb = new StringBuilder();
      for (int i = rnd.nextInt(5); i > 0; i--) {
        sb.append(parts[rnd.nextInt(parts.length)]);
      }
      return sb.toString();
    }
  }
}
