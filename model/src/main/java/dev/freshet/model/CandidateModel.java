package dev.freshet.model;

import dev.freshet.model.internals.CheckpointCodec;
import dev.freshet.model.internals.CosineScores;
import dev.freshet.model.internals.Entry;
import dev.freshet.model.internals.ModelCore;
import dev.freshet.model.internals.SparseTable;
import dev.freshet.model.internals.Tensors;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The trainable candidate-generation model (Covington et al. 2016): sparse embedding tables keyed
 * by raw feature values with frequency admission and idle expiry, an LSTM + ReLU user tower, and a
 * sampled (NCE or sampled-softmax) output layer whose rows are the item vectors.
 *
 * <p>Typical use by a trainer: {@link #train} each mini-batch with the batch's event time; now and
 * then {@link #expire} idle rows, {@link #drainChanges()} and publish {@link #exportRow} / {@link
 * #exportDense()} for what changed; {@link #save} checkpoints. A stream app needs only {@link
 * #userVectors} (or a {@link UserTower} built from published parameters), {@link #itemVectors()}
 * and {@link Mips}.
 *
 * <p>Time is event time passed in by the caller; the model never reads the wall clock. Same config
 * (incl. seed) and same calls give bit-identical models. Not thread-safe.
 */
public final class CandidateModel {
  private final ModelCore core;

  private CandidateModel(ModelCore core) {
    this.core = core;
  }

  /**
   * Makes every matrix product of this JVM run on one thread (OpenBLAS and libnd4j), from now on.
   * The floats a product returns depend on how many threads computed it: on the build machine the
   * same 32×80×320 product differed in its last bits between one and two threads. A run that must
   * reproduce another bit for bit (the trainer's deterministic mode, a replay on a machine with
   * another core count) needs the same count on both sides, and one is the count every machine has.
   * JVM-wide and one-way; it costs speed on products large enough to split.
   */
  public static void useOneArithmeticThread() {
    Nd4j.factory().blas().setMaxThreads(1);
    Nd4j.getEnvironment().setMaxThreads(1);
    Nd4j.getEnvironment().setMaxMasterThreads(1);
  }

  /** A freshly initialised model. */
  public static CandidateModel create(ModelConfig config) {
    return new CandidateModel(new ModelCore(Objects.requireNonNull(config, "config")));
  }

  public ModelConfig config() {
    return core.config();
  }

  /** Completed training steps. */
  public long steps() {
    return core.steps();
  }

  /** The internal state, for checks inside this module's tests and benchmarks. */
  ModelCore core() {
    return core;
  }

  /**
   * One training step on a mini-batch. Every feature value of every instance is counted for
   * admission first (at {@code eventTimeMillis}); then the instances whose target item is admitted
   * are trained on in one batched forward/backward pass with {@code numNegatives} negatives each,
   * and only the rows they touch (inputs, targets, negatives) plus the dense weights are updated.
   */
  public TrainStats train(List<Instance> batch, long eventTimeMillis) {
    Objects.requireNonNull(batch, "batch");
    ModelCore.Prepared p = core.prepare(batch, eventTimeMillis);
    if (p.tower() == null) {
      return new TrainStats(Double.NaN, 0, p.skipped());
    }
    ModelCore.Step step = core.lossAndGradients(p);
    core.apply(step.grads());
    return new TrainStats(step.loss(), p.tower().size, p.skipped());
  }

  /**
   * User vectors {@code [1, u]} for a batch of contexts, with the forward kernel that is faster for
   * the batch size (the same choice as {@link UserTower#userVectors(List)}). Reading does not count
   * values or refresh expiry.
   */
  public float[][] userVectors(List<UserContext> users) {
    Objects.requireNonNull(users, "users");
    if (users.isEmpty()) {
      return new float[0][];
    }
    return UserTower.userVectorsOf(
        core.userRepresentations(users), users.size(), core.config().userVectorDim());
  }

  /**
   * The item vector {@code [b_i, w_i]} ({@code [b_i, w_i/|w_i|]} with cosine scores, {@link
   * ModelConfig#temperature()}), or {@code null} if the item is not admitted.
   */
  public float[] itemVector(String itemId) {
    Objects.requireNonNull(itemId, "itemId");
    if (!core.config().cosineScores()) {
      return exportRow(Table.ITEM_OUTPUT, itemId);
    }
    Entry e = core.table(Table.ITEM_OUTPUT).get(itemId);
    return e == null || !e.admitted() ? null : CosineScores.itemVector(e);
  }

  /** An admitted output row as the item vector the model scores with. */
  private void copyItemVector(Entry e, float[] dst, int off) {
    if (core.config().cosineScores()) {
      float[] v = CosineScores.itemVector(e);
      System.arraycopy(v, 0, dst, off, v.length);
    } else {
      e.copyTo(dst, off);
    }
  }

  /** Whether {@code key} has its own row in {@code table} (not {@code <unk>}). */
  public boolean isAdmitted(Table table, String key) {
    Objects.requireNonNull(table, "table");
    Entry e = core.table(table).get(key);
    return e != null && e.admitted() && e != core.table(table).unk();
  }

  /**
   * Every admitted value of {@code table}, sorted. The {@code <unk>} row is not among them: a full
   * republish (a rollback) walks these and exports {@link UserTower#UNK} with {@link #exportRow}
   * besides.
   */
  public List<String> keys(Table table) {
    Objects.requireNonNull(table, "table");
    List<String> out = new ArrayList<>();
    for (Entry e : core.table(table).entries()) {
      if (e.admitted()) {
        out.add(e.key());
      }
    }
    out.sort(null);
    return out;
  }

  /** Admitted items, i.e. rows of {@link #itemVectors()}, counted without copying them. */
  public int itemCount() {
    int n = 0;
    for (Entry e : core.table(Table.ITEM_OUTPUT).entries()) {
      if (e.admitted()) {
        n++;
      }
    }
    return n;
  }

  /**
   * The largest Euclidean norm of an admitted item vector {@code [b_i, w_i]} (0 with no items): the
   * {@code m} of SIMPLE-LSH. One pass over the rows, no copy of the matrix.
   */
  public float maxItemNorm() {
    SparseTable out = core.table(Table.ITEM_OUTPUT);
    float[] row = new float[out.dim()];
    double max = 0;
    for (Entry e : out.entries()) {
      if (e.admitted()) {
        copyItemVector(e, row, 0);
        double s = 0;
        for (float x : row) {
          s += (double) x * x;
        }
        max = Math.max(max, s);
      }
    }
    return (float) Math.sqrt(max);
  }

  /** A snapshot of all admitted items' vectors, sorted by item id. */
  public ItemVectors itemVectors() {
    SparseTable out = core.table(Table.ITEM_OUTPUT);
    List<Entry> entries = new ArrayList<>();
    for (Entry e : out.entries()) {
      if (e.admitted()) {
        entries.add(e);
      }
    }
    entries.sort((a, b) -> a.key().compareTo(b.key()));
    int d = out.dim();
    float[] data = new float[entries.size() * d];
    List<String> ids = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      ids.add(entries.get(i).key());
      copyItemVector(entries.get(i), data, i * d);
    }
    return new ItemVectors(ids, data, d);
  }

  /**
   * Evicts rows idle for longer than {@link ModelConfig#rowExpiryMillis()} at event time {@code
   * eventTimeMillis} (no-op when expiry is off). Cost is linear in the table sizes, so call it at
   * an interval, not per step. Evicted keys must be re-admitted from zero.
   *
   * @return number of rows removed
   */
  public int expire(long eventTimeMillis) {
    return core.expire(eventTimeMillis);
  }

  /**
   * Starts recording what this model's own training changes (see {@link #drainContribution()}).
   * Recording only copies values: training computes exactly what it computes without it.
   */
  public void trackContributions() {
    core.trackContributions();
  }

  /**
   * Stops recording what this model's own training changes, and forgets what was recorded since the
   * last {@link #drainContribution()}. Recording costs a copy of each row at its first step in an
   * interval and of the dense weights at each drain; a replica nobody merges from (one trainer
   * alone) need not pay it.
   */
  public void stopTrackingContributions() {
    core.stopTrackingContributions();
  }

  /** Whether this model records its contributions ({@link #trackContributions()}). */
  public boolean tracksContributions() {
    return core.tracksContributions();
  }

  /**
   * What this model's own training changed since the previous call (or {@link
   * #trackContributions()}), merged contributions excluded: the deltas another replica adds with
   * {@link #merge} to hold the same training.
   *
   * @throws IllegalStateException if {@link #trackContributions()} was not called
   */
  public Contribution drainContribution() {
    return core.drainContribution();
  }

  /**
   * Adds another replica's {@link Contribution}, its rows marked seen at {@code eventTimeMillis};
   * the rows and dense tensors it moves are reported by the next {@link #drainChanges()}.
   */
  public void merge(Contribution contribution, long eventTimeMillis) {
    core.merge(Objects.requireNonNull(contribution, "contribution"), eventTimeMillis);
  }

  /** What changed since the previous call (the first call reports every initial row). */
  public ChangeSet drainChanges() {
    EnumMap<Table, Set<String>> updated = new EnumMap<>(Table.class);
    EnumMap<Table, Set<String>> removed = new EnumMap<>(Table.class);
    for (Table t : Table.values()) {
      updated.put(t, core.table(t).drainUpdated());
      removed.put(t, core.table(t).drainRemoved());
    }
    return new ChangeSet(updated, removed, core.drainDenseChanged());
  }

  /**
   * A copy of the row of {@code key} ({@link UserTower#UNK} for the unk row) as floats, or {@code
   * null} if it has no row.
   */
  public float[] exportRow(Table table, String key) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(key, "key");
    Entry e = core.table(table).get(key);
    if (e == null || !e.admitted()) {
      return null;
    }
    float[] out = new float[core.table(table).dim()];
    e.copyTo(out, 0);
    return out;
  }

  /**
   * Overwrites (creating and admitting if needed) the row of {@code key}; optimizer state of an
   * existing row is kept, a new row starts with a fresh accumulator. Importing an item into {@link
   * Table#ITEM} or {@link Table#ITEM_OUTPUT} admits it in both and in the negative sampler.
   */
  public void importRow(Table table, String key, float[] values) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(values, "values");
    double[] d = Tensors.widen(values);
    if (d.length != table.dim(core.config())) {
      throw new IllegalArgumentException(
          "row for "
              + table
              + " must have "
              + table.dim(core.config())
              + " values but had "
              + d.length);
    }
    core.importRow(table, key, d);
  }

  /** Every dense parameter as float tensors, in canonical order. */
  public List<DenseTensor> exportDense() {
    List<DenseTensor> out = new ArrayList<>();
    for (var e : core.network().params().entrySet()) {
      INDArray p = e.getValue();
      out.add(new DenseTensor(e.getKey(), (int) p.rows(), (int) p.columns(), Tensors.toFloats(p)));
    }
    return out;
  }

  /** Overwrites one dense parameter (name and shape must match). */
  public void importDense(DenseTensor tensor) {
    Objects.requireNonNull(tensor, "tensor");
    INDArray p = core.network().params().get(tensor.name());
    if (p != null && (p.rows() != tensor.rows() || p.columns() != tensor.cols())) {
      throw new IllegalArgumentException(
          "dense parameter "
              + tensor.name()
              + " is "
              + p.rows()
              + "x"
              + p.columns()
              + " but the tensor is "
              + tensor.rows()
              + "x"
              + tensor.cols());
    }
    core.importDense(tensor.name(), Tensors.widen(tensor.values()));
  }

  /**
   * Writes a checkpoint (see {@code docs/model.md}): config, dense tensors with Adam state, every
   * table entry with counts, expiry times, rows and Adagrad state, pending change sets, sampler and
   * random state. Restoring it gives a model that behaves bit-identically.
   */
  public void save(OutputStream out) throws IOException {
    Objects.requireNonNull(out, "out");
    CheckpointCodec.write(core, out);
  }

  /** Saves to {@code file} (written to a sibling temp file, then moved into place). */
  public void save(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
      save(out);
    }
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Reads a checkpoint written by {@link #save(OutputStream)}.
   *
   * @throws CheckpointException if the data is not a checkpoint, is truncated or corrupt, or has an
   *     unsupported format version
   */
  public static CandidateModel load(InputStream in) throws IOException {
    Objects.requireNonNull(in, "in");
    return new CandidateModel(CheckpointCodec.read(in));
  }

  /** Loads a checkpoint file; see {@link #load(InputStream)}. */
  public static CandidateModel load(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      return load(in);
    }
  }
}
