package dev.freshet.bench.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs one benchmark class through the JMH API (usual JMH command-line options apply) so its {@code
 * main} can turn the raw scores into the derived figures the docs report (GFLOP/s and the fraction
 * of the gemm bound measured in the same run). Also prints the 1/5/15-minute load averages before
 * and after, since the machine is shared.
 */
final class Report {
  private Report() {}

  static Collection<RunResult> run(Class<?> benchmark, String[] args)
      throws RunnerException, CommandLineOptionException {
    CommandLineOptions cli = new CommandLineOptions(args);
    List<String> includes = new ArrayList<>(cli.getIncludes());
    if (includes.isEmpty()) {
      includes.add(benchmark.getName());
    }
    OptionsBuilder o = new OptionsBuilder();
    o.parent(cli);
    for (String inc : includes) {
      o.include(inc);
    }
    printLoad("before");
    Collection<RunResult> results = new Runner(o.build()).run();
    printLoad("after");
    return results;
  }

  /** The score of the run whose benchmark method is {@code method} and whose params match. */
  static RunResult find(Collection<RunResult> results, String method, String... params) {
    RunResult r = findOrNull(results, method, params);
    if (r == null) {
      throw new IllegalStateException("no result for " + method + " " + String.join(",", params));
    }
    return r;
  }

  /** As {@link #find}, or {@code null} when that case did not run (e.g. excluded by {@code -p}). */
  static RunResult findOrNull(Collection<RunResult> results, String method, String... params) {
    for (RunResult r : results) {
      var p = r.getParams();
      if (!p.getBenchmark().endsWith("." + method)) {
        continue;
      }
      boolean match = true;
      for (int i = 0; i + 1 < params.length; i += 2) {
        match &= params[i + 1].equals(p.getParam(params[i]));
      }
      if (match) {
        return r;
      }
    }
    return null;
  }

  /** Seconds per operation of an average-time result. */
  static double secondsPerOp(RunResult r) {
    return r.getPrimaryResult().getScore() * r.getParams().getTimeUnit().toNanos(1) / 1e9;
  }

  /** Operations per second of a throughput result. */
  static double opsPerSecond(RunResult r) {
    return r.getPrimaryResult().getScore() / r.getParams().getTimeUnit().toNanos(1) * 1e9;
  }

  static void printLoad(String when) {
    String all;
    try {
      all = Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/loadavg", e);
    }
    System.out.printf(Locale.ROOT, "load average %s: %s%n", when, all);
  }
}
