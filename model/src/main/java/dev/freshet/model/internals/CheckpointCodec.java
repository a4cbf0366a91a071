package dev.freshet.model.internals;

import dev.freshet.model.Activation;
import dev.freshet.model.CheckpointException;
import dev.freshet.model.LossType;
import dev.freshet.model.ModelConfig;
import dev.freshet.model.SequencePooling;
import dev.freshet.model.Table;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UTFDataFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The binary checkpoint format, version {@value #VERSION} (big-endian, {@link DataOutputStream}
 * encodings; strings are modified UTF-8):
 *
 * <pre>
 * magic "FRSHTCKP" (8 bytes) | int version
 * config: every {@link ModelConfig} field in a fixed order (version 2 appends utf pooling |
 *         utf userActivation | double dropout | bool inBatchNegatives | bool tieItemEmbeddings;
 *         version 3 appends double temperature | double historyDropout | bool lastItemSkip
 *         | double skipDecay; version 4 appends int searchDim; an older file has the
 *         reference values of the fields it lacks)
 * state:  long steps | long latestEventMillis | bool denseChanged | long rngState
 * dense:  int n × (utf name | int rows | int cols | values | adam m | adam v) | long adamStep
 * tables: int n × (utf table | int dim | bool hasUnk [unk value, acc] | int entries
 *                  × (utf key | long count | long lastSeen | bool admitted [value, acc])
 *                  | int nUpdated × utf | int nRemoved × utf)
 * sampler: int used × (bool present [utf key] | double weight) | int nFree × int
 *          | int treeLength × double | long updatesSinceRebuild
 * long CRC32 of every preceding byte
 * </pre>
 *
 * Values are floats in single-precision models and doubles in double-precision ones, so restoring
 * is exact. Entries are written sorted by key, so equal models give equal bytes.
 */
public final class CheckpointCodec {
  /** Current format version, the one written; readers also read {@link #OLDEST_READABLE}. */
  public static final int VERSION = 4;

  /** The oldest version this build reads (version 1 lacks the tower and loss options of 2). */
  public static final int OLDEST_READABLE = 1;

  private static final byte[] MAGIC = "FRSHTCKP".getBytes(StandardCharsets.US_ASCII);

  private CheckpointCodec() {}

  /** Writes {@code core} to {@code out} (not closed). */
  public static void write(ModelCore core, OutputStream out) throws IOException {
    CRC32 crc = new CRC32();
    DataOutputStream d = new DataOutputStream(new CheckedOutputStream(out, crc));
    d.write(MAGIC);
    d.writeInt(VERSION);
    ModelConfig c = core.cfg;
    writeConfig(d, c);
    boolean single = c.precision() == ModelConfig.Precision.FLOAT;
    d.writeLong(core.steps);
    d.writeLong(core.latestEventMillis);
    d.writeBoolean(core.denseChanged);
    d.writeLong(core.rng.state());
    Map<String, INDArray> params = core.network.params();
    d.writeInt(params.size());
    for (var e : params.entrySet()) {
      INDArray p = e.getValue();
      d.writeUTF(e.getKey());
      d.writeInt((int) p.rows());
      d.writeInt((int) p.columns());
      writeValues(d, Tensors.toDoubles(p), single);
      writeValues(d, Tensors.toDoubles(core.adam.firstMoments().get(e.getKey())), single);
      writeValues(d, Tensors.toDoubles(core.adam.secondMoments().get(e.getKey())), single);
    }
    d.writeLong(core.adam.step());
    d.writeInt(core.tables.size());
    for (SparseTable t : core.tables.values()) {
      d.writeUTF(t.table().wireName());
      d.writeInt(t.dim());
      Entry unk = t.unk();
      d.writeBoolean(unk != null);
      if (unk != null) {
        writeRow(d, unk, false, single);
        writeRow(d, unk, true, single);
      }
      List<Entry> entries = new ArrayList<>(t.entries());
      entries.sort((a, b) -> a.key.compareTo(b.key));
      d.writeInt(entries.size());
      for (Entry e : entries) {
        d.writeUTF(e.key);
        d.writeLong(e.count);
        d.writeLong(e.lastSeenMillis);
        d.writeBoolean(e.admitted());
        if (e.admitted()) {
          writeRow(d, e, false, single);
          writeRow(d, e, true, single);
        }
      }
      writeKeys(d, t.pendingUpdated());
      writeKeys(d, t.pendingRemoved());
    }
    String[] keys = core.sampler.slotKeys();
    double[] weights = core.sampler.slotWeights();
    d.writeInt(keys.length);
    for (int i = 0; i < keys.length; i++) {
      d.writeBoolean(keys[i] != null);
      if (keys[i] != null) {
        d.writeUTF(keys[i]);
      }
      d.writeDouble(weights[i]);
    }
    int[] free = core.sampler.freeSlots();
    d.writeInt(free.length);
    for (int f : free) {
      d.writeInt(f);
    }
    double[] tree = core.sampler.treeArray();
    d.writeInt(tree.length);
    for (double v : tree) {
      d.writeDouble(v);
    }
    d.writeLong(core.sampler.updatesSinceRebuild());
    d.flush();
    new DataOutputStream(out).writeLong(crc.getValue());
    out.flush();
  }

  /**
   * Reads a checkpoint written by {@link #write}.
   *
   * @throws CheckpointException naming the problem: bad magic, unsupported version, truncation,
   *     checksum mismatch, or inconsistent content
   */
  public static ModelCore read(InputStream in) throws IOException {
    CRC32 crc = new CRC32();
    DataInputStream d = new DataInputStream(new CheckedInputStream(in, crc));
    try {
      byte[] magic = new byte[MAGIC.length];
      d.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new CheckpointException("not a Freshet model checkpoint (bad magic bytes)");
      }
      int version = d.readInt();
      if (version < OLDEST_READABLE || version > VERSION) {
        throw new CheckpointException(
            "unsupported checkpoint format version "
                + version
                + " (this build reads "
                + OLDEST_READABLE
                + " to "
                + VERSION
                + ")");
      }
      ModelConfig c = readConfig(d, version);
      boolean single = c.precision() == ModelConfig.Precision.FLOAT;
      long steps = d.readLong();
      long latest = d.readLong();
      boolean denseChanged = d.readBoolean();
      long rngState = d.readLong();
      Map<String, long[]> shapes = Network.shapes(c);
      int nDense = d.readInt();
      if (nDense != shapes.size()) {
        throw new CheckpointException(
            "checkpoint has " + nDense + " dense tensors, expected " + shapes.size());
      }
      Map<String, INDArray> params = new LinkedHashMap<>();
      Map<String, double[]> ms = new LinkedHashMap<>();
      Map<String, double[]> vs = new LinkedHashMap<>();
      for (int i = 0; i < nDense; i++) {
        String name = d.readUTF();
        int rows = d.readInt();
        int cols = d.readInt();
        long[] shape = shapes.get(name);
        if (shape == null || shape[0] != rows || shape[1] != cols) {
          throw new CheckpointException(
              "dense tensor " + name + " " + rows + "x" + cols + " does not fit the config");
        }
        int n = rows * cols;
        params.put(name, Tensors.matrix(readValues(d, n, single), rows, cols, Network.dataType(c)));
        ms.put(name, readValues(d, n, single));
        vs.put(name, readValues(d, n, single));
      }
      long adamStep = d.readLong();
      ModelCore core = new ModelCore(c, params);
      core.steps = steps;
      core.latestEventMillis = latest;
      core.denseChanged = denseChanged;
      core.rng = new SplitMix64(rngState);
      for (String name : params.keySet()) {
        INDArray p = params.get(name);
        core.adam
            .firstMoments()
            .get(name)
            .assign(Tensors.matrix(ms.get(name), p.rows(), p.columns(), p.dataType()));
        core.adam
            .secondMoments()
            .get(name)
            .assign(Tensors.matrix(vs.get(name), p.rows(), p.columns(), p.dataType()));
      }
      core.adam.restoreStep(adamStep);
      int nTables = d.readInt();
      // Version 4 added the search-token table; an older file has every table but that one.
      int expectedTables = Table.values().length - (version < 4 ? 1 : 0);
      if (nTables != expectedTables) {
        throw new CheckpointException(
            "checkpoint has " + nTables + " tables, expected " + expectedTables);
      }
      for (int i = 0; i < nTables; i++) {
        String name = d.readUTF();
        Table table;
        try {
          table = Table.fromWireName(name);
        } catch (IllegalArgumentException e) {
          throw new CheckpointException("checkpoint has an unknown table " + name, e);
        }
        SparseTable t = core.tables.get(table);
        int dim = d.readInt();
        if (dim != t.dim()) {
          throw new CheckpointException(
              "table " + name + " has rows of " + dim + ", config says " + t.dim());
        }
        boolean hasUnk = d.readBoolean();
        if (hasUnk != (t.unk() != null)) {
          throw new CheckpointException("table " + name + ": unexpected unk flag " + hasUnk);
        }
        if (hasUnk) {
          t.restore(null, 0, 0, readValues(d, dim, single), readValues(d, dim, single));
        }
        int n = nonNegative(d.readInt(), "entry count of table " + name);
        for (int j = 0; j < n; j++) {
          String key = d.readUTF();
          long count = d.readLong();
          long lastSeen = d.readLong();
          boolean admitted = d.readBoolean();
          double[] value = admitted ? readValues(d, dim, single) : null;
          double[] acc = admitted ? readValues(d, dim, single) : null;
          t.restore(key, count, lastSeen, value, acc);
        }
        t.restoreChanges(readKeys(d), readKeys(d));
      }
      int used = nonNegative(d.readInt(), "sampler size");
      String[] keys = new String[used];
      double[] weights = new double[used];
      for (int i = 0; i < used; i++) {
        keys[i] = d.readBoolean() ? d.readUTF() : null;
        weights[i] = d.readDouble();
      }
      int nFree = nonNegative(d.readInt(), "sampler free-slot count");
      int[] free = new int[nFree];
      for (int i = 0; i < nFree; i++) {
        free[i] = d.readInt();
        if (free[i] < 0 || free[i] >= used) {
          throw new CheckpointException("sampler free slot " + free[i] + " out of range");
        }
      }
      int treeLen = d.readInt();
      if (treeLen < used + 1 || Integer.bitCount(treeLen - 1) != 1) {
        throw new CheckpointException("sampler tree length " + treeLen + " is inconsistent");
      }
      double[] tree = new double[treeLen];
      for (int i = 0; i < treeLen; i++) {
        tree[i] = d.readDouble();
      }
      long updates = d.readLong();
      core.sampler = FenwickSampler.restore(keys, weights, free, tree, updates);
      long expected = crc.getValue();
      long stored = new DataInputStream(in).readLong();
      if (stored != expected) {
        throw new CheckpointException(
            "checkpoint is corrupt: CRC32 mismatch (stored "
                + Long.toHexString(stored)
                + ", computed "
                + Long.toHexString(expected)
                + ")");
      }
      return core;
    } catch (EOFException e) {
      throw new CheckpointException("checkpoint is truncated", e);
    } catch (UTFDataFormatException e) {
      throw new CheckpointException("checkpoint is corrupt: malformed string", e);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException("checkpoint is corrupt or incompatible: " + e.getMessage(), e);
    }
  }

  private static int nonNegative(int n, String what) {
    if (n < 0) {
      throw new CheckpointException("checkpoint is corrupt: negative " + what + " " + n);
    }
    return n;
  }

  private static void writeKeys(DataOutputStream d, List<String> keys) throws IOException {
    d.writeInt(keys.size());
    for (String k : keys) {
      d.writeUTF(k);
    }
  }

  private static LinkedHashSet<String> readKeys(DataInputStream d) throws IOException {
    int n = nonNegative(d.readInt(), "key count");
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      out.add(d.readUTF());
    }
    return out;
  }

  private static void writeValues(DataOutputStream d, double[] v, boolean single)
      throws IOException {
    for (double x : v) {
      if (single) {
        d.writeFloat((float) x);
      } else {
        d.writeDouble(x);
      }
    }
  }

  /** Writes an entry's row ({@code acc} false) or accumulator, in the checkpoint's precision. */
  private static void writeRow(DataOutputStream d, Entry e, boolean acc, boolean single)
      throws IOException {
    int n = e.table.dim();
    for (int i = 0; i < n; i++) {
      double x = acc ? e.acc(i) : e.get(i);
      if (single) {
        d.writeFloat((float) x);
      } else {
        d.writeDouble(x);
      }
    }
  }

  private static double[] readValues(DataInputStream d, int n, boolean single) throws IOException {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = single ? d.readFloat() : d.readDouble();
    }
    return v;
  }

  private static void writeConfig(DataOutputStream d, ModelConfig c) throws IOException {
    d.writeInt(c.userDim());
    d.writeInt(c.provinceDim());
    d.writeInt(c.cityDim());
    d.writeInt(c.phoneDim());
    d.writeInt(c.itemDim());
    d.writeInt(c.categoryDim());
    d.writeInt(c.tagDim());
    d.writeInt(c.lstmHidden());
    d.writeInt(c.hiddenDim());
    d.writeInt(c.userVectorDim());
    d.writeInt(c.maxWindow());
    d.writeBoolean(c.useExampleAge());
    d.writeUTF(c.loss().name());
    d.writeInt(c.numNegatives());
    d.writeBoolean(c.removeAccidentalHits());
    d.writeDouble(c.samplerPower());
    d.writeInt(c.featAppearLimit());
    d.writeLong(c.rowExpiryMillis());
    d.writeDouble(c.sparseLearningRate());
    d.writeDouble(c.adagradInitialAccumulator());
    d.writeDouble(c.denseLearningRate());
    d.writeDouble(c.adamBeta1());
    d.writeDouble(c.adamBeta2());
    d.writeDouble(c.adamEpsilon());
    d.writeUTF(c.precision().name());
    d.writeLong(c.seed());
    d.writeUTF(c.pooling().name());
    d.writeUTF(c.userActivation().name());
    d.writeDouble(c.dropout());
    d.writeBoolean(c.inBatchNegatives());
    d.writeBoolean(c.tieItemEmbeddings());
    d.writeDouble(c.temperature());
    d.writeDouble(c.historyDropout());
    d.writeBoolean(c.lastItemSkip());
    d.writeDouble(c.skipDecay());
    d.writeInt(c.searchDim());
  }

  private static ModelConfig readConfig(DataInputStream d, int version) throws IOException {
    ModelConfig.Builder b =
        ModelConfig.reference()
            .userDim(d.readInt())
            .provinceDim(d.readInt())
            .cityDim(d.readInt())
            .phoneDim(d.readInt())
            .itemDim(d.readInt())
            .categoryDim(d.readInt())
            .tagDim(d.readInt())
            .lstmHidden(d.readInt())
            .hiddenDim(d.readInt())
            .userVectorDim(d.readInt())
            .maxWindow(d.readInt())
            .useExampleAge(d.readBoolean());
    String loss = d.readUTF();
    try {
      b.loss(LossType.valueOf(loss));
    } catch (IllegalArgumentException e) {
      throw new CheckpointException("checkpoint has an unknown loss type " + loss, e);
    }
    b.numNegatives(d.readInt())
        .removeAccidentalHits(d.readBoolean())
        .samplerPower(d.readDouble())
        .featAppearLimit(d.readInt())
        .rowExpiryMillis(d.readLong())
        .sparseLearningRate(d.readDouble())
        .adagradInitialAccumulator(d.readDouble())
        .denseLearningRate(d.readDouble())
        .adamBeta1(d.readDouble())
        .adamBeta2(d.readDouble())
        .adamEpsilon(d.readDouble());
    String precision = d.readUTF();
    try {
      b.precision(ModelConfig.Precision.valueOf(precision));
    } catch (IllegalArgumentException e) {
      throw new CheckpointException("checkpoint has an unknown precision " + precision, e);
    }
    b.seed(d.readLong());
    if (version >= 2) {
      b.pooling(readEnum(d, SequencePooling.class, "sequence pooling"))
          .userActivation(readEnum(d, Activation.class, "user activation"))
          .dropout(d.readDouble())
          .inBatchNegatives(d.readBoolean())
          .tieItemEmbeddings(d.readBoolean());
    }
    if (version >= 3) {
      b.temperature(d.readDouble())
          .historyDropout(d.readDouble())
          .lastItemSkip(d.readBoolean())
          .skipDecay(d.readDouble());
    }
    if (version >= 4) {
      b.searchDim(d.readInt());
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new CheckpointException("checkpoint has an invalid config: " + e.getMessage(), e);
    }
  }

  private static <E extends Enum<E>> E readEnum(DataInputStream d, Class<E> type, String what)
      throws IOException {
    String name = d.readUTF();
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException("checkpoint has an unknown " + what + " " + name, e);
    }
  }
}
