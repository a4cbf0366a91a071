package dev.freshet.bench.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * A process's CPU time split by what its threads do, read from Linux's {@code /proc/PID/task}: the
 * JIT compilers, the garbage collector and the VM thread, and everything else (the application).
 * Taken before and after a measured span, the difference says how much of a process's CPU was its
 * own work and how much was the JVM still warming up. Threads that ended within the span are not
 * counted; the caller compares the sum with the process's total.
 */
final class ThreadCpu {

  /** What a thread does, from its native name. */
  enum Kind {
    JIT,
    GC,
    APP;

    static Kind of(String comm) {
      if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
        return JIT;
      }
      if (comm.startsWith("GC ") || comm.startsWith("G1 ") || comm.startsWith("VM Thread")) {
        return GC;
      }
      return APP;
    }
  }

  /** Linux's clock ticks per second for {@code /proc} times; 100 on every x86-64 kernel. */
  private static final double TICKS = 100.0;

  private ThreadCpu() {}

  /** CPU seconds by kind of thread, over the threads alive now; empty where /proc is missing. */
  static Map<Kind, Double> of(long pid) {
    return kinds(byName(pid));
  }

  /**
   * {@link #byName} figures summed by kind of thread; empty for empty figures (no /proc). A name
   * with its digits cut still tells the kind: {@link Kind#of} looks at the start of a name.
   */
  static Map<Kind, Double> kinds(Map<String, Double> byName) {
    if (byName.isEmpty()) {
      return Map.of();
    }
    Map<Kind, Double> out = new EnumMap<>(Kind.class);
    for (Kind k : Kind.values()) {
      out.put(k, 0.0);
    }
    byName.forEach((name, seconds) -> out.merge(Kind.of(name), seconds, Double::sum));
    return out;
  }

  /**
   * CPU seconds of the threads alive now, by native thread name with trailing digits cut (so a
   * pool's threads add up under one name); empty where /proc is missing. Linux keeps the first 15
   * characters of a thread's name.
   */
  static Map<String, Double> byName(long pid) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    Map<String, Double> out = new HashMap<>();
    if (!Files.isDirectory(tasks)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(tasks)) {
      for (Path t : ds) {
        try {
          String comm = Files.readString(t.resolve("comm"), StandardCharsets.US_ASCII).strip();
          out.merge(comm.replaceAll("[0-9]+$", ""), seconds(t), Double::sum);
        } catch (NoSuchFileException ended) {
          // the thread ended while the directory was read
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + tasks, e);
    }
    return out;
  }

  /** A thread's user and system CPU seconds from its {@code stat}. */
  private static double seconds(Path task) throws IOException {
    String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
    // Fields after the name, which is in parentheses and may hold spaces: state is the first,
    // utime the 12th and stime the 13th (fields 14 and 15 of proc(5)).
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
  }

  /** This JVM's CPU in {@code kind}'s threads so far, in ms; 0 where /proc is missing. */
  static long millis(Kind kind) {
    return Math.round(of(ProcessHandle.current().pid()).getOrDefault(kind, 0.0) * 1000);
  }

  /** The CPU seconds of a whole process so far. */
  static double processSeconds(ProcessHandle process) {
    return process
            .info()
            .totalCpuDuration()
            .orElseThrow(
                () -> new IllegalStateException("no CPU time for process " + process.pid()))
            .toNanos()
        / 1e9;
  }

  /** {@code after - before}, kind by kind. */
  static Map<Kind, Double> minus(Map<Kind, Double> after, Map<Kind, Double> before) {
    Map<Kind, Double> out = new EnumMap<>(Kind.class);
    after.forEach((k, v) -> out.put(k, v - before.getOrDefault(k, 0.0)));
    return out;
  }
}
