package dev.freshet.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.avro.EmbeddingRow;
import dev.freshet.avro.ItemVector;
import dev.freshet.avro.ModelUpdate;
import dev.freshet.registry.MockSchemaRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FloatArrayListTest {

  private static final String SCOPE = "float-array-list";
  private static final Map<String, String> CONFIG =
      Map.of("schema.registry.url", "mock://" + SCOPE);

  @AfterEach
  void dropRegistry() {
    MockSchemaRegistry.dropScope(SCOPE);
  }

  private static float[] floats(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    v[0] = Float.NaN;
    if (n > 2) {
      v[1] = -0.0f;
      v[2] = Float.MIN_VALUE;
    }
    return v;
  }

  private static List<Float> boxed(float[] v) {
    List<Float> out = new ArrayList<>(v.length);
    for (float f : v) {
      out.add(f);
    }
    return out;
  }

  private static ModelUpdate row(List<Float> values) {
    return new ModelUpdate(
        7L,
        EmbeddingRow.newBuilder()
            .setTable("item")
            .setKey("item-42")
            .setValues(values)
            .setModelVersion(7L)
            .build());
  }

  private static ItemVector item(List<Float> vector) {
    return ItemVector.newBuilder()
        .setItemId("item-42")
        .setVector(vector)
        .setModelVersion(7L)
        .setUpdatedAt(Instant.ofEpochMilli(1_700_000_000_123L))
        .build();
  }

  @Test
  void shouldWriteTheSameBytesAsAListOfBoxedFloats() {
    Random r = new Random(11);
    try (Serde<ModelUpdate> updates = AvroSerdes.specific(ModelUpdate.class, CONFIG, false);
        Serde<ItemVector> items = AvroSerdes.specific(ItemVector.class, CONFIG, false)) {
      // lengths across Avro's one-byte and two-byte block counts
      for (int n : new int[] {0, 1, 31, 64, 65, 300}) {
        float[] v = n == 0 ? new float[0] : floats(r, n);
        byte[] packed = updates.serializer().serialize("t", row(FloatArrayList.wrap(v)));
        byte[] plain = updates.serializer().serialize("t", row(boxed(v)));
        assertThat(packed).as("row of %d", n).isEqualTo(plain);

        byte[] packedItem = items.serializer().serialize("i", item(FloatArrayList.wrap(v)));
        assertThat(packedItem).isEqualTo(items.serializer().serialize("i", item(boxed(v))));
        byte[] wrappedItem =
            updates.serializer().serialize("t", new ModelUpdate(7L, item(FloatArrayList.wrap(v))));
        assertThat(wrappedItem)
            .isEqualTo(updates.serializer().serialize("t", new ModelUpdate(7L, item(boxed(v)))));

        EmbeddingRow back =
            (EmbeddingRow) updates.deserializer().deserialize("t", packed).getPayload();
        assertThat(FloatArrayList.toArray(back.getValues())).isEqualTo(v);
      }
    }
  }

  @Test
  void shouldWriteGenericRecordsTheSameWay() {
    float[] v = floats(new Random(3), 40);
    try (Serde<GenericRecord> generic = AvroSerdes.generic(CONFIG, false)) {
      GenericRecord packed = new GenericData.Record(EmbeddingRow.getClassSchema());
      packed.put("table", "tag");
      packed.put("key", "k");
      packed.put("values", FloatArrayList.wrap(v));
      packed.put("modelVersion", 3L);
      GenericRecord plain = new GenericData.Record(EmbeddingRow.getClassSchema());
      plain.put("table", "tag");
      plain.put("key", "k");
      plain.put("values", boxed(v));
      plain.put("modelVersion", 3L);
      assertThat(generic.serializer().serialize("g", packed))
          .isEqualTo(generic.serializer().serialize("g", plain));
    }
  }

  @Test
  void shouldReadLikeAListAndRefuseChanges() {
    float[] v = {1f, 2f, 3f};
    FloatArrayList list = FloatArrayList.wrap(v);
    assertThat(list).containsExactly(1f, 2f, 3f);
    assertThat(list.getFloat(2)).isEqualTo(3f);
    assertThat(list).isEqualTo(List.of(1f, 2f, 3f));
    assertThat(list.hashCode()).isEqualTo(List.of(1f, 2f, 3f).hashCode());
    assertThatThrownBy(() -> list.set(0, 5f)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list.get(3)).isInstanceOf(IndexOutOfBoundsException.class);
    float[] copy = FloatArrayList.toArray(list);
    copy[0] = 9f;
    assertThat(v[0]).isEqualTo(1f);
    assertThat(FloatArrayList.toArray(List.of(4f, 5f))).containsExactly(4f, 5f);
  }
}
