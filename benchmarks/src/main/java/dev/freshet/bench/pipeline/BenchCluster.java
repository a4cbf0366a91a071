package dev.freshet.bench.pipeline;

import dev.freshet.embedded.kafka.EmbeddedKafkaBroker;
import dev.freshet.embedded.registry.EmbeddedSchemaRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * A throw-away broker and registry for one harness run: Freshet's embedded KRaft broker and
 * registry, either in this JVM or in a child JVM of their own.
 *
 * <p>The child mode separates the heaps: in one JVM every garbage-collection pause of the broker
 * stalls the app under test and the other way round. Measured in the stream-app harness (see
 * docs/benchmarks.md), the app's young pauses fell from about 29 ms to about 7 ms with the broker
 * in a child, yet its latency did not improve: two JVMs then compete for the same two cores. The
 * harnesses therefore default to {@code inline}, which is also what their recorded figures used.
 *
 * <p>Everything a run writes to disk (the broker's log, the apps' state, the trainers' checkpoints)
 * goes under one scratch directory ({@link #newDir}), deleted on {@link #close}: a throughput run
 * writes hundreds of megabytes to gigabytes, and the runs of a session once filled the machine's
 * disk.
 */
final class BenchCluster implements AutoCloseable {

  /** The child's first line of output, followed by the bootstrap servers and the registry URL. */
  static final String READY = "bench-cluster-ready";

  private final EmbeddedKafkaBroker broker;
  private final EmbeddedSchemaRegistry registry;
  private final Process child;
  private final String bootstrap;
  private final String registryUrl;
  private final Path scratch;

  private BenchCluster(
      EmbeddedKafkaBroker broker,
      EmbeddedSchemaRegistry registry,
      Process child,
      String bootstrap,
      String registryUrl,
      Path scratch) {
    this.scratch = scratch;
    this.broker = broker;
    this.registry = registry;
    this.child = child;
    this.bootstrap = bootstrap;
    this.registryUrl = registryUrl;
  }

  /**
   * Broker settings for an experiment, as system properties {@code bench.broker.config.KEY=VALUE}
   * (e.g. {@code -Dbench.broker.config.add.partitions.to.txn.retry.backoff.ms=2}); they override
   * the embedded broker's own and are printed at start.
   */
  static final String BROKER_CONFIG = "bench.broker.config.";

  static Map<String, String> brokerOverrides() {
    Map<String, String> out = new TreeMap<>();
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith(BROKER_CONFIG)) {
        out.put(name.substring(BROKER_CONFIG.length()), System.getProperty(name));
      }
    }
    return out;
  }

  /** {@code mode} is {@code inline} (this JVM) or {@code child} (a JVM of their own). */
  static BenchCluster start(String mode) throws IOException {
    return switch (mode) {
      case "inline" -> inline();
      case "child" -> child();
      default ->
          throw new IllegalArgumentException("broker must be child or inline, got '" + mode + "'");
    };
  }

  private static BenchCluster inline() throws IOException {
    Path dir = Files.createTempDirectory("freshet-bench-");
    EmbeddedKafkaBroker.Options options =
        new EmbeddedKafkaBroker.Options().dataDir(dir.resolve("kafka"));
    brokerOverrides().forEach(options::override);
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(options);
    EmbeddedSchemaRegistry registry =
        EmbeddedSchemaRegistry.start(new EmbeddedSchemaRegistry.Options(broker.bootstrapServers()));
    return new BenchCluster(broker, registry, null, broker.bootstrapServers(), registry.url(), dir);
  }

  /** Starts {@link #main} in a child JVM on this JVM's class path and waits for its addresses. */
  private static BenchCluster child() throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.add("-Xmx" + System.getProperty("bench.broker.heap", "2g"));
    brokerOverrides().forEach((k, v) -> cmd.add("-D" + BROKER_CONFIG + k + "=" + v));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(BenchCluster.class.getName());
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.equals(READY)) {
      // the child's log lines before READY are skipped; after it they are copied to stderr
    }
    String bootstrap = line == null ? null : out.readLine();
    String registryUrl = line == null ? null : out.readLine();
    if (bootstrap == null || registryUrl == null) {
      p.destroyForcibly();
      throw new IOException("the broker process exited before it was ready: " + p.info());
    }
    // The child deletes its own broker directory; this one holds what the harness writes.
    Path scratch = Files.createTempDirectory("freshet-bench-");
    // Keep draining the child's stdout (its log lines) so it never blocks on a full pipe.
    Thread drain =
        new Thread(
            () -> {
              try {
                String l;
                while ((l = out.readLine()) != null) {
                  System.err.println("[broker] " + l);
                }
              } catch (IOException e) {
                // the child exited
              }
            },
            "bench-broker-output");
    drain.setDaemon(true);
    drain.start();
    return new BenchCluster(null, null, p, bootstrap, registryUrl, scratch);
  }

  /**
   * The child: starts a broker and a registry, prints {@link #READY} and their addresses, and stops
   * when its standard input closes (the parent exited or closed it).
   */
  public static void main(String[] args) throws IOException {
    try (BenchCluster c = inline()) {
      System.out.println(READY);
      System.out.println(c.bootstrap());
      System.out.println(c.registryUrl());
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for EOF
      }
    }
  }

  String bootstrap() {
    return bootstrap;
  }

  /** A new empty directory under this run's scratch directory, deleted with it on close. */
  Path newDir(String prefix) throws IOException {
    return Files.createTempDirectory(scratch, prefix);
  }

  String registryUrl() {
    return registryUrl;
  }

  void topic(String name, int partitions, boolean compacted) throws Exception {
    NewTopic t = new NewTopic(name, partitions, (short) 1);
    if (compacted) {
      t.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
      admin.createTopics(List.of(t)).all().get(60, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    if (child != null) {
      try {
        child.getOutputStream().close();
        if (!child.waitFor(60, TimeUnit.SECONDS)) {
          child.destroyForcibly();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        child.destroyForcibly();
      }
    } else {
      registry.close();
      broker.close();
    }
    deleteTree(scratch);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("could not delete " + dir + " (delete it by hand): " + e);
    }
  }
}
