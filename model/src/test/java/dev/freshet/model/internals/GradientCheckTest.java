package dev.freshet.model.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.model.Activation;
import dev.freshet.model.Instance;
import dev.freshet.model.Item;
import dev.freshet.model.LossType;
import dev.freshet.model.ModelConfig;
import dev.freshet.model.SequencePooling;
import dev.freshet.model.Table;
import dev.freshet.model.UserContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Finite-difference gradient checks in double precision (central differences, relative error below
 * 1e-4) for every layer and for the whole network.
 */
class GradientCheckTest {
  private static final double EPS = 1e-6;
  private static final double TOL = 1e-4;
  private static final int MAX_CHECKS = 16;

  private static ModelConfig smallConfig(LossType loss, boolean age) {
    return smallBuilder(loss, age).build();
  }

  private static ModelConfig.Builder smallBuilder(LossType loss, boolean age) {
    return ModelConfig.reference()
        .userDim(3)
        .provinceDim(2)
        .cityDim(2)
        .phoneDim(2)
        .itemDim(3)
        .categoryDim(2)
        .tagDim(3)
        .lstmHidden(3)
        .hiddenDim(6)
        .userVectorDim(4)
        .maxWindow(4)
        .numNegatives(3)
        .loss(loss)
        .useExampleAge(age)
        .featAppearLimit(1)
        .precision(ModelConfig.Precision.DOUBLE)
        .seed(7);
  }

  /** Relative error with an absolute floor so that two tiny numbers compare equal. */
  private static double relErr(double a, double n) {
    double denom = Math.max(Math.abs(a) + Math.abs(n), 1e-6);
    return Math.abs(a - n) / denom;
  }

  private static double numeric(double[] arr, int i, DoubleSupplier loss) {
    double old = arr[i];
    arr[i] = old + EPS;
    double lp = loss.getAsDouble();
    arr[i] = old - EPS;
    double lm = loss.getAsDouble();
    arr[i] = old;
    return (lp - lm) / (2 * EPS);
  }

  private static double numeric(INDArray p, long i, DoubleSupplier loss) {
    double old = p.getDouble(i);
    p.putScalar(i, old + EPS);
    double lp = loss.getAsDouble();
    p.putScalar(i, old - EPS);
    double lm = loss.getAsDouble();
    p.putScalar(i, old);
    return (lp - lm) / (2 * EPS);
  }

  private static void checkDense(
      String name, INDArray param, INDArray analytic, DoubleSupplier loss) {
    double[] a = Tensors.toDoubles(analytic);
    assertThat(a).hasSize((int) param.length());
    double worst = 0;
    // Every element of small tensors; a seeded sample of MAX_CHECKS elements of larger ones.
    SplitMix64 pick = new SplitMix64(name.hashCode());
    int checks = Math.min(a.length, MAX_CHECKS);
    for (int c = 0; c < checks; c++) {
      int i = a.length <= MAX_CHECKS ? c : (int) ((pick.nextLong() >>> 1) % a.length);
      worst = Math.max(worst, relErr(a[i], numeric(param, i, loss)));
    }
    assertThat(worst).as("max relative error of %s", name).isLessThan(TOL);
  }

  private static void checkRow(String name, double[] row, double[] analytic, DoubleSupplier loss) {
    double worst = 0;
    for (int i = 0; i < row.length; i++) {
      worst = Math.max(worst, relErr(analytic[i], numeric(row, i, loss)));
    }
    assertThat(worst).as("max relative error of row %s", name).isLessThan(TOL);
  }

  private static INDArray random(SplitMix64 r, long rows, long cols, double scale) {
    double[] v = new double[(int) (rows * cols)];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextSymmetric(scale);
    }
    return Tensors.matrix(v, rows, cols, DataType.DOUBLE);
  }

  private static double dot(INDArray a, INDArray b) {
    return a.mul(b).sumNumber().doubleValue();
  }

  @Test
  void shouldMatchFiniteDifferencesForLstmLayer() {
    SplitMix64 r = new SplitMix64(1);
    int steps = 4;
    int batch = 3;
    int e = 3;
    int h = 2;
    INDArray x = random(r, steps * batch, e, 1);
    INDArray wx = random(r, e, 4 * h, 0.8);
    INDArray wh = random(r, h, 4 * h, 0.8);
    INDArray b = random(r, 1, 4 * h, 0.5);
    INDArray proj = random(r, steps * batch, h, 1);
    DoubleSupplier loss = () -> dot(Lstm.forward(x, steps, batch, wx, wh, b).hidden(), proj);
    Lstm.Cache cache = Lstm.forward(x, steps, batch, wx, wh, b);
    Lstm.Grads g = Lstm.backward(cache, proj.dup(), wx, wh);
    checkDense("x", x, g.dx(), loss);
    checkDense("wx", wx, g.dWx(), loss);
    checkDense("wh", wh, g.dWh(), loss);
    checkDense("b", b, g.db(), loss);
  }

  private static Item item(String id, String cat, String... tags) {
    return new Item(id, cat, List.of(tags));
  }

  /** Contexts with windows of lengths 3, 0 (first click), 1 and 4, and varying tag counts. */
  private static List<UserContext> contexts() {
    return List.of(
        new UserContext(
            "u1",
            "p1",
            "c1",
            "ph1",
            List.of(item("i1", "k1", "t1", "t2"), item("i2", "k2"), item("i3", "k1", "t3")),
            0.5f),
        new UserContext("u2", "p2", null, "ph1", List.of(), 1.5f),
        new UserContext("u3", "p1", "c2", null, List.of(item("i2", "k2", "t2")), 0f),
        new UserContext(
            "u1",
            "p1",
            "c1",
            "ph1",
            List.of(
                item("i4", "k1", "t1"),
                item("i1", "k1"),
                item("i1", "k1", "t1", "t3"),
                item("i2", "k2")),
            2f));
  }

  private static ModelCore coreWithRows(ModelConfig cfg, List<UserContext> contexts) {
    ModelCore core = new ModelCore(cfg);
    List<Instance> warm = new ArrayList<>();
    for (UserContext c : contexts) {
      for (Item it : c.history()) {
        warm.add(new Instance(c, it));
      }
      warm.add(new Instance(c, item("i5", "k3", "t4")));
    }
    core.prepare(warm, 0);
    // New output rows start as [log prior, 0, ..., 0]; with w = 0 the loss would not depend on u,
    // so give them random values to make every gradient of the check non-trivial.
    SparseTable out = core.table(Table.ITEM_OUTPUT);
    SplitMix64 r = new SplitMix64(11);
    List<String> keys = new ArrayList<>();
    for (Entry e : out.entries()) {
      keys.add(e.key());
    }
    keys.sort(null);
    for (String key : keys) {
      double[] row = new double[out.dim()];
      for (int i = 0; i < row.length; i++) {
        row[i] = r.nextSymmetric(0.5);
      }
      out.setRow(out.get(key), row);
    }
    return core;
  }

  /** Tower-only check: loss = Σ proj ⊙ u; covers gathers, average pools, max pool, LSTM, ReLUs. */
  private void checkTower(ModelConfig cfg, List<UserContext> contexts) {
    ModelCore core = coreWithRows(cfg, contexts);
    Network net = core.network();
    TowerBatch batch = core.resolve(contexts, false, 0);
    SplitMix64 r = new SplitMix64(3);
    double[] proj = new double[contexts.size() * cfg.userVectorDim()];
    for (int i = 0; i < proj.length; i++) {
      proj[i] = r.nextSymmetric(1);
    }
    DoubleSupplier loss =
        () -> {
          double[] u = net.forward(batch).u();
          double s = 0;
          for (int i = 0; i < u.length; i++) {
            s += u[i] * proj[i];
          }
          return s;
        };
    assertThat(loss.getAsDouble()).isNotZero();
    Network.Grads g = net.backward(net.forward(batch), proj.clone());
    for (var e : net.params().entrySet()) {
      checkDense(e.getKey(), e.getValue(), g.dense().get(e.getKey()), loss);
    }
    assertThat(g.sparse()).isNotEmpty();
    for (var e : g.sparse().entrySet()) {
      checkRow(
          e.getKey().table().table() + "/" + e.getKey().key(),
          e.getKey().value(),
          e.getValue(),
          loss);
    }
  }

  @Test
  void shouldMatchFiniteDifferencesForTowerWithMaskedVariableLengthWindows() {
    checkTower(smallConfig(LossType.NCE, true), contexts());
  }

  @Test
  void shouldMatchFiniteDifferencesForTowerWhenEveryWindowIsEmpty() {
    ModelConfig cfg = smallConfig(LossType.NCE, false);
    List<UserContext> empty =
        List.of(
            new UserContext("u1", "p1", "c1", "ph1", List.of()),
            new UserContext("u2", "p2", "c1", "ph2", List.of()));
    ModelCore core = coreWithRows(cfg, contexts());
    Network.Forward f = core.network().forward(core.resolve(empty, false, 0));
    Network.Grads g = core.network().backward(f, new double[] {1, 2, 3, 4, 5, 6, 7, 8});
    assertThat(Tensors.toDoubles(g.dense().get(Network.LSTM_WX))).containsOnly(0.0);
    assertThat(Tensors.toDoubles(g.dense().get(Network.LSTM_WH))).containsOnly(0.0);
    checkTower(cfg, empty);
  }

  @Test
  void shouldPoolEmptyWindowToZerosAndMaskPaddedSteps() {
    ModelConfig cfg = smallConfig(LossType.NCE, false);
    ModelCore core = coreWithRows(cfg, contexts());
    List<UserContext> cs = contexts();
    TowerBatch alone = core.resolve(List.of(cs.get(2)), false, 0);
    TowerBatch padded = core.resolve(cs, false, 0);
    double[] uAlone = core.network().forward(alone).u();
    double[] uPadded = core.network().forward(padded).u();
    int d = cfg.userVectorDim();
    for (int j = 0; j < d; j++) {
      assertThat(uPadded[2 * d + j])
          .isCloseTo(uAlone[j], org.assertj.core.data.Offset.offset(1e-12));
    }
  }

  private static OutputBatch outputBatch(ModelCore core, int n, int k, boolean withHit) {
    SparseTable out = core.table(dev.freshet.model.Table.ITEM_OUTPUT);
    List<Entry> rows = new ArrayList<>();
    for (Entry e : out.entries()) {
      rows.add(e);
    }
    rows.sort((a, b) -> a.key().compareTo(b.key()));
    SplitMix64 r = new SplitMix64(11);
    Entry[] targets = new Entry[n];
    Entry[][] negs = new Entry[n][k];
    double[] tc = new double[n];
    double[][] nc = new double[n][k];
    boolean[][] keep = new boolean[n][k];
    for (int b = 0; b < n; b++) {
      targets[b] = rows.get(b % rows.size());
      tc[b] = Math.log(0.1 + 0.1 * b);
      for (int j = 0; j < k; j++) {
        negs[b][j] = rows.get((b + j + 1) % rows.size());
        nc[b][j] = Math.log(0.05 + 0.3 * r.nextDouble());
        keep[b][j] = !(withHit && j == 0);
      }
    }
    return new OutputBatch(targets, negs, tc, nc, keep);
  }

  private void checkLoss(LossType type) {
    ModelConfig cfg = smallConfig(type, false);
    ModelCore core = coreWithRows(cfg, contexts());
    int n = 3;
    int uDim = cfg.userVectorDim();
    OutputBatch out = outputBatch(core, n, 3, true);
    SplitMix64 r = new SplitMix64(5);
    double[] u = new double[n * uDim];
    for (int i = 0; i < u.length; i++) {
      u[i] = r.nextSymmetric(1.5);
    }
    DoubleSupplier loss =
        () -> SampledLoss.compute(type, u, uDim, out, new double[u.length], new LinkedHashMap<>());
    double[] dU = new double[u.length];
    Map<Entry, double[]> rowGrads = new LinkedHashMap<>();
    double l = SampledLoss.compute(type, u, uDim, out, dU, rowGrads);
    assertThat(l).isPositive();
    checkRow("u", u, dU, loss);
    for (var e : rowGrads.entrySet()) {
      checkRow(e.getKey().key(), e.getKey().value(), e.getValue(), loss);
    }
  }

  @Test
  void shouldMatchFiniteDifferencesForNceLoss() {
    checkLoss(LossType.NCE);
  }

  @Test
  void shouldMatchFiniteDifferencesForSampledSoftmaxLoss() {
    checkLoss(LossType.SAMPLED_SOFTMAX);
  }

  @Test
  void shouldComputeNceLossWithLogKqCorrection() {
    ModelConfig cfg = smallConfig(LossType.NCE, false);
    ModelCore core = coreWithRows(cfg, contexts());
    OutputBatch out = outputBatch(core, 1, 2, false);
    double[] u = {0.3, -0.2, 0.5, 0.1};
    double st = SampledLoss.score(out.targets[0].value(), u, 0, 4) - out.targetCorrection[0];
    double s1 =
        SampledLoss.score(out.negatives[0][0].value(), u, 0, 4) - out.negativeCorrection[0][0];
    double s2 =
        SampledLoss.score(out.negatives[0][1].value(), u, 0, 4) - out.negativeCorrection[0][1];
    double expected =
        -Math.log(1 / (1 + Math.exp(-st)))
            - Math.log(1 - 1 / (1 + Math.exp(-s1)))
            - Math.log(1 - 1 / (1 + Math.exp(-s2)));
    double actual =
        SampledLoss.compute(LossType.NCE, u, 4, out, new double[4], new LinkedHashMap<>());
    assertThat(actual).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
  }

  private void checkWholeNetwork(LossType type) {
    checkWholeNetwork(smallConfig(type, true));
  }

  private void checkWholeNetwork(ModelConfig cfg) {
    checkWholeNetworkOn(coreWithRows(cfg, contexts()), contexts());
  }

  private void checkWholeNetworkOn(ModelCore core, List<UserContext> cs) {
    List<Instance> batch = new ArrayList<>();
    String[] targets = {"i1", "i5", "i3", "i2"};
    for (int b = 0; b < cs.size(); b++) {
      batch.add(new Instance(cs.get(b), item(targets[b], "k1")));
    }
    ModelCore.Prepared p = core.prepare(batch, 1);
    assertThat(p.tower().size).isEqualTo(4);
    DoubleSupplier loss = () -> core.loss(p);
    ModelCore.Step step = core.lossAndGradients(p);
    assertThat(step.grads().dense().get(Network.FC2_W).norm2Number().doubleValue())
        .as("fc2.w gradient")
        .isPositive();
    for (var e : core.network().params().entrySet()) {
      checkDense(e.getKey(), e.getValue(), step.grads().dense().get(e.getKey()), loss);
    }
    for (var e : step.grads().sparse().entrySet()) {
      checkRow(
          e.getKey().table().table() + "/" + e.getKey().key(),
          e.getKey().value(),
          e.getValue(),
          loss);
    }
  }

  @Test
  void shouldMatchFiniteDifferencesForWholeNetworkWithNce() {
    checkWholeNetwork(LossType.NCE);
  }

  @Test
  void shouldMatchFiniteDifferencesForWholeNetworkWithSampledSoftmax() {
    checkWholeNetwork(LossType.SAMPLED_SOFTMAX);
  }

  @Test
  void shouldMatchFiniteDifferencesForTowerWithLastStatePooling() {
    checkTower(smallBuilder(LossType.NCE, true).pooling(SequencePooling.LAST).build(), contexts());
  }

  @Test
  void shouldMatchFiniteDifferencesForTowerWithMaxAndLastPoolingAndLinearOutput() {
    checkTower(
        smallBuilder(LossType.NCE, false)
            .pooling(SequencePooling.MAX_AND_LAST)
            .userActivation(Activation.LINEAR)
            .build(),
        contexts());
  }

  @Test
  void shouldMatchFiniteDifferencesForWholeNetworkWithSharedNegatives() {
    checkWholeNetwork(smallBuilder(LossType.SHARED_SAMPLED_SOFTMAX, true).numNegatives(6).build());
  }

  @Test
  void shouldMatchFiniteDifferencesForWholeNetworkWithSharedAndInBatchNegatives() {
    checkWholeNetwork(
        smallBuilder(LossType.SHARED_SAMPLED_SOFTMAX, false)
            .numNegatives(4)
            .inBatchNegatives(true)
            .pooling(SequencePooling.LAST)
            .userActivation(Activation.LINEAR)
            .build());
  }

  @Test
  void shouldMatchFiniteDifferencesForWholeNetworkWithFullSoftmaxAndDropout() {
    checkWholeNetwork(
        smallBuilder(LossType.FULL_SOFTMAX, false)
            .pooling(SequencePooling.MAX_AND_LAST)
            .dropout(0.3)
            .build());
  }

  @Test
  void shouldMatchFiniteDifferencesForWholeNetworkWithTiedItemEmbeddings() {
    // itemDim = userVectorDim = 4: a history item's input is w_i of its output row [b_i, w_i], so
    // rows that are both history and target get gradients from both sides.
    checkWholeNetwork(
        smallBuilder(LossType.SHARED_SAMPLED_SOFTMAX, false)
            .itemDim(4)
            .tieItemEmbeddings(true)
            .numNegatives(4)
            .inBatchNegatives(true)
            .pooling(SequencePooling.LAST)
            .userActivation(Activation.LINEAR)
            .dropout(0.2)
            .build());
  }

  @Test
  void shouldMatchFiniteDifferencesForWholeNetworkWithCosineScoresAndTiedItemEmbeddings() {
    // u is scaled to 1/τ and every use of an output row (candidate column, tied history input)
    // sees [b_i, w_i/|w_i|]: the gradients pass through both normalisations.
    checkWholeNetwork(
        smallBuilder(LossType.SHARED_SAMPLED_SOFTMAX, false)
            .itemDim(4)
            .tieItemEmbeddings(true)
            .temperature(0.2)
            .numNegatives(4)
            .inBatchNegatives(true)
            .pooling(SequencePooling.LAST)
            .userActivation(Activation.LINEAR)
            .dropout(0.2)
            .build());
  }

  @Test
  void shouldMatchFiniteDifferencesForWholeNetworkWithLastItemSkipAndTiedCosineScores() {
    // The window's (unit) embeddings, weighted 0.5^age, reach u through skip.w as well as through
    // the LSTM.
    checkWholeNetwork(
        smallBuilder(LossType.SHARED_SAMPLED_SOFTMAX, false)
            .itemDim(4)
            .tieItemEmbeddings(true)
            .lastItemSkip(true)
            .skipDecay(0.5)
            .temperature(0.3)
            .numNegatives(4)
            .inBatchNegatives(true)
            .pooling(SequencePooling.LAST)
            .userActivation(Activation.LINEAR)
            .build());
  }

  @Test
  void shouldMatchFiniteDifferencesForWholeNetworkWithLastItemSkipOfOtherWidthAndRelu() {
    // itemDim 3 != userVectorDim 4: skip.w starts at 0, so this checks its own gradient under a
    // ReLU u layer; the test above (identity start) checks the path into the last click's row.
    ModelConfig cfg =
        smallBuilder(LossType.SHARED_SAMPLED_SOFTMAX, false)
            .lastItemSkip(true)
            .numNegatives(4)
            .build();
    checkWholeNetwork(cfg);
  }

  /** {@link #contexts()} with search tokens on some clicks (and none on others). */
  private static List<UserContext> contextsWithSearches() {
    List<UserContext> out = new ArrayList<>();
    String[][] tokens = {{"q1", "q2"}, {}, {"q2"}, {"q3", "q1", "q1"}};
    int k = 0;
    for (UserContext c : contexts()) {
      List<Item> h = new ArrayList<>();
      for (Item it : c.history()) {
        h.add(
            new Item(it.itemId(), it.category(), it.tags(), List.of(tokens[k++ % tokens.length])));
      }
      out.add(new UserContext(c.userId(), c.province(), c.city(), c.phone(), h, c.exampleAge()));
    }
    return out;
  }

  @Test
  void shouldMatchFiniteDifferencesForTowerAndWholeNetworkWithSearchTokens() {
    // The window's search tokens are averaged like the tags into columns of their own; the
    // defaults' tower (last state, linear u, tied items, skip) and the reference's both.
    List<UserContext> contexts = contextsWithSearches();
    for (ModelConfig cfg :
        List.of(
            smallBuilder(LossType.NCE, true).searchDim(3).build(),
            smallBuilder(LossType.SHARED_SAMPLED_SOFTMAX, false)
                .searchDim(2)
                .itemDim(4)
                .pooling(SequencePooling.LAST)
                .userActivation(Activation.LINEAR)
                .tieItemEmbeddings(true)
                .inBatchNegatives(true)
                .lastItemSkip(true)
                .build())) {
      ModelCore core = coreWithRows(cfg, contexts);
      TowerBatch batch = core.resolve(contexts, false, 0);
      assertThat(batch.search[0]).hasSize(3);
      assertThat(batch.search[1]).isEmpty();
      checkTower(cfg, contexts);
      List<Instance> instances = new ArrayList<>();
      String[] targets = {"i1", "i5", "i3", "i2"};
      for (int b = 0; b < contexts.size(); b++) {
        instances.add(new Instance(contexts.get(b), item(targets[b], "k1")));
      }
      ModelCore.Step step = core.lossAndGradients(core.prepare(instances, 1));
      assertThat(step.grads().sparse().keySet())
          .as("search-token rows get gradients")
          .anyMatch(e -> e.table().table() == Table.SEARCH);
      checkWholeNetworkOn(core, contexts);
    }
  }

  @Test
  void shouldMatchFiniteDifferencesForWholeNetworkWithCosineScoresAndFullSoftmax() {
    checkWholeNetwork(
        smallBuilder(LossType.FULL_SOFTMAX, true)
            .temperature(0.5)
            .pooling(SequencePooling.MAX_AND_LAST)
            .build());
  }

  @Test
  void shouldGiveTheSameLossAndGradientsBatchedAsPerExampleOnTheSameNegatives() {
    ModelConfig cfg = smallConfig(LossType.SAMPLED_SOFTMAX, false);
    ModelCore core = coreWithRows(cfg, contexts());
    int n = 3;
    int k = 4;
    int uDim = cfg.userVectorDim();
    List<Entry> rows = new ArrayList<>(core.table(Table.ITEM_OUTPUT).entries());
    rows.sort((a, b) -> a.key().compareTo(b.key()));
    SplitMix64 r = new SplitMix64(17);
    double[] logQ = new double[rows.size()];
    for (int i = 0; i < logQ.length; i++) {
      logQ[i] = Math.log(0.05 + 0.3 * r.nextDouble());
    }
    // One shared set of negatives (one drawn twice); example 1's target is negative 2 (a hit).
    int[] targetRow = {0, 1, 2};
    int[] negRow = {3, 4, 1, 3};
    Entry[] targets = new Entry[n];
    double[] tc = new double[n];
    Entry[][] negs = new Entry[n][k];
    double[][] nc = new double[n][k];
    boolean[][] keep = new boolean[n][k];
    Entry[] cand = new Entry[n + k];
    double[] corr = new double[n + k];
    double shift = Math.log(k); // the batched loss corrects by log(S q); a row-wide constant
    for (int b = 0; b < n; b++) {
      targets[b] = rows.get(targetRow[b]);
      tc[b] = logQ[targetRow[b]];
      cand[b] = targets[b];
      corr[b] = tc[b] + shift;
      for (int j = 0; j < k; j++) {
        negs[b][j] = rows.get(negRow[j]);
        nc[b][j] = logQ[negRow[j]];
        keep[b][j] = negRow[j] != targetRow[b];
      }
    }
    for (int j = 0; j < k; j++) {
      cand[n + j] = rows.get(negRow[j]);
      corr[n + j] = logQ[negRow[j]] + shift;
    }
    double[] u = new double[n * uDim];
    for (int i = 0; i < u.length; i++) {
      u[i] = r.nextSymmetric(1.5);
    }
    double[] dU1 = new double[u.length];
    Map<Entry, double[]> g1 = new LinkedHashMap<>();
    double l1 =
        SampledLoss.compute(
            LossType.SAMPLED_SOFTMAX,
            u,
            uDim,
            new OutputBatch(targets, negs, tc, nc, keep),
            dU1,
            g1);
    double[] dU2 = new double[u.length];
    Map<Entry, double[]> g2 = new LinkedHashMap<>();
    CandidateBatch batch = new CandidateBatch(cand, corr, new int[] {0, 1, 2}, n, false, true);
    double l2 = BatchedSoftmax.compute(u, uDim, batch, false, DataType.DOUBLE, null, dU2, g2);
    assertThat(l2).isCloseTo(l1, org.assertj.core.data.Offset.offset(1e-12));
    for (int i = 0; i < u.length; i++) {
      assertThat(dU2[i])
          .as("dU[%d]", i)
          .isCloseTo(dU1[i], org.assertj.core.data.Offset.offset(1e-12));
    }
    assertThat(g2.keySet()).containsAll(g1.keySet());
    for (var e : g2.entrySet()) {
      double[] expected = g1.getOrDefault(e.getKey(), new double[uDim + 1]);
      for (int j = 0; j <= uDim; j++) {
        assertThat(e.getValue()[j])
            .as("row %s [%d]", e.getKey().key(), j)
            .isCloseTo(expected[j], org.assertj.core.data.Offset.offset(1e-12));
      }
    }
  }

  @Test
  void shouldExcludeOtherTargetsUnlessInBatchNegativesAndMaskDuplicatesOfTheTarget() {
    ModelConfig cfg = smallConfig(LossType.SHARED_SAMPLED_SOFTMAX, false);
    ModelCore core = coreWithRows(cfg, contexts());
    List<Entry> rows = new ArrayList<>(core.table(Table.ITEM_OUTPUT).entries());
    rows.sort((a, b) -> a.key().compareTo(b.key()));
    Entry a = rows.get(0);
    Entry b = rows.get(1);
    Entry[] cand = {a, b, a, b};
    double[] corr = new double[4];
    CandidateBatch off = new CandidateBatch(cand, corr, new int[] {0, 1}, 2, false, true);
    CandidateBatch on = new CandidateBatch(cand, corr, new int[] {0, 1}, 2, true, true);
    assertThat(off.active(0, 0)).isTrue();
    assertThat(off.active(0, 1)).isFalse();
    assertThat(on.active(0, 1)).isTrue();
    assertThat(on.active(0, 2)).as("sampled copy of the target").isFalse();
    assertThat(on.active(0, 3)).isTrue();
    CandidateBatch keepHits = new CandidateBatch(cand, corr, new int[] {0, 1}, 2, true, false);
    assertThat(keepHits.active(0, 2)).isTrue();
  }

  @Test
  void shouldDropUnitsAtTheConfiguredRateDeterministically() {
    float[] m1 = Network.dropoutMask(7, 3, 100, 50, 0.25);
    float[] m2 = Network.dropoutMask(7, 3, 100, 50, 0.25);
    float[] other = Network.dropoutMask(7, 4, 100, 50, 0.25);
    assertThat(m1).containsExactly(m2);
    assertThat(m1).isNotEqualTo(other);
    int dropped = 0;
    for (float v : m1) {
      if (v == 0f) {
        dropped++;
      } else {
        assertThat(v).isEqualTo((float) (1 / 0.75));
      }
    }
    assertThat(dropped / 5000.0).isBetween(0.22, 0.28);
  }

  @Test
  void shouldLeaveWindowClicksOutAtTheConfiguredRateDeterministicallyWhileTraining() {
    ModelConfig cfg =
        smallBuilder(LossType.SHARED_SAMPLED_SOFTMAX, false)
            .maxWindow(40)
            .historyDropout(0.3)
            .build();
    List<Instance> batch = new ArrayList<>();
    for (int b = 0; b < 200; b++) {
      List<Item> h = new ArrayList<>();
      for (int t = 0; t < 20; t++) {
        h.add(item("i" + ((b + t) % 30), "k1"));
      }
      batch.add(new Instance(new UserContext("u" + b, null, null, null, h), item("i1", "k1")));
    }
    ModelCore a = new ModelCore(cfg);
    ModelCore b = new ModelCore(cfg);
    TowerBatch ta = a.prepare(batch, 1).tower();
    TowerBatch tb = b.prepare(batch, 1).tower();
    int kept = 0;
    for (int i = 0; i < ta.size; i++) {
      assertThat(keys(ta.items[i]))
          .as("example %d", i)
          .containsExactlyElementsOf(keys(tb.items[i]));
      kept += ta.items[i].length;
    }
    assertThat(kept / 4000.0).as("share of clicks kept").isBetween(0.66, 0.74);
    // The next step draws another choice; serving (resolve) always sees the whole window.
    a.apply(a.lossAndGradients(a.prepare(batch, 2)).grads());
    TowerBatch next = a.prepare(batch, 3).tower();
    boolean differs = false;
    for (int i = 0; i < next.size; i++) {
      differs |= next.items[i].length != ta.items[i].length;
    }
    assertThat(differs).as("a new step leaves out other clicks").isTrue();
    List<UserContext> contexts = new ArrayList<>();
    for (Instance inst : batch) {
      contexts.add(inst.context());
    }
    TowerBatch served = a.resolve(contexts, false, 0);
    for (int i = 0; i < served.size; i++) {
      assertThat(served.items[i]).hasSize(20);
    }
  }

  private static List<String> keys(Entry[] entries) {
    List<String> out = new ArrayList<>();
    for (Entry e : entries) {
      out.add(e.key());
    }
    return out;
  }
}
