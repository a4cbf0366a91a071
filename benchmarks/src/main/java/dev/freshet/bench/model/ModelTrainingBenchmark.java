package dev.freshet.bench.model;

import dev.freshet.model.CandidateModel;
import dev.freshet.model.Instance;
import dev.freshet.model.Item;
import dev.freshet.model.ModelConfig;
import dev.freshet.model.TrainStats;
import dev.freshet.model.UserContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;

/**
 * Training throughput of one mini-batch step at the reference sizes (batch 256, full windows of 20
 * clicks, 5 NCE negatives, 10 000 admitted items), next to ND4J float gemm throughput.
 *
 * <p>{@code trainStep} reports training instances per second ({@link OperationsPerInvocation} =
 * batch size). {@code gemm512} reports MFLOP/s of a 512×512×512 float gemm ({@code 2·512³ ≈ 268.4}
 * MFLOP per call, reported as 268 operations). {@link #flopsPerInstance} gives the gemm FLOPs of
 * one training instance; {@code instances/s × FLOPs/instance ÷ gemm FLOP/s} is the fraction of the
 * gemm bound the step reaches; {@link #main} runs both and prints it.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.freshet.bench.model.ModelTrainingBenchmark -f 1 -wi
 * 2 -i 3} (any JMH options), or through the JMH main with a regex (raw scores only).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ModelTrainingBenchmark {
  static final int BATCH = 256;
  static final int WINDOW = 20;
  static final int ITEMS = 10_000;
  static final int GEMM = 512;

  private CandidateModel model;
  private List<List<Instance>> batches;
  private int next;
  private long eventTime;
  private INDArray a;
  private INDArray b;
  private INDArray c;

  /**
   * Gemm FLOPs of one training instance (forward + backward ≈ 3 × forward): LSTM input projection
   * {@code 2·T·E·4H} and recurrence {@code 2·(T-1)·H·4H}, the two ReLU layers {@code 2·C·D1 +
   * 2·D1·U}, and the output layer {@code 2·(k+1)·(U+1)}.
   */
  public static double flopsPerInstance(ModelConfig c, int window) {
    double h4 = 4.0 * c.lstmHidden();
    double lstm = 2.0 * window * c.itemDim() * h4 + 2.0 * (window - 1) * c.lstmHidden() * h4;
    double fc = 2.0 * c.concatDim() * c.hiddenDim() + 2.0 * c.hiddenDim() * c.userVectorDim();
    double out = 2.0 * (c.numNegatives() + 1) * c.vectorDim();
    return 3 * (lstm + fc + out);
  }

  static Item item(int i) {
    return new Item("i" + i, "c" + (i % 50), List.of("t" + (i % 300), "t" + (i % 7)));
  }

  static List<Instance> batch(Random r) {
    List<Instance> out = new ArrayList<>(BATCH);
    for (int n = 0; n < BATCH; n++) {
      int u = r.nextInt(100_000);
      List<Item> h = new ArrayList<>(WINDOW);
      for (int t = 0; t < WINDOW; t++) {
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

  @Setup(Level.Trial)
  public void setUp() {
    ModelConfig cfg = ModelConfig.builder().featAppearLimit(1).build();
    model = CandidateModel.create(cfg);
    Random r = new Random(1);
    batches = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      batches.add(batch(r));
    }
    List<Instance> admitAll = new ArrayList<>();
    for (int i = 0; i < ITEMS; i++) {
      admitAll.add(new Instance(new UserContext("warm", null, null, null, List.of()), item(i)));
    }
    model.train(admitAll, 0);
    a = Nd4j.rand(DataType.FLOAT, GEMM, GEMM);
    b = Nd4j.rand(DataType.FLOAT, GEMM, GEMM);
    c = Nd4j.create(DataType.FLOAT, GEMM, GEMM);
    System.out.printf(
        Locale.ROOT,
        "%nreference sizes: batch %d, window %d, gemm FLOPs per training instance = %.0f%n",
        BATCH,
        WINDOW,
        flopsPerInstance(cfg, WINDOW));
  }

  /** Runs both benchmarks and prints instances/s, GFLOP/s and the fraction of the gemm bound. */
  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    Collection<RunResult> results = Report.run(ModelTrainingBenchmark.class, args);
    double instancesPerSecond = Report.opsPerSecond(Report.find(results, "trainStep"));
    double gemmFlops = Report.opsPerSecond(Report.find(results, "gemm512")) * 1e6;
    double flops = flopsPerInstance(ModelConfig.builder().build(), WINDOW);
    double stepFlops = instancesPerSecond * flops;
    System.out.printf(
        Locale.ROOT,
        "%n| instances/s | ms/step (batch %d) | FLOP/instance | step GFLOP/s | gemm%d GFLOP/s"
            + " | %% of gemm |%n|---|---|---|---|---|---|%n| %.0f | %.1f | %.0f | %.2f | %.2f |"
            + " %.1f %% |%n",
        BATCH,
        GEMM,
        instancesPerSecond,
        1e3 * BATCH / instancesPerSecond,
        flops,
        stepFlops / 1e9,
        gemmFlops / 1e9,
        100 * stepFlops / gemmFlops);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public TrainStats trainStep() {
    List<Instance> batch = batches.get(next++ % batches.size());
    return model.train(batch, ++eventTime);
  }

  @Benchmark
  @OperationsPerInvocation(268)
  public INDArray gemm512() {
    return a.mmuli(b, c);
  }
}
