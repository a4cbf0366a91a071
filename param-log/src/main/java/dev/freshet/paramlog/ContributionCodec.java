package dev.freshet.paramlog;

import dev.freshet.avro.ModelContribution;
import dev.freshet.avro.RowDelta;
import dev.freshet.avro.RowValue;
import dev.freshet.avro.Tensor;
import dev.freshet.model.Contribution;
import dev.freshet.model.DenseTensor;
import dev.freshet.model.Table;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@link Contribution}s as records of the {@code model-sync} topic ({@link ModelContribution}): row
 * deltas as packed little-endian float32, dense deltas as {@link Tensor}s.
 */
public final class ContributionCodec {

  /**
   * Who wrote a contribution and what it stands for.
   *
   * @param trainer the writer's instance id
   * @param incarnation the writer's process run
   * @param sequence counts the incarnation's contributions from 1
   * @param leaderVersion the snapshot published with it (leader only), or null
   * @param instances training instances behind it
   * @param maxEventTime their largest event time
   * @param createdAt when it was built (epoch millis)
   */
  public record Header(
      String trainer,
      String incarnation,
      long sequence,
      Long leaderVersion,
      long instances,
      long maxEventTime,
      long createdAt) {
    public Header {
      Objects.requireNonNull(trainer, "trainer");
      Objects.requireNonNull(incarnation, "incarnation");
    }
  }

  static {
    dev.freshet.serde.AvroClassTrust.install();
  }

  private ContributionCodec() {}

  /** The record for {@code c} with {@code header}. */
  public static ModelContribution toAvro(Header header, Contribution c) {
    List<RowDelta> rows = rowDeltas(c.rows());
    List<RowDelta> accumulators = rowDeltas(c.accumulators());
    List<RowValue> initial = new ArrayList<>();
    c.initial()
        .forEach(
            (table, byKey) ->
                byKey.forEach(
                    (key, values) ->
                        initial.add(
                            RowValue.newBuilder()
                                .setTable(table.wireName())
                                .setKey(key)
                                .setValues(pack(values))
                                .build())));
    List<Tensor> dense = new ArrayList<>(c.dense().size());
    for (DenseTensor t : c.dense()) {
      dense.add(ParamRecords.toAvro(t));
    }
    return ModelContribution.newBuilder()
        .setTrainer(header.trainer())
        .setIncarnation(header.incarnation())
        .setSequence(header.sequence())
        .setLeaderVersion(header.leaderVersion())
        .setInstances(header.instances())
        .setMaxEventTime(header.maxEventTime())
        .setCreatedAt(Instant.ofEpochMilli(header.createdAt()))
        .setRows(rows)
        .setAccumulatorRows(accumulators)
        .setInitialRows(initial)
        .setItemCounts(new LinkedHashMap<>(c.itemCounts()))
        .setDense(dense)
        .build();
  }

  /** The header of a record. */
  public static Header header(ModelContribution m) {
    return new Header(
        m.getTrainer(),
        m.getIncarnation(),
        m.getSequence(),
        m.getLeaderVersion(),
        m.getInstances(),
        m.getMaxEventTime(),
        m.getCreatedAt().toEpochMilli());
  }

  /**
   * The deltas of a record.
   *
   * @throws IllegalArgumentException if a table name is unknown or a delta is not whole floats
   */
  public static Contribution fromAvro(ModelContribution m) {
    Map<Table, Map<String, float[]>> rows = rowDeltas(m.getRows());
    Map<Table, Map<String, float[]>> accumulators = rowDeltas(m.getAccumulatorRows());
    Map<Table, Map<String, float[]>> initial = new EnumMap<>(Table.class);
    for (RowValue r : m.getInitialRows()) {
      initial
          .computeIfAbsent(Table.fromWireName(r.getTable()), t -> new LinkedHashMap<>())
          .put(r.getKey(), unpack(r.getValues(), r.getTable(), r.getKey()));
    }
    List<DenseTensor> dense = new ArrayList<>(m.getDense().size());
    for (Tensor t : m.getDense()) {
      dense.add(ParamRecords.fromAvro(t));
    }
    return new Contribution(
        rows, accumulators, initial, new LinkedHashMap<>(m.getItemCounts()), dense);
  }

  private static List<RowDelta> rowDeltas(Map<Table, Map<String, float[]>> byTable) {
    List<RowDelta> out = new ArrayList<>();
    byTable.forEach(
        (table, byKey) ->
            byKey.forEach(
                (key, delta) ->
                    out.add(
                        RowDelta.newBuilder()
                            .setTable(table.wireName())
                            .setKey(key)
                            .setDelta(pack(delta))
                            .build())));
    return out;
  }

  private static Map<Table, Map<String, float[]>> rowDeltas(List<RowDelta> records) {
    Map<Table, Map<String, float[]>> out = new EnumMap<>(Table.class);
    // Rows come grouped by table: the name is resolved once per run of equal names.
    String name = null;
    Map<String, float[]> rows = null;
    for (RowDelta r : records) {
      if (!r.getTable().equals(name)) {
        name = r.getTable();
        rows = out.computeIfAbsent(Table.fromWireName(name), t -> new LinkedHashMap<>());
      }
      rows.put(r.getKey(), unpack(r.getDelta(), name, r.getKey()));
    }
    return out;
  }

  private static ByteBuffer pack(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b;
  }

  private static float[] unpack(ByteBuffer data, String table, String key) {
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (b.remaining() % 4 != 0) {
      throw new IllegalArgumentException(
          "delta of " + table + "/" + key + " has " + b.remaining() + " bytes, not whole floats");
    }
    float[] v = new float[b.remaining() / 4];
    b.asFloatBuffer().get(v);
    return v;
  }
}
