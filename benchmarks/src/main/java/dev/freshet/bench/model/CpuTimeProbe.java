package dev.freshet.bench.model;

import dev.freshet.model.CandidateModel;
import dev.freshet.model.Instance;
import dev.freshet.model.ModelConfig;
import dev.freshet.model.ModelPreset;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training step and gemm 512³ of {@link ModelTrainingBenchmark}, timed in <em>thread CPU
 * time</em> as well as wall time. On a shared machine wall-clock throughput mostly measures the
 * other processes; with {@code OMP_NUM_THREADS=1} all work of both runs on the calling thread, so
 * CPU-time throughput and the ratio of the two are far more stable (cache and memory-bandwidth
 * contention still leak in). Not a JMH benchmark: a plain warm-up then measured loop, alternating
 * step and gemm blocks so both see the same load.
 *
 * <p>Usage: {@code OMP_NUM_THREADS=1 java -cp benchmarks.jar dev.freshet.bench.model.CpuTimeProbe
 * [rounds=5] [stepsPerRound=10] [gemmsPerRound=20] [preset=DEFAULT]} ({@code preset} is a {@link
 * ModelPreset} name).
 */
public final class CpuTimeProbe {
  private CpuTimeProbe() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int gemms = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    ModelPreset preset = args.length > 3 ? ModelPreset.valueOf(args[3]) : ModelPreset.DEFAULT;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    ModelConfig cfg = ModelTrainingBenchmark.config(preset);
    CandidateModel model = ModelTrainingBenchmark.warmModel(cfg);
    Random r = new Random(1);
    List<List<Instance>> batches = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      batches.add(ModelTrainingBenchmark.batch(r, cfg.maxWindow()));
    }
    int n = ModelTrainingBenchmark.GEMM;
    INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
    INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
    INDArray c = Nd4j.create(DataType.FLOAT, n, n);
    double gemmFlop = 2.0 * n * n * n;
    double stepFlop =
        ModelTrainingBenchmark.flopsPerInstance(preset) * ModelTrainingBenchmark.BATCH;
    long event = 1;
    for (int i = 0; i < 20; i++) {
      model.train(batches.get(i % batches.size()), event++);
      a.mmuli(b, c);
    }
    System.out.printf(Locale.ROOT, "preset %s: %s%n", preset, cfg);
    Report.printLoad("before");
    System.out.println(
        "| round | step inst/s (CPU) | step inst/s (wall) | gemm GFLOP/s (CPU) | gemm GFLOP/s (wall)"
            + " | % of gemm (CPU) |\n|---|---|---|---|---|---|");
    double bestStep = 0;
    double bestGemm = 0;
    double sumStep = 0;
    double sumGemm = 0;
    for (int round = 1; round <= rounds; round++) {
      long cpu0 = mx.getCurrentThreadCpuTime();
      long wall0 = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        model.train(batches.get(i % batches.size()), event++);
      }
      double stepCpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
      double stepWall = (System.nanoTime() - wall0) / 1e9;
      cpu0 = mx.getCurrentThreadCpuTime();
      wall0 = System.nanoTime();
      for (int i = 0; i < gemms; i++) {
        a.mmuli(b, c);
      }
      double gemmCpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
      double gemmWall = (System.nanoTime() - wall0) / 1e9;
      double stepFlopsCpu = steps * stepFlop / stepCpu;
      double gemmFlopsCpu = gemms * gemmFlop / gemmCpu;
      bestStep = Math.max(bestStep, stepFlopsCpu);
      bestGemm = Math.max(bestGemm, gemmFlopsCpu);
      sumStep += stepFlopsCpu;
      sumGemm += gemmFlopsCpu;
      System.out.printf(
          Locale.ROOT,
          "| %d | %.0f | %.0f | %.2f | %.2f | %.1f %% |%n",
          round,
          steps * ModelTrainingBenchmark.BATCH / stepCpu,
          steps * ModelTrainingBenchmark.BATCH / stepWall,
          gemmFlopsCpu / 1e9,
          gemms * gemmFlop / gemmWall / 1e9,
          100 * stepFlopsCpu / gemmFlopsCpu);
    }
    Report.printLoad("after");
    System.out.printf(
        Locale.ROOT,
        "CPU time: mean step %.2f GFLOP/s (%.0f inst/s), mean gemm %.2f GFLOP/s, mean ratio %.1f %%;"
            + " best step / best gemm %.1f %%%n",
        sumStep / rounds / 1e9,
        sumStep / rounds / (stepFlop / ModelTrainingBenchmark.BATCH),
        sumGemm / rounds / 1e9,
        100 * sumStep / sumGemm,
        100 * bestStep / bestGemm);
  }
}
