package dev.freshet.system;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Freshet component in a JVM of its own ({@code main} of a class with {@code key=value} or plain
 * arguments, on this test's class path), so a test can kill it with SIGKILL and start it again on
 * the same state. Its output goes to {@code name-N.log} in the test's directory, one file per
 * start.
 */
final class JvmProcess {

  private final String name;
  private final String mainClass;
  private final String heap;
  private final List<String> args;
  private final Path logDir;
  private Process process;
  private int starts;
  private long startedAt;

  JvmProcess(String name, Class<?> mainClass, String heap, List<String> args, Path logDir) {
    this.name = name;
    this.mainClass = mainClass.getName();
    this.heap = heap;
    this.args = List.copyOf(args);
    this.logDir = logDir;
  }

  /** A process whose arguments are {@code key=value} pairs. */
  static JvmProcess withConfig(
      String name, Class<?> mainClass, String heap, Map<String, String> config, Path logDir) {
    List<String> args = new ArrayList<>();
    config.forEach((k, v) -> args.add(k + "=" + v));
    return new JvmProcess(name, mainClass, heap, args, logDir);
  }

  String name() {
    return name;
  }

  /** Starts the JVM (not waiting for the component to run). */
  void start() throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    starts++;
    File out = log().toFile();
    startedAt = System.nanoTime();
    process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out).start();
  }

  /** {@link System#nanoTime()} of the latest start. */
  long startedAt() {
    return startedAt;
  }

  /** SIGKILL: no shutdown hook, no leave-group, a transaction likely left open. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " did not die within 30 s");
    }
  }

  /** SIGTERM: the component closes cleanly (Kafka Streams leaves the group). */
  void stop() throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** The log of the current (or last) run. */
  Path log() {
    return logDir.resolve(name + "-" + starts + ".log");
  }

  /** Lines of the current run's log containing {@code text}. */
  List<String> logLines(String text) throws IOException {
    if (!Files.exists(log())) {
      return List.of();
    }
    return Files.readAllLines(log()).stream().filter(l -> l.contains(text)).toList();
  }

  /**
   * Lines of the current run's log containing {@code text}, each followed by the stack trace under
   * it (the lines after it that do not start with a time stamp, up to 40): what a failed assertion
   * should show about an error.
   */
  List<String> logEntries(String text) throws IOException {
    if (!Files.exists(log())) {
      return List.of();
    }
    List<String> lines = Files.readAllLines(log());
    List<String> entries = new java.util.ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).contains(text)) {
        continue;
      }
      StringBuilder entry = new StringBuilder(lines.get(i));
      for (int j = i + 1; j < lines.size() && j <= i + 40; j++) {
        if (lines.get(j).matches("^\\d\\d:\\d\\d:\\d\\d.*")) {
          break;
        }
        entry.append('\n').append(lines.get(j));
      }
      entries.add(entry.toString());
    }
    return entries;
  }

  /**
   * Waits until the current run's log has a line containing {@code text}; fails if the process
   * exits first or {@code seconds} pass. Returns the line.
   */
  String awaitLine(String text, long seconds) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      List<String> lines = logLines(text);
      if (!lines.isEmpty()) {
        return lines.get(0);
      }
      if (!isAlive()) {
        throw failure(name + " exited before logging '" + text + "'");
      }
      if (System.nanoTime() > deadline) {
        throw failure(name + " did not log '" + text + "' within " + seconds + " s");
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  /** {@code what}, with the current run's log file and its last 30 lines. */
  private IllegalStateException failure(String what) throws IOException {
    String tail = "(no log)";
    if (Files.exists(log())) {
      List<String> lines = Files.readAllLines(log());
      tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
    return new IllegalStateException(what + "; " + log() + ", which ends:\n" + tail);
  }
}
