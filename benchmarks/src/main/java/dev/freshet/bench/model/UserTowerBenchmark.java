package dev.freshet.bench.model;

import dev.freshet.model.CandidateModel;
import dev.freshet.model.ChangeSet;
import dev.freshet.model.Instance;
import dev.freshet.model.ModelConfig;
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
 * The stream app's per-click work: {@link UserTower#userVectors(List, UserTower.Kernel)} for
 * batches of 1, 8, 64, 128 and 256 users with full 20-click windows at the reference sizes, with
 * the batched ND4J kernel and with the plain-Java kernel, next to ND4J float gemm 512³ in the same
 * run.
 *
 * <p>{@code forward} reports microseconds per call (average time); {@code µs per user = score /
 * batch}. {@code gemm512} reports MFLOP/s ({@code 2·512³ ≈ 268.4} MFLOP per call). {@link #main}
 * runs all and prints users/s, µs/user, GFLOP/s and the fraction of the gemm bound per kernel and
 * batch size, with {@link #flopsPerUser} FLOPs per user.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.freshet.bench.model.UserTowerBenchmark -f 1 -wi 2 -i
 * 3} (any JMH options).
 */
public class UserTowerBenchmark {
  static final int VARIANTS = 8;

  /** Forward FLOPs of one user: LSTM {@code 2·T·E·4H + 2·(T-1)·H·4H}, ReLU layers. */
  public static double flopsPerUser(ModelConfig c, int window) {
    double h4 = 4.0 * c.lstmHidden();
    double lstm = 2.0 * window * c.itemDim() * h4 + 2.0 * (window - 1) * c.lstmHidden() * h4;
    double fc = 2.0 * c.concatDim() * c.hiddenDim() + 2.0 * c.hiddenDim() * c.userVectorDim();
    return lstm + fc;
  }

  /** A read-only tower from a model's exports, and batches of users to run through it. */
  @State(Scope.Benchmark)
  public static class Tower {
    @Param({"1", "8", "64", "128", "256"})
    public int batch;

    @Param({"ND4J", "PLAIN_JAVA"})
    public UserTower.Kernel kernel;

    UserTower tower;
    List<List<UserContext>> users;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      ModelConfig cfg = ModelConfig.builder().featAppearLimit(1).build();
      CandidateModel model = CandidateModel.create(cfg);
      List<Instance> admitAll = new ArrayList<>();
      for (int i = 0; i < ModelTrainingBenchmark.ITEMS; i++) {
        admitAll.add(
            new Instance(
                new UserContext("warm", null, null, null, List.of()),
                ModelTrainingBenchmark.item(i)));
      }
      model.train(admitAll, 0);
      Random r = new Random(1);
      for (int s = 0; s < 4; s++) {
        model.train(ModelTrainingBenchmark.batch(r), s + 1);
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
              cfg, model.exportDense(), (t, key) -> rows.getOrDefault(t, Map.of()).get(key));
      users = new ArrayList<>();
      for (int v = 0; v < VARIANTS; v++) {
        List<UserContext> list = new ArrayList<>(batch);
        while (list.size() < batch) {
          for (Instance inst : ModelTrainingBenchmark.batch(r)) {
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

  /** Runs every case and prints a table per batch size and kernel. */
  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    Collection<RunResult> results = Report.run(UserTowerBenchmark.class, args);
    double gemmFlops = Report.opsPerSecond(Report.find(results, "gemm512")) * 1e6;
    double flops = flopsPerUser(ModelConfig.builder().build(), ModelTrainingBenchmark.WINDOW);
    System.out.printf(
        Locale.ROOT,
        "%nFLOP per user (forward, window %d) = %.0f; gemm%d = %.2f GFLOP/s%n%n"
            + "| batch | kernel | µs/call | µs/user | users/s | GFLOP/s | %% of gemm |%n"
            + "|---|---|---|---|---|---|---|%n",
        ModelTrainingBenchmark.WINDOW,
        flops,
        ModelTrainingBenchmark.GEMM,
        gemmFlops / 1e9);
    for (String batch : new String[] {"1", "8", "64", "128", "256"}) {
      for (UserTower.Kernel k :
          new UserTower.Kernel[] {UserTower.Kernel.ND4J, UserTower.Kernel.PLAIN_JAVA}) {
        RunResult r = Report.find(results, "forward", "batch", batch, "kernel", k.name());
        double perCall = Report.secondsPerOp(r);
        double perUser = perCall / Integer.parseInt(batch);
        System.out.printf(
            Locale.ROOT,
            "| %s | %s | %.1f | %.1f | %.0f | %.2f | %.1f %% |%n",
            batch,
            k,
            perCall * 1e6,
            perUser * 1e6,
            1 / perUser,
            flops / perUser / 1e9,
            100 * flops / perUser / gemmFlops);
      }
    }
  }
}
