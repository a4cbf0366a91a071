package dev.freshet.embedded.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka cluster (KRaft, combined broker + controller) running inside this JVM.
 *
 * <p>The data directory is formatted on first start and reused afterwards, so topics and committed
 * offsets survive a restart of the process that owns it. Two brokers must not share a directory;
 * the broker locks it like a standalone Kafka does.
 *
 * <p>Listeners bind to 127.0.0.1 only. {@link #start} returns once the broker answers a metadata
 * request, or throws after shutting down whatever it had started.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final int NODE_ID = 1;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path dataDir;
  private final Duration startupTime;
  private boolean closed;

  private EmbeddedKafkaBroker(
      KafkaRaftServer server, String bootstrapServers, Path dataDir, Duration startupTime) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.dataDir = dataDir;
    this.startupTime = startupTime;
  }

  /** Options for {@link #start(Options)}; the defaults suit tests and the local demo. */
  public static final class Options {
    private Path dataDir;
    private int port;
    private int controllerPort;
    private int defaultPartitions = 1;
    private boolean autoCreateTopics;
    private final Map<String, String> overrides = new LinkedHashMap<>();

    /** Directory for the logs and metadata; formatted on first use. Required. */
    public Options dataDir(Path dir) {
      this.dataDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** Client port on 127.0.0.1; 0 (the default) picks a free one. */
    public Options port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in [0, 65535], was " + port);
      }
      this.port = port;
      return this;
    }

    /** Controller port on 127.0.0.1; 0 (the default) picks a free one. */
    public Options controllerPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("controllerPort must be in [0, 65535], was " + port);
      }
      this.controllerPort = port;
      return this;
    }

    /** Partitions of auto-created topics (only relevant with auto-creation on). */
    public Options defaultPartitions(int partitions) {
      if (partitions < 1) {
        throw new IllegalArgumentException("defaultPartitions must be >= 1, was " + partitions);
      }
      this.defaultPartitions = partitions;
      return this;
    }

    /**
     * Whether producing to an unknown topic creates it. Off by default: Freshet creates its topics
     * explicitly, so a misspelt topic name fails instead of silently making a new topic.
     */
    public Options autoCreateTopics(boolean enabled) {
      this.autoCreateTopics = enabled;
      return this;
    }

    /** Any broker property, applied last. */
    public Options override(String key, String value) {
      overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }
  }

  /** Starts a broker with the given options and waits until it serves requests. */
  public static EmbeddedKafkaBroker start(Options options) {
    Objects.requireNonNull(options, "options");
    if (options.dataDir == null) {
      throw new IllegalArgumentException("Options.dataDir is required");
    }
    long t0 = System.nanoTime();
    int port = options.port == 0 ? freePort() : options.port;
    int controllerPort = options.controllerPort == 0 ? freePort() : options.controllerPort;
    Path logDir = options.dataDir.resolve("data");
    Path metadataDir = options.dataDir.resolve("metadata");
    try {
      Files.createDirectories(logDir);
      Files.createDirectories(metadataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create broker directories in " + options.dataDir, e);
    }

    Properties props = brokerProperties(options, port, controllerPort, logDir, metadataDir);
    KafkaConfig config = KafkaConfig.fromProps(props, false);
    format(logDir, metadataDir);

    String bootstrap = "127.0.0.1:" + port;
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    try {
      server.startup();
      awaitReady(bootstrap);
    } catch (RuntimeException | Error e) {
      shutdownQuietlyAfterFailure(server, e);
      throw e;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    log.info(
        "Kafka broker (KRaft) started at {} in {} ms, data in {}",
        bootstrap,
        took.toMillis(),
        options.dataDir);
    return new EmbeddedKafkaBroker(server, bootstrap, options.dataDir, took);
  }

  private static Properties brokerProperties(
      Options options, int port, int controllerPort, Path logDir, Path metadataDir) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    p.put(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDir.toAbsolutePath().toString());
    p.put("metadata.log.dir", metadataDir.toAbsolutePath().toString());
    // One node: every internal topic must have replication factor 1 and min ISR 1, or consumer
    // groups, transactions and share groups wait forever for replicas that never come.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "10");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "10");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("num.partitions", Integer.toString(options.defaultPartitions));
    p.put("auto.create.topics.enable", Boolean.toString(options.autoCreateTopics));
    // A lone test or demo broker has nobody to wait for before the first rebalance.
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
    p.putAll(options.overrides);
    return p;
  }

  /** Formats the directories unless they already hold a formatted cluster (restart). */
  private static void format(Path logDir, Path metadataDir) {
    if (Files.exists(metadataDir.resolve("meta.properties"))
        && Files.exists(logDir.resolve("meta.properties"))) {
      return; // formatted by an earlier start: keep its cluster id
    }
    try {
      new Formatter()
          .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(
              List.of(logDir.toAbsolutePath().toString(), metadataDir.toAbsolutePath().toString()))
          .setMetadataLogDirectory(metadataDir.toAbsolutePath().toString())
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setReleaseVersion(MetadataVersion.latestProduction())
          .setControllerListenerName("CONTROLLER")
          .setIgnoreFormatted(true)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format KRaft storage in " + logDir.getParent(), e);
    }
  }

  private static void awaitReady(String bootstrap) {
    Map<String, Object> conf = new LinkedHashMap<>();
    conf.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    conf.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
    conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    List<String> errors = new ArrayList<>();
    try (Admin admin = Admin.create(conf)) {
      while (System.nanoTime() < deadline) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          errors.add(String.valueOf(e.getCause() == null ? e : e.getCause()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the broker", e);
        }
      }
    }
    throw new IllegalStateException(
        "broker at "
            + bootstrap
            + " not ready after "
            + READY_TIMEOUT
            + "; last errors: "
            + errors.subList(Math.max(0, errors.size() - 3), errors.size()));
  }

  private static void shutdownQuietlyAfterFailure(KafkaRaftServer server, Throwable cause) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  /** A port that was free on 127.0.0.1 a moment ago. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  /** {@code host:port} for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The directory this broker keeps its logs and metadata in. */
  public Path dataDir() {
    return dataDir;
  }

  /** How long {@link #start} took, from formatting to the first answered metadata request. */
  public Duration startupTime() {
    return startupTime;
  }

  /** Stops the broker and waits for it; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long t0 = System.nanoTime();
    server.shutdown();
    server.awaitShutdown();
    log.info(
        "Kafka broker at {} stopped in {} ms",
        bootstrapServers,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
  }
}
