package dev.freshet.bench.model;

import dev.freshet.model.CandidateModel;
import dev.freshet.model.ChangeSet;
import dev.freshet.model.Instance;
import dev.freshet.model.ModelConfig;
import dev.freshet.model.ModelPreset;
import dev.freshet.model.ProjectionCounters;
import dev.freshet.model.Table;
import dev.freshet.model.UserContext;
import dev.freshet.model.UserTower;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * The stream app's per-click work: {@link UserTower#userVectors(List, UserTower.Kernel)} for
 * batches of 1, 8, 32 and 128 users with full windows (the preset's {@code maxWindow}, 20 clicks),
 * for each {@link ModelPreset}, with the batched ND4J kernel and with the plain-Java kernel
 * (blocked, one user at a time, and with the scalar LSTM gates), next to ND4J float gemm 512³ in
 * the same run. The forks run with {@code --add-modules=jdk.incubator.vector}, so the plain
 * kernel's default gates are the vector ones ({@code TowerGates}), as under the {@code freshet}
 * launcher.
 *
 * <p>{@code forward} reports microseconds per call (average time); {@code µs per user = score /
 * batch}. {@code gemm512} reports MFLOP/s ({@code 2·512³ ≈ 268.4} MFLOP per call). {@link #main}
 * runs all and prints users/s, µs/user, GFLOP/s and the fraction of the gemm bound per preset,
 * kernel and batch size, with {@link #flopsPerUser} FLOPs per user, then µs/user of DEFAULT next to
 * REFERENCE with their ratio.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.freshet.bench.model.UserTowerBenchmark -f 1 -wi 2 -i
 * 3} (any JMH options, e.g. {@code -p batch=1,128}; {@code -p cacheSlots=0,65536} adds the tower
 * with its cache of input rows, warm).
 */
@Fork(jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class UserTowerBenchmark {
  static final int VARIANTS = 8;

  /**
   * Forward FLOPs of one user: LSTM {@code 2·T·E·4H + 2·(T−1)·H·4H} ({@code T} = window, {@code E}
   * = {@code itemDim}, {@code H} = {@code lstmHidden}) and the two tower layers {@code 2·C·D1 +
   * 2·D1·U} with {@code C} = {@link ModelConfig#concatDim()} (whose LSTM part is {@code H} or
   * {@code 2H} by pooling), {@code D1} = {@code hiddenDim}, {@code U} = {@code userVectorDim} (ReLU
   * or linear alike), plus {@code 2·E·U} for the last-click skip when it is on. Pooling, gathers
   * and gates are element-wise and not counted.
   */
  public static double flopsPerUser(ModelConfig c, int window) {
    double h4 = 4.0 * c.lstmHidden();
    double lstm = 2.0 * window * c.itemDim() * h4 + 2.0 * (window - 1) * c.lstmHidden() * h4;
    double fc = 2.0 * c.concatDim() * c.hiddenDim() + 2.0 * c.hiddenDim() * c.userVectorDim();
    if (c.lastItemSkip()) {
      fc += 2.0 * c.itemDim() * c.userVectorDim();
    }
    return lstm + fc;
  }

  /** A read-only tower from a model's exports, and batches of users to run through it. */
  @State(Scope.Benchmark)
  public static class Tower {
    @Param({"1", "8", "32", "128"})
    public int batch;

    @Param({"ND4J", "PLAIN_JAVA", "PLAIN_JAVA_ONE_USER", "PLAIN_JAVA_SCALAR_GATES"})
    public UserTower.Kernel kernel;

    @Param({"DEFAULT", "REFERENCE"})
    public ModelPreset preset;

    /**
     * Slots of the tower's cache of input rows (0: none). The batches repeat, so after the first
     * pass every item is found: the cache's best case, a model that stays the same.
     */
    @Param({"0"})
    public int cacheSlots;

    UserTower tower;
    List<List<UserContext>> users;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      ModelConfig cfg = ModelTrainingBenchmark.config(preset);
      CandidateModel model = ModelTrainingBenchmark.warmModel(cfg);
      Random r = new Random(1);
      for (int s = 0; s < 4; s++) {
        model.train(ModelTrainingBenchmark.batch(r, cfg.maxWindow()), s + 1);
      }
      ChangeSet all = model.drainChanges();
      Map<Table, Map<String, float[]>> rows = new HashMap<>();
      for (Table t : Table.values()) {
        for (String key : all.updated(t)) {
          rows.computeIfAbsent(t, x -> new HashMap<>()).put(key, model.exportRow(t, key));
        }
      }
      tower =
          new UserTower(
              cfg,
              model.exportDense(),
              (t, key) -> rows.getOrDefault(t, Map.of()).get(key),
              cacheSlots,
              new ProjectionCounters());
      users = new ArrayList<>();
      for (int v = 0; v < VARIANTS; v++) {
        List<UserContext> list = new ArrayList<>(batch);
        while (list.size() < batch) {
          for (Instance inst : ModelTrainingBenchmark.batch(r, cfg.maxWindow())) {
            if (list.size() < batch) {
              list.add(inst.context());
            }
          }
        }
        users.add(list);
      }
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
      int n = ModelTrainingBenchmark.GEMM;
      a = Nd4j.rand(DataType.FLOAT, n, n);
      b = Nd4j.rand(DataType.FLOAT, n, n);
      c = Nd4j.create(DataType.FLOAT, n, n);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public float[][] forward(Tower s) {
    return s.tower.userVectors(s.users.get(s.next++ % VARIANTS), s.kernel);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(268)
  public INDArray gemm512(Gemm g) {
    return g.a.mmuli(g.b, g.c);
  }

  /** FLOPs per user of {@code preset} with full windows. */
  static double flopsPerUser(ModelPreset preset) {
    ModelConfig c = ModelTrainingBenchmark.config(preset);
    return flopsPerUser(c, c.maxWindow());
  }

  /**
   * Runs every case and prints a row per batch size, kernel and preset, then a table of µs/user of
   * DEFAULT and REFERENCE side by side with their ratio.
   */
  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    Collection<RunResult> results = Report.run(UserTowerBenchmark.class, args);
    double gemmFlops = Report.opsPerSecond(Report.find(results, "gemm512")) * 1e6;
    System.out.printf(
        Locale.ROOT, "%ngemm%d = %.2f GFLOP/s%n", ModelTrainingBenchmark.GEMM, gemmFlops / 1e9);
    for (ModelPreset p : ModelPreset.values()) {
      System.out.printf(
          Locale.ROOT, "FLOP per user (forward, full window), %s = %.0f%n", p, flopsPerUser(p));
    }
    TreeSet<Integer> batches = new TreeSet<>();
    TreeSet<Integer> caches = new TreeSet<>();
    for (RunResult r : results) {
      String b = r.getParams().getParam("batch");
      if (b != null) {
        batches.add(Integer.parseInt(b));
        caches.add(Integer.parseInt(r.getParams().getParam("cacheSlots")));
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%n| batch | kernel | preset | cache slots | µs/call | µs/user | users/s | GFLOP/s | %% of"
            + " gemm |%n"
            + "|---|---|---|---|---|---|---|---|---|%n");
    for (int batch : batches) {
      for (UserTower.Kernel k : UserTower.Kernel.values()) {
        for (ModelPreset p : ModelPreset.values()) {
          for (int cache : caches) {
            RunResult r =
                Report.findOrNull(
                    results,
                    "forward",
                    "batch",
                    Integer.toString(batch),
                    "kernel",
                    k.name(),
                    "preset",
                    p.name(),
                    "cacheSlots",
                    Integer.toString(cache));
            if (r == null) {
              continue;
            }
            // FLOPs of the whole forward pass, as without a cache: with one, "GFLOP/s" is the
            // rate of work the pass stands for, not of the work it did.
            double flops = flopsPerUser(p);
            double perCall = Report.secondsPerOp(r);
            double perUser = perCall / batch;
            System.out.printf(
                Locale.ROOT,
                "| %d | %s | %s | %d | %.1f | %.1f | %.0f | %.2f | %.1f %% |%n",
                batch,
                k,
                p,
                cache,
                perCall * 1e6,
                perUser * 1e6,
                1 / perUser,
                flops / perUser / 1e9,
                100 * flops / perUser / gemmFlops);
          }
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%n| batch | kernel | DEFAULT µs/user | REFERENCE µs/user | DEFAULT / REFERENCE |%n"
            + "|---|---|---|---|---|%n");
    for (int batch : batches) {
      for (UserTower.Kernel k : UserTower.Kernel.values()) {
        String b = Integer.toString(batch);
        RunResult d = uncached(results, b, k, ModelPreset.DEFAULT);
        RunResult ref = uncached(results, b, k, ModelPreset.REFERENCE);
        if (d == null || ref == null) {
          continue;
        }
        double du = Report.secondsPerOp(d) / batch * 1e6;
        double ru = Report.secondsPerOp(ref) / batch * 1e6;
        System.out.printf(
            Locale.ROOT, "| %d | %s | %.1f | %.1f | %.2f× |%n", batch, k, du, ru, du / ru);
      }
    }
  }

  /** The result of batch {@code b}, kernel {@code k} and {@code preset} without a cache. */
  private static RunResult uncached(
      Collection<RunResult> results, String b, UserTower.Kernel k, ModelPreset preset) {
    return Report.findOrNull(
        results,
        "forward",
        "batch",
        b,
        "kernel",
        k.name(),
        "preset",
        preset.name(),
        "cacheSlots",
        "0");
  }
}
