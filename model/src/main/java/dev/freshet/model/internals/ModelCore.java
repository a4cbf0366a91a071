package dev.freshet.model.internals;

import dev.freshet.model.Contribution;
import dev.freshet.model.DenseTensor;
import dev.freshet.model.Instance;
import dev.freshet.model.Item;
import dev.freshet.model.LossType;
import dev.freshet.model.ModelConfig;
import dev.freshet.model.Table;
import dev.freshet.model.UserContext;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The complete trainable state — sparse tables, noise sampler, dense parameters, optimizer state,
 * random stream — and one training step split into its three phases so each can be checked alone:
 * {@link #prepare} (count, admit, resolve rows, draw negatives), {@link #lossAndGradients} (pure
 * function of the prepared batch and the current parameters) and {@link #apply} (Adam on dense
 * weights, per-row Adagrad on touched rows). Not thread-safe.
 */
public final class ModelCore {
  final ModelConfig cfg;
  final EnumMap<Table, SparseTable> tables = new EnumMap<>(Table.class);
  FenwickSampler sampler = new FenwickSampler();
  final Network network;
  final Adam adam;
  SplitMix64 rng;
  long steps;
  long latestEventMillis;
  boolean denseChanged;
  private PlainTower plainTower;
  private final Scratch scratch = new Scratch();
  private Map<String, double[]> denseBaseline;

  /** A freshly initialised model. */
  public ModelCore(ModelConfig cfg) {
    this(cfg, Network.initialParams(cfg));
  }

  ModelCore(ModelConfig cfg, Map<String, INDArray> dense) {
    this.cfg = cfg;
    boolean single = cfg.precision() == ModelConfig.Precision.FLOAT;
    for (Table t : Table.values()) {
      boolean output = t == Table.ITEM_OUTPUT;
      tables.put(
          t,
          new SparseTable(
              t,
              t.dim(cfg),
              cfg.featAppearLimit(),
              cfg.seed(),
              single,
              cfg.adagradInitialAccumulator(),
              !output,
              output));
    }
    tables.get(Table.ITEM_OUTPUT).setInitialBias(this::logPrior);
    tables.get(Table.ITEM_OUTPUT).setRandomOutputWeights(cfg.cosineScores());
    this.network = new Network(cfg, dense);
    this.adam =
        new Adam(
            cfg.denseLearningRate(),
            cfg.adamBeta1(),
            cfg.adamBeta2(),
            cfg.adamEpsilon(),
            network.params());
    this.rng = new SplitMix64(cfg.seed());
    this.denseChanged = true;
  }

  public ModelConfig config() {
    return cfg;
  }

  public SparseTable table(Table t) {
    return tables.get(t);
  }

  public FenwickSampler sampler() {
    return sampler;
  }

  public Network network() {
    return network;
  }

  public long steps() {
    return steps;
  }

  public long latestEventMillis() {
    return latestEventMillis;
  }

  /**
   * The initial bias of a newly admitted output row: the item's log prior {@code log(count_i / N)},
   * its share of all target clicks counted so far ({@code N} = total count of the item table). With
   * {@code w = 0} the row's score is this constant for every user, so before training a new item
   * ranks like popularity, and its NCE logit {@code log(c_i/N) - log(k q_i)} starts where NCE's
   * optimum {@code s = log p(i|u)} would put an item the model knows nothing about (Mnih &amp; Teh
   * 2012); for sampled softmax the scores start as the log marginal distribution.
   */
  double logPrior(String itemId) {
    Entry item = tables.get(Table.ITEM).get(itemId);
    long count = item == null ? 1 : Math.max(1, item.count);
    long total = Math.max(count, tables.get(Table.ITEM).totalCount());
    return Math.log((double) count / total);
  }

  /** Whether the item has rows (and so may be a target or a candidate). */
  public boolean itemAdmitted(String itemId) {
    Entry e = tables.get(Table.ITEM).get(itemId);
    return e != null && e.admitted() && e != tables.get(Table.ITEM).unk();
  }

  /**
   * A batch ready for {@link #lossAndGradients}; {@code tower} is null if no example is usable.
   * {@code output} holds per-example negatives ({@link LossType#NCE}, {@link
   * LossType#SAMPLED_SOFTMAX}), {@code candidates} the shared candidate set of the batched losses;
   * the other one is null.
   */
  public record Prepared(
      TowerBatch tower, OutputBatch output, CandidateBatch candidates, int skipped) {}

  /**
   * Counts every feature value of {@code batch} at event time {@code eventMillis} (admitting values
   * that reach the limit), then resolves rows and draws negatives for the instances whose target is
   * admitted. Instances with unadmitted targets only count.
   */
  public Prepared prepare(List<Instance> batch, long eventMillis) {
    latestEventMillis = Math.max(latestEventMillis, eventMillis);
    for (Instance inst : batch) {
      observe(inst, eventMillis);
    }
    List<Instance> usable = new ArrayList<>(batch.size());
    for (Instance inst : batch) {
      if (itemAdmitted(inst.target().itemId())) {
        usable.add(inst);
      }
    }
    int skipped = batch.size() - usable.size();
    if (usable.isEmpty()) {
      return new Prepared(null, null, null, skipped);
    }
    List<UserContext> contexts = new ArrayList<>(usable.size());
    for (int b = 0; b < usable.size(); b++) {
      contexts.add(augmented(usable.get(b).context(), b));
    }
    TowerBatch tower = resolve(contexts, true, eventMillis);
    if (cfg.loss() == LossType.SHARED_SAMPLED_SOFTMAX) {
      return new Prepared(tower, null, sharedCandidates(usable), skipped);
    }
    if (cfg.loss() == LossType.FULL_SOFTMAX) {
      return new Prepared(tower, null, allCandidates(usable), skipped);
    }
    int n = usable.size();
    int k = cfg.numNegatives();
    SparseTable out = tables.get(Table.ITEM_OUTPUT);
    Entry[] targets = new Entry[n];
    Entry[][] negatives = new Entry[n][k];
    double[] targetCorr = new double[n];
    double[][] negCorr = new double[n][k];
    boolean[][] keep = new boolean[n][k];
    double total = sampler.total();
    double logK = cfg.loss() == LossType.NCE ? Math.log(k) : 0;
    for (int b = 0; b < n; b++) {
      String target = usable.get(b).target().itemId();
      targets[b] = out.get(target);
      targetCorr[b] = Math.log(sampler.weight(target) / total) + logK;
      for (int j = 0; j < k; j++) {
        String neg = sampler.sample(rng);
        negatives[b][j] = out.get(neg);
        negCorr[b][j] = Math.log(sampler.weight(neg) / total) + logK;
        keep[b][j] = !(cfg.removeAccidentalHits() && neg.equals(target));
      }
    }
    return new Prepared(
        tower, new OutputBatch(targets, negatives, targetCorr, negCorr, keep), null, skipped);
  }

  /**
   * The context with each window click left out with probability {@link
   * ModelConfig#historyDropout()}, decided by a hash of (seed, step, example, position); the
   * context itself when history dropout is off or nothing was dropped.
   */
  private UserContext augmented(UserContext c, int example) {
    double rate = cfg.historyDropout();
    List<Item> h = c.history();
    if (rate == 0 || h.isEmpty()) {
      return c;
    }
    long base =
        SplitMix64.mix(
            cfg.seed()
                ^ SplitMix64.mix(steps * 0x9E3779B97F4A7C15L + example + 0x5851F42D4C957F2DL));
    List<Item> kept = new ArrayList<>(h.size());
    for (int t = 0; t < h.size(); t++) {
      double r = (SplitMix64.mix(base + t) >>> 11) * 0x1.0p-53;
      if (r >= rate) {
        kept.add(h.get(t));
      }
    }
    if (kept.size() == h.size()) {
      return c;
    }
    return new UserContext(c.userId(), c.province(), c.city(), c.phone(), kept, c.exampleAge());
  }

  /**
   * The batch's targets (columns {@code 0..B-1}) followed by {@code numNegatives} items drawn once
   * from the sampler for the whole batch. Every column is corrected by {@code log E[n_x]}, the
   * expected number of times item {@code x} is among the candidates: {@code S·q(x)} from the
   * sampler, plus {@code B·p(x)} when the batch's targets are negatives too, where {@code p(x)} is
   * the item's share of all target clicks counted so far (how often it is a target of an example).
   * Shifting every logit of a row by the same constant changes nothing, so without in-batch
   * negatives this is exactly per-example sampled softmax with the same negatives.
   */
  private CandidateBatch sharedCandidates(List<Instance> usable) {
    int n = usable.size();
    int s = cfg.numNegatives();
    SparseTable out = tables.get(Table.ITEM_OUTPUT);
    SparseTable items = tables.get(Table.ITEM);
    Entry[] cand = new Entry[n + s];
    String[] keys = new String[n + s];
    int[] positive = new int[n];
    for (int b = 0; b < n; b++) {
      keys[b] = usable.get(b).target().itemId();
      cand[b] = out.get(keys[b]);
      positive[b] = b;
    }
    for (int j = 0; j < s; j++) {
      keys[n + j] = sampler.sample(rng);
      cand[n + j] = out.get(keys[n + j]);
    }
    double total = sampler.total();
    double targets = Math.max(1, items.totalCount());
    boolean inBatch = cfg.inBatchNegatives();
    double[] corr = new double[n + s];
    for (int c = 0; c < n + s; c++) {
      double expected = s * (sampler.weight(keys[c]) / total);
      if (inBatch) {
        expected += n * (items.get(keys[c]).count / targets);
      }
      corr[c] = Math.log(expected);
    }
    return new CandidateBatch(cand, corr, positive, n, inBatch, cfg.removeAccidentalHits());
  }

  /** Every admitted item as a candidate, uncorrected: the exact softmax. */
  private CandidateBatch allCandidates(List<Instance> usable) {
    SparseTable out = tables.get(Table.ITEM_OUTPUT);
    List<Entry> rows = new ArrayList<>(out.entries().size());
    java.util.HashMap<Entry, Integer> column = new java.util.HashMap<>();
    for (Entry e : out.entries()) {
      if (e.admitted()) {
        column.put(e, rows.size());
        rows.add(e);
      }
    }
    int[] positive = new int[usable.size()];
    for (int b = 0; b < positive.length; b++) {
      positive[b] = column.get(out.get(usable.get(b).target().itemId()));
    }
    Entry[] cand = rows.toArray(new Entry[0]);
    return new CandidateBatch(cand, new double[cand.length], positive, 0, false, false);
  }

  private void observe(Instance inst, long t) {
    UserContext c = inst.context();
    tables.get(Table.USER).observe(c.userId(), t);
    tables.get(Table.PROVINCE).observe(c.province(), t);
    tables.get(Table.CITY).observe(c.city(), t);
    tables.get(Table.PHONE).observe(c.phone(), t);
    Item target = inst.target();
    Entry item = tables.get(Table.ITEM).observe(target.itemId(), t);
    if (item.admitted()) {
      tables.get(Table.ITEM_OUTPUT).ensureAdmitted(target.itemId(), t);
      sampler.set(target.itemId(), Math.pow(item.count, cfg.samplerPower()));
    }
    tables.get(Table.CATEGORY).observe(target.category(), t);
    for (String tag : target.tags()) {
      tables.get(Table.TAG).observe(tag, t);
    }
    if (cfg.searchTokens()) {
      for (String token : target.searchTokens()) {
        tables.get(Table.SEARCH).observe(token, t);
      }
    }
  }

  /**
   * Maps contexts to rows ({@code <unk>} for unknown or unadmitted values), cutting histories to
   * the most recent {@code maxWindow} clicks; with {@code touch} the rows count as seen at {@code
   * eventMillis} for expiry.
   */
  public TowerBatch resolve(List<UserContext> contexts, boolean touch, long eventMillis) {
    return Resolver.resolve(
        contexts,
        cfg.maxWindow(),
        cfg.tieItemEmbeddings(),
        cfg.searchTokens(),
        (t, key) -> find(t, key, touch, eventMillis));
  }

  private Entry find(Table t, String key, boolean touch, long time) {
    SparseTable table = tables.get(t);
    return touch ? table.touch(key, time) : table.lookup(key);
  }

  /** The mean loss of a prepared batch and its gradients; changes nothing. */
  public record Step(double loss, Network.Grads grads) {}

  /** Forward and backward over a prepared batch, with the current parameters. */
  public Step lossAndGradients(Prepared p) {
    Network.Forward f = network.forward(p.tower(), scratch, dropoutStream());
    int uDim = cfg.userVectorDim();
    double[] dU = new double[p.tower().size * uDim];
    LinkedHashMap<Entry, double[]> outGrads = new LinkedHashMap<>();
    double loss = outputLoss(p, f.u(), dU, outGrads);
    Network.Grads g = network.backward(f, dU, scratch);
    LinkedHashMap<Entry, double[]> sparse = new LinkedHashMap<>(g.sparse());
    // With tied item embeddings an output row can have a gradient from both sides: sum them.
    for (var e : outGrads.entrySet()) {
      sparse.merge(e.getKey(), e.getValue(), ModelCore::sum);
    }
    if (cfg.cosineScores()) {
      // Every use of an output row (candidate, tied input) saw [b, w/|w|]: one projection each.
      SparseTable out = tables.get(Table.ITEM_OUTPUT);
      for (var e : sparse.entrySet()) {
        if (e.getKey().table == out) {
          CosineScores.itemBackward(e.getKey(), e.getValue());
        }
      }
    }
    return new Step(loss, new Network.Grads(g.dense(), sparse));
  }

  /** The mean loss of a prepared batch under the current parameters (forward pass only). */
  public double loss(Prepared p) {
    Network.Forward f = network.forward(p.tower(), null, dropoutStream());
    int uDim = cfg.userVectorDim();
    return outputLoss(p, f.u(), new double[p.tower().size * uDim], new LinkedHashMap<>());
  }

  private double outputLoss(Prepared p, double[] u, double[] dU, Map<Entry, double[]> grads) {
    int uDim = cfg.userVectorDim();
    if (p.candidates() != null) {
      return BatchedSoftmax.compute(
          u, uDim, p.candidates(), cfg.cosineScores(), network.dataType(), scratch, dU, grads);
    }
    return SampledLoss.compute(cfg.loss(), u, uDim, p.output(), dU, grads);
  }

  /**
   * The dropout mask stream of the next step: the step counter, so a step's mask is a function of
   * the model state (save → restore → train stays bit-identical); inference passes none.
   */
  private long dropoutStream() {
    return cfg.dropout() > 0 ? steps : Network.NO_DROPOUT;
  }

  private static double[] sum(double[] a, double[] b) {
    double[] s = a.clone();
    for (int i = 0; i < s.length; i++) {
      s[i] += b[i];
    }
    return s;
  }

  /** Applies one optimizer step: Adam on dense parameters, Adagrad on every touched row. */
  public void apply(Network.Grads grads) {
    adam.apply(network.params(), grads.dense());
    plainTower = null;
    for (var e : grads.sparse().entrySet()) {
      Entry entry = e.getKey();
      entry.table.adagrad(entry, e.getValue(), cfg.sparseLearningRate());
    }
    steps++;
    denseChanged = true;
  }

  /**
   * {@code u} for each context (inference: no counting, no expiry bookkeeping), with the kernel
   * {@link PlainTower#preferred} picks for the batch size — the same choice as {@code UserTower}.
   */
  public double[] userRepresentations(List<UserContext> contexts) {
    TowerBatch batch = resolve(contexts, false, 0);
    if (PlainTower.preferred(cfg, batch.size)) {
      if (plainTower == null) {
        plainTower = new PlainTower(cfg, network.params());
      }
      return plainTower.forward(batch);
    }
    return network.forward(batch).u();
  }

  /**
   * Evicts rows (and pending counts) idle for longer than the configured expiry at event time
   * {@code nowMillis}; an expired item loses its output row and its sampler weight too.
   *
   * @return number of rows removed
   */
  public int expire(long nowMillis) {
    long ttl = cfg.rowExpiryMillis();
    if (ttl == 0) {
      return 0;
    }
    int removed = 0;
    for (Table t : Table.values()) {
      if (t == Table.ITEM_OUTPUT) {
        continue;
      }
      List<String> gone = tables.get(t).expire(nowMillis, ttl);
      removed += gone.size();
      if (t == Table.ITEM) {
        for (String key : gone) {
          tables.get(Table.ITEM_OUTPUT).remove(key);
          sampler.remove(key);
        }
      }
    }
    return removed;
  }

  /** Whether dense parameters changed since the last call; clears the flag. */
  public boolean drainDenseChanged() {
    boolean c = denseChanged;
    denseChanged = false;
    return c;
  }

  /**
   * Overwrites (creating if needed) a row; an item imported into {@link Table#ITEM} or {@link
   * Table#ITEM_OUTPUT} becomes admitted in both, with its sampler weight from its count.
   */
  public void importRow(Table t, String key, double[] values) {
    SparseTable table = tables.get(t);
    if (t == Table.ITEM || t == Table.ITEM_OUTPUT) {
      if (SparseTable.UNK.equals(key) && t == Table.ITEM_OUTPUT) {
        throw new IllegalArgumentException("the output table has no <unk> row");
      }
      if (!SparseTable.UNK.equals(key)) {
        admitItem(key, latestEventMillis);
      }
    }
    Entry e = table.ensureAdmitted(key, latestEventMillis);
    table.setRow(e, values);
  }

  /**
   * Gives item {@code key} rows in both item tables, its sampler weight from its count, as an item
   * arriving from elsewhere (an import, another replica): neither row is this replica's creation.
   */
  private void admitItem(String key, long timeMillis) {
    admitItem(key, timeMillis, Table.ITEM);
  }

  /** {@link #admitItem(String, long)}, returning the entry of {@code which} item table. */
  private Entry admitItem(String key, long timeMillis, Table which) {
    SparseTable items = tables.get(Table.ITEM);
    SparseTable outputs = tables.get(Table.ITEM_OUTPUT);
    Entry item = items.ensureAdmitted(key, timeMillis);
    Entry output = outputs.ensureAdmitted(key, timeMillis);
    items.forgetCreation(item);
    outputs.forgetCreation(output);
    if (item.sampledCount != item.count) { // the sampler's weight follows the count
      sampler.set(key, Math.pow(item.count, cfg.samplerPower()));
      item.sampledCount = item.count;
    }
    return which == Table.ITEM ? item : output;
  }

  /** Overwrites one dense parameter (values row-major). */
  public void importDense(String name, double[] values) {
    INDArray p = network.params().get(name);
    if (p == null) {
      throw new IllegalArgumentException(
          "unknown dense parameter " + name + "; expected one of " + network.params().keySet());
    }
    if (p.length() != values.length) {
      throw new IllegalArgumentException(
          "dense parameter " + name + " has " + p.length() + " values but got " + values.length);
    }
    p.assign(Tensors.matrix(values, p.rows(), p.columns(), p.dataType()));
    plainTower = null;
    denseChanged = true;
  }

  public Adam adam() {
    return adam;
  }

  /**
   * Starts recording what this model's own training changes, for {@link #drainContribution}: the
   * dense values now are the baseline, each row's is taken at its first step.
   */
  public void trackContributions() {
    for (SparseTable t : tables.values()) {
      t.trackDeltas();
    }
    denseBaseline = new LinkedHashMap<>();
    for (var e : network.params().entrySet()) {
      denseBaseline.put(e.getKey(), Tensors.toDoubles(e.getValue()));
    }
  }

  /** Stops recording contributions and forgets what was recorded; training is unchanged. */
  public void stopTrackingContributions() {
    for (SparseTable t : tables.values()) {
      t.untrackDeltas();
    }
    denseBaseline = null;
  }

  /** Whether contributions are recorded ({@link #trackContributions}). */
  public boolean tracksContributions() {
    return denseBaseline != null;
  }

  /**
   * The own training since the previous call (or {@link #trackContributions}): rows and dense
   * tensors as value now minus baseline; starts the next interval.
   *
   * @throws IllegalStateException if contributions are not tracked
   */
  public Contribution drainContribution() {
    if (denseBaseline == null) {
      throw new IllegalStateException("contributions are not tracked");
    }
    EnumMap<Table, Map<String, float[]>> rows = new EnumMap<>(Table.class);
    EnumMap<Table, Map<String, float[]>> accumulators = new EnumMap<>(Table.class);
    EnumMap<Table, Map<String, float[]>> initial = new EnumMap<>(Table.class);
    Map<String, Long> itemCounts = Map.of();
    for (var e : tables.entrySet()) {
      SparseTable.Drained d = e.getValue().drain();
      if (!d.deltas().isEmpty()) {
        rows.put(e.getKey(), d.deltas());
      }
      if (!d.accumulators().isEmpty()) {
        accumulators.put(e.getKey(), d.accumulators());
      }
      if (!d.initials().isEmpty()) {
        initial.put(e.getKey(), d.initials());
      }
      if (e.getKey() == Table.ITEM) {
        itemCounts = d.counts();
      }
    }
    List<DenseTensor> dense = new ArrayList<>();
    for (var e : network.params().entrySet()) {
      INDArray p = e.getValue();
      double[] now = Tensors.toDoubles(p);
      double[] base = denseBaseline.get(e.getKey());
      float[] d = new float[now.length];
      boolean moved = false;
      for (int i = 0; i < d.length; i++) {
        d[i] = (float) (now[i] - base[i]);
        moved |= d[i] != 0f;
      }
      if (moved) {
        dense.add(new DenseTensor(e.getKey(), (int) p.rows(), (int) p.columns(), d));
      }
      denseBaseline.put(e.getKey(), now);
    }
    return new Contribution(rows, accumulators, initial, itemCounts, dense);
  }

  /**
   * Adds another replica's contribution: each row is admitted first if needed (from its
   * deterministic initial value, an item in both item tables and the sampler, as by {@link
   * #importRow}) and marked seen at {@code eventTimeMillis}; then its delta is added. The own
   * training recorded since the last drain is left as it was.
   */
  public void merge(Contribution c, long eventTimeMillis) {
    latestEventMillis = Math.max(latestEventMillis, eventTimeMillis);
    // Rows this replica has no row for yet start from the sender's initial value, where the sender
    // created them: decided before anything is admitted here (an item admits two tables at once).
    EnumMap<Table, Map<String, float[]>> startFrom = new EnumMap<>(Table.class);
    c.initial()
        .forEach(
            (t, init) -> {
              Map<String, float[]> fresh = new HashMap<>();
              init.forEach(
                  (key, v) -> {
                    if (!tables.get(t).isAdmitted(key)) {
                      fresh.put(key, v);
                    }
                  });
              startFrom.put(t, fresh);
            });
    for (var rowsOf : c.rows().entrySet()) {
      Table t = rowsOf.getKey();
      SparseTable table = tables.get(t);
      boolean itemTable = t == Table.ITEM || t == Table.ITEM_OUTPUT;
      Map<String, float[]> init = startFrom.getOrDefault(t, Map.of());
      Map<String, float[]> accumulators = c.accumulators().getOrDefault(t, Map.of());
      for (var r : rowsOf.getValue().entrySet()) {
        String key = r.getKey();
        Entry e;
        if (itemTable && !SparseTable.UNK.equals(key)) {
          e = admitItem(key, eventTimeMillis, t); // forgets the creation in both item tables
        } else {
          e = table.ensureAdmitted(key, eventTimeMillis);
          table.forgetCreation(e);
        }
        float[] start = init.isEmpty() ? null : init.get(key);
        if (start != null) {
          table.setRow(e, Tensors.widen(start));
        }
        table.addToRow(e, r.getValue());
        float[] acc = accumulators.get(key);
        if (acc != null) {
          table.addToAccumulator(e, acc);
        }
      }
    }
    SparseTable items = tables.get(Table.ITEM);
    c.itemCounts()
        .forEach(
            (key, n) -> {
              Entry item = items.addCount(key, n, eventTimeMillis);
              if (item.admitted() && item != items.unk()) {
                admitItem(key, eventTimeMillis);
              }
            });
    for (DenseTensor d : c.dense()) {
      INDArray p = network.params().get(d.name());
      if (p == null || p.rows() != d.rows() || p.columns() != d.cols()) {
        throw new IllegalArgumentException(
            "dense delta "
                + d.name()
                + " ("
                + d.rows()
                + "x"
                + d.cols()
                + ") does not match a parameter of this model");
      }
      double[] before = Tensors.toDoubles(p);
      float[] v = d.values();
      double[] sum = new double[before.length];
      for (int i = 0; i < sum.length; i++) {
        sum[i] = before[i] + v[i];
      }
      p.assign(Tensors.matrix(sum, p.rows(), p.columns(), p.dataType()));
      double[] base = denseBaseline == null ? null : denseBaseline.get(d.name());
      if (base != null) {
        double[] after = Tensors.toDoubles(p);
        for (int i = 0; i < base.length; i++) {
          base[i] += after[i] - before[i];
        }
      }
      plainTower = null;
      denseChanged = true;
    }
  }
}
