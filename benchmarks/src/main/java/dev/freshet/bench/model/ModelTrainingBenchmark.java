package dev.freshet.bench.model;

import dev.freshet.model.CandidateModel;
import dev.freshet.model.Instance;
import dev.freshet.model.Item;
import dev.freshet.model.LossType;
import dev.freshet.model.ModelConfig;
import dev.freshet.model.ModelPreset;
import dev.freshet.model.TrainStats;
import dev.freshet.model.UserContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;

/**
 * Training throughput of one mini-batch step of each {@link ModelPreset} (batch 256, full windows
 * of the preset's {@code maxWindow} clicks, 10 000 admitted items with Zipf-like clicks), next to
 * ND4J float gemm throughput, all in one run, so the cost of the defaults is a ratio to the
 * reference network measured under the same load.
 *
 * <p>{@code trainStep} reports training instances per second ({@link OperationsPerInvocation} =
 * batch size) per {@code preset}. {@code gemm512} reports MFLOP/s of a 512×512×512 float gemm
 * ({@code 2·512³ ≈ 268.4} MFLOP per call, reported as 268 operations). {@link #flopsPerInstance}
 * gives the gemm FLOPs of one training instance; {@code instances/s × FLOPs/instance ÷ gemm FLOP/s}
 * is the fraction of the gemm bound the step reaches; {@link #main} runs everything and prints one
 * row per preset and the ratio DEFAULT / REFERENCE.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.freshet.bench.model.ModelTrainingBenchmark -f 1 -wi
 * 2 -i 3} (any JMH options, e.g. {@code -p preset=DEFAULT}), or through the JMH main with a regex
 * (raw scores only).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ModelTrainingBenchmark {
  static final int BATCH = 256;
  static final int ITEMS = 10_000;
  static final int GEMM = 512;

  /**
   * Gemm FLOPs of one training instance, forward + backward ≈ 3 × forward (the backward pass of a
   * product is two products of the same size: the gradient of each operand). Forward, per instance,
   * with {@code T} = {@code window}, {@code E} = {@code itemDim}, {@code H} = {@code lstmHidden},
   * {@code C} = {@link ModelConfig#concatDim()} (the LSTM part is {@code H} or {@code 2H} by
   * pooling), {@code D1} = {@code hiddenDim}, {@code U} = {@code userVectorDim}:
   *
   * <ul>
   *   <li>LSTM input projection {@code 2·T·E·4H} and recurrence {@code 2·(T−1)·H·4H};
   *   <li>the two tower layers {@code 2·C·D1 + 2·D1·U} (the same whether {@code u} is ReLU or
   *       linear), plus {@code 2·E·U} for the last-click skip when it is on;
   *   <li>the output layer {@code 2·M·(U+1)} over {@code M} scored item rows of width {@code U+1}:
   *       {@code M = k+1} (target and {@code k} own negatives) for {@link LossType#NCE} and {@link
   *       LossType#SAMPLED_SOFTMAX}; {@code M = B+S} for {@link LossType#SHARED_SAMPLED_SOFTMAX},
   *       whose mini-batch computes one {@code [B, U+1]×[U+1, B+S]} logit gemm and two of the same
   *       size backward ({@code BatchedSoftmax}: {@code 3·2·B·(B+S)·(U+1)} per batch, so {@code
   *       3·2·(B+S)·(U+1)} per instance once the factor 3 below is applied — it is applied once);
   *       {@code M = catalogue} for {@link LossType#FULL_SOFTMAX}.
   * </ul>
   *
   * Total = {@code 3·(LSTM + tower + output)}. Element-wise work (gates, softmax, dropout, Adam,
   * Adagrad) and the sparse side are not counted.
   *
   * @param batch mini-batch size {@code B} (used by the shared sampled softmax)
   * @param catalogue admitted items (used by the full softmax)
   */
  public static double flopsPerInstance(ModelConfig c, int window, int batch, int catalogue) {
    double h4 = 4.0 * c.lstmHidden();
    double lstm = 2.0 * window * c.itemDim() * h4 + 2.0 * (window - 1) * c.lstmHidden() * h4;
    double fc = 2.0 * c.concatDim() * c.hiddenDim() + 2.0 * c.hiddenDim() * c.userVectorDim();
    if (c.lastItemSkip()) {
      fc += 2.0 * c.itemDim() * c.userVectorDim();
    }
    double scored =
        switch (c.loss()) {
          case NCE, SAMPLED_SOFTMAX -> c.numNegatives() + 1;
          case SHARED_SAMPLED_SOFTMAX -> batch + c.numNegatives();
          case FULL_SOFTMAX -> catalogue;
        };
    double out = 2.0 * scored * c.vectorDim();
    return 3 * (lstm + fc + out);
  }

  /** The benchmark's configuration of {@code preset}: every click admits its item. */
  static ModelConfig config(ModelPreset preset) {
    return preset.builder().featAppearLimit(1).build();
  }

  /** FLOPs per instance of {@code preset} at this benchmark's sizes. */
  static double flopsPerInstance(ModelPreset preset) {
    ModelConfig c = config(preset);
    return flopsPerInstance(c, c.maxWindow(), BATCH, ITEMS);
  }

  static Item item(int i) {
    return new Item("i" + i, "c" + (i % 50), List.of("t" + (i % 300), "t" + (i % 7)));
  }

  /** {@link #BATCH} instances whose histories are {@code window} clicks long. */
  static List<Instance> batch(Random r, int window) {
    List<Instance> out = new ArrayList<>(BATCH);
    for (int n = 0; n < BATCH; n++) {
      int u = r.nextInt(100_000);
      List<Item> h = new ArrayList<>(window);
      for (int t = 0; t < window; t++) {
        h.add(item(zipf(r)));
      }
      UserContext ctx =
          new UserContext("u" + u, "p" + (u % 30), "c" + (u % 300), "ph" + (u % 40), h);
      out.add(new Instance(ctx, item(zipf(r))));
    }
    return out;
  }

  static int zipf(Random r) {
    return (int) Math.min(ITEMS - 1, Math.floor(Math.pow(ITEMS, r.nextDouble())) - 1);
  }

  /** A model of {@code cfg} with all {@link #ITEMS} items admitted. */
  static CandidateModel warmModel(ModelConfig cfg) {
    CandidateModel model = CandidateModel.create(cfg);
    List<Instance> admitAll = new ArrayList<>();
    for (int i = 0; i < ITEMS; i++) {
      admitAll.add(new Instance(new UserContext("warm", null, null, null, List.of()), item(i)));
    }
    model.train(admitAll, 0);
    return model;
  }

  /** A model of one preset and 16 pre-built mini-batches it cycles through. */
  @State(Scope.Benchmark)
  public static class Step {
    @Param({"DEFAULT", "REFERENCE"})
    public ModelPreset preset;

    CandidateModel model;
    List<List<Instance>> batches;
    int next;
    long eventTime;

    @Setup(Level.Trial)
    public void setUp() {
      ModelConfig cfg = config(preset);
      model = warmModel(cfg);
      Random r = new Random(1);
      batches = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        batches.add(batch(r, cfg.maxWindow()));
      }
      System.out.printf(
          Locale.ROOT,
          "%n%s: batch %d, window %d, loss %s, gemm FLOPs per training instance = %.0f%n",
          preset,
          BATCH,
          cfg.maxWindow(),
          cfg.loss(),
          flopsPerInstance(preset));
    }
  }

  /** Operands of the reference gemm. */
  @State(Scope.Benchmark)
  public static class Gemm {
    INDArray a;
    INDArray b;
    INDArray c;

    @Setup(Level.Trial)
    public void setUp() {
      a = Nd4j.rand(DataType.FLOAT, GEMM, GEMM);
      b = Nd4j.rand(DataType.FLOAT, GEMM, GEMM);
      c = Nd4j.create(DataType.FLOAT, GEMM, GEMM);
    }
  }

  /**
   * Runs every preset and the gemm, then prints one row per preset (instances/s, ms/step,
   * FLOP/instance, step GFLOP/s, % of gemm) and the ratio DEFAULT / REFERENCE when both ran.
   */
  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    Collection<RunResult> results = Report.run(ModelTrainingBenchmark.class, args);
    double gemmFlops = Report.opsPerSecond(Report.find(results, "gemm512")) * 1e6;
    System.out.printf(
        Locale.ROOT,
        "%ngemm%d = %.2f GFLOP/s%n%n| preset | instances/s | ms/step (batch %d) | FLOP/instance"
            + " | step GFLOP/s | %% of gemm |%n|---|---|---|---|---|---|%n",
        GEMM,
        gemmFlops / 1e9,
        BATCH);
    Map<ModelPreset, double[]> rows = new EnumMap<>(ModelPreset.class);
    for (ModelPreset p : ModelPreset.values()) {
      RunResult r = Report.findOrNull(results, "trainStep", "preset", p.name());
      if (r == null) {
        continue;
      }
      double instancesPerSecond = Report.opsPerSecond(r);
      double flops = flopsPerInstance(p);
      double stepFlops = instancesPerSecond * flops;
      double[] row = {
        instancesPerSecond,
        1e3 * BATCH / instancesPerSecond,
        flops,
        stepFlops / 1e9,
        100 * stepFlops / gemmFlops
      };
      rows.put(p, row);
      System.out.printf(
          Locale.ROOT,
          "| %s | %.0f | %.1f | %.0f | %.2f | %.1f %% |%n",
          p,
          row[0],
          row[1],
          row[2],
          row[3],
          row[4]);
    }
    double[] d = rows.get(ModelPreset.DEFAULT);
    double[] ref = rows.get(ModelPreset.REFERENCE);
    if (d != null && ref != null) {
      System.out.printf(
          Locale.ROOT,
          "| DEFAULT / REFERENCE | %.2f× | %.2f× | %.2f× | %.2f× | %.2f× |%n",
          d[0] / ref[0],
          d[1] / ref[1],
          d[2] / ref[2],
          d[3] / ref[3],
          d[4] / ref[4]);
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public TrainStats trainStep(Step s) {
    List<Instance> batch = s.batches.get(s.next++ % s.batches.size());
    return s.model.train(batch, ++s.eventTime);
  }

  @Benchmark
  @OperationsPerInvocation(268)
  public INDArray gemm512(Gemm g) {
    return g.a.mmuli(g.b, g.c);
  }
}
