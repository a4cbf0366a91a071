package dev.freshet.system;

import dev.freshet.streams.StreamApp;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A stream-app instance in a JVM of its own ({@code StreamApp.main} with {@code key=value}
 * arguments), so a test can kill it with SIGKILL and start it again on the same state directory.
 * Its output goes to {@code name-N.log} in the test's directory.
 */
final class StreamAppProcess {

  private final String name;
  private final Map<String, String> config;
  private final Path logDir;
  private Process process;
  private int starts;

  StreamAppProcess(String name, Map<String, String> config, Path logDir) {
    this.name = name;
    this.config = Map.copyOf(config);
    this.logDir = logDir;
  }

  String name() {
    return name;
  }

  /** Starts the JVM (not waiting for the app to run). */
  void start() throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx384m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(StreamApp.class.getName());
    config.forEach((k, v) -> cmd.add(k + "=" + v));
    starts++;
    File out = log().toFile();
    process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out).start();
  }

  /** SIGKILL: no shutdown hook, no leave-group, a transaction likely left open. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " did not die within 30 s");
    }
  }

  /** SIGTERM: Kafka Streams closes and leaves the group. */
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
}
