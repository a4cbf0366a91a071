package dev.freshet.paramlog;

import dev.freshet.avro.DenseParams;
import dev.freshet.avro.EmbeddingRow;
import dev.freshet.avro.ItemVector;
import dev.freshet.avro.ModelUpdate;
import dev.freshet.avro.SnapshotManifest;
import dev.freshet.avro.Tensor;
import dev.freshet.model.DenseTensor;
import dev.freshet.model.Table;
import dev.freshet.serde.AvroClassTrust;
import dev.freshet.serde.FloatArrayList;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Builds and reads the values of the {@code model-params} topic. */
public final class ParamRecords {

  static {
    // Building manifests and updates may make Avro load generated classes for defaults.
    AvroClassTrust.install();
  }

  private ParamRecords() {}

  /** A sparse row of the user tower. */
  public static ModelUpdate row(long version, Table table, String key, float[] values) {
    return new ModelUpdate(
        version,
        EmbeddingRow.newBuilder()
            .setTable(table.wireName())
            .setKey(key)
            .setValues(toList(values))
            .setModelVersion(version)
            .build());
  }

  /** An item vector {@code [b_i, w_i]}. */
  public static ItemVector itemVector(long version, String itemId, float[] vector, long updatedAt) {
    return ItemVector.newBuilder()
        .setItemId(itemId)
        .setVector(toList(vector))
        .setModelVersion(version)
        .setUpdatedAt(Instant.ofEpochMilli(updatedAt))
        .build();
  }

  /** The item vector wrapped for the parameter log. */
  public static ModelUpdate item(ItemVector vector) {
    return new ModelUpdate(vector.getModelVersion(), vector);
  }

  /** All dense tensors. */
  public static ModelUpdate dense(long version, List<DenseTensor> tensors) {
    List<Tensor> out = new ArrayList<>(tensors.size());
    for (DenseTensor t : tensors) {
      out.add(toAvro(t));
    }
    return new ModelUpdate(version, new DenseParams(version, out));
  }

  /** The manifest that completes a snapshot. */
  public static ModelUpdate manifest(SnapshotManifest manifest) {
    return new ModelUpdate(manifest.getVersion(), manifest);
  }

  /** A dense tensor in the wire form: shape {@code [rows, cols]}, little-endian float32 data. */
  public static Tensor toAvro(DenseTensor t) {
    float[] v = t.values();
    ByteBuffer buf = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(v);
    return Tensor.newBuilder()
        .setName(t.name())
        .setShape(List.of(t.rows(), t.cols()))
        .setData(buf)
        .build();
  }

  /**
   * Reads a wire tensor.
   *
   * @throws IllegalArgumentException if the shape is not 2-d or does not match the data length
   */
  public static DenseTensor fromAvro(Tensor t) {
    Objects.requireNonNull(t, "tensor");
    List<Integer> shape = t.getShape();
    if (shape.size() != 2) {
      throw new IllegalArgumentException(
          "tensor " + t.getName() + " has shape " + shape + ", expected [rows, cols]");
    }
    ByteBuffer data = t.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int n = shape.get(0) * shape.get(1);
    if (data.remaining() != 4 * n) {
      throw new IllegalArgumentException(
          "tensor "
              + t.getName()
              + " of shape "
              + shape
              + " needs "
              + 4 * n
              + " bytes, has "
              + data.remaining());
    }
    float[] v = new float[n];
    data.asFloatBuffer().get(v);
    return new DenseTensor(t.getName(), shape.get(0), shape.get(1), v);
  }

  /** A float list as an array. */
  public static float[] toArray(List<Float> values) {
    return FloatArrayList.toArray(values);
  }

  /**
   * A copy of a float array as a list for Avro arrays: a {@link FloatArrayList}, which boxes
   * nothing and which the serializers write straight from the array.
   */
  public static List<Float> toList(float[] values) {
    return FloatArrayList.wrap(values.clone());
  }
}
