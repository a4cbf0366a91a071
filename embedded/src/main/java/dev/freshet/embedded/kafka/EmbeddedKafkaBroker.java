package dev.freshet.embedded.kafka;

import dev.freshet.embedded.tls.SelfSignedTls;
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
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
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
 * <p>By default the broker speaks PLAINTEXT with no authorizer. {@link Options#secured} turns on
 * SASL_SSL with SCRAM-SHA-512, mutual TLS on the controller listener and KRaft's {@code
 * StandardAuthorizer} (see {@link Security}).
 *
 * <p>Listeners bind to 127.0.0.1 only. {@link #start} returns once the broker answers a metadata
 * request, or throws after shutting down whatever it had started.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final int NODE_ID = 1;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  /** The SASL mechanism of a secured broker's client listener. */
  public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path dataDir;
  private final Duration startupTime;
  private final Security security;
  private boolean closed;

  private EmbeddedKafkaBroker(
      KafkaRaftServer server,
      String bootstrapServers,
      Path dataDir,
      Duration startupTime,
      Security security) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.dataDir = dataDir;
    this.startupTime = startupTime;
    this.security = security;
  }

  /**
   * How a secured broker is set up: SCRAM-SHA-512 over TLS for clients and between the broker and
   * itself (transaction markers), mutual TLS on the controller listener, and KRaft's {@code
   * StandardAuthorizer} with no access unless an ACL grants it. {@code adminUser} is a super user
   * whose SCRAM credential is written when the storage is formatted, so the first Admin client can
   * authenticate and create every other principal through the Admin API.
   *
   * @param adminUser the super user's name
   * @param adminPassword its password
   * @param tls the broker's certificate and the truststore clients use
   */
  public record Security(String adminUser, String adminPassword, SelfSignedTls tls) {
    public Security {
      Objects.requireNonNull(adminUser, "adminUser");
      Objects.requireNonNull(adminPassword, "adminPassword");
      Objects.requireNonNull(tls, "tls");
      if (adminUser.isEmpty() || adminUser.contains(",") || adminUser.contains("=")) {
        throw new IllegalArgumentException("adminUser must be non-empty without ',' or '='");
      }
    }
  }

  /** Options for {@link #start(Options)}; the defaults suit tests and the local demo. */
  public static final class Options {
    private Path dataDir;
    private int port;
    private int controllerPort;
    private int defaultPartitions = 1;
    private boolean autoCreateTopics;
    private Security security;
    private final Map<String, String> overrides = new LinkedHashMap<>();

    /**
     * Secures the broker: SASL_SSL with SCRAM-SHA-512 for clients, an authorizer, {@code
     * security.adminUser} as super user (see {@link Security}). Off by default (PLAINTEXT, no
     * authorizer).
     */
    public Options secured(Security security) {
      this.security = Objects.requireNonNull(security, "security");
      return this;
    }

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
    format(logDir, metadataDir, options.security);

    String bootstrap = "127.0.0.1:" + port;
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    try {
      server.startup();
      awaitReady(
          bootstrap,
          options.security == null
              ? Map.of()
              : clientProperties(
                  options.security,
                  options.security.adminUser(),
                  options.security.adminPassword()));
    } catch (RuntimeException | Error e) {
      shutdownQuietlyAfterFailure(server, e);
      throw e;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    log.info(
        "Kafka broker (KRaft{}) started at {} in {} ms, data in {}",
        options.security == null ? "" : ", SASL_SSL + SCRAM-SHA-512, authorizer on",
        bootstrap,
        took.toMillis(),
        options.dataDir);
    return new EmbeddedKafkaBroker(server, bootstrap, options.dataDir, took, options.security);
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
    // Fast failover (docs/reliability.md, "Failover"): clients may ask for sessions as short as
    // the stream app's, and a transaction left open by a killed process is aborted within about
    // a second of its timeout (Kafka's defaults: 6 s and 10 s).
    p.put("group.min.session.timeout.ms", "1000");
    p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
    // Fast restart after a crash (docs/reliability.md, "Broker restart"): the restarted node's
    // controller keeps the killed node's registration until its broker session expires, and the
    // broker does not serve before it is registered again. Kafka's 9 s session made a restart
    // after SIGKILL take about 14 s on the build machine; 3 s with 0.5 s heartbeats takes about 6.
    p.put("broker.session.timeout.ms", "3000");
    p.put("broker.heartbeat.interval.ms", "500");
    if (options.security != null) {
      secure(p, options.security, port, controllerPort);
    }
    p.putAll(options.overrides);
    return p;
  }

  private static void secure(Properties p, Security s, int port, int controllerPort) {
    SelfSignedTls tls = s.tls();
    p.put(
        "listeners", "SASL_SSL://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + port);
    p.put("inter.broker.listener.name", "SASL_SSL");
    p.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:SSL");
    p.put("ssl.keystore.type", "PKCS12");
    p.put("ssl.keystore.location", tls.keystore().toAbsolutePath().toString());
    p.put("ssl.keystore.password", tls.password());
    p.put("ssl.key.password", tls.password());
    p.put("ssl.truststore.type", "PKCS12");
    p.put("ssl.truststore.location", tls.truststore().toAbsolutePath().toString());
    p.put("ssl.truststore.password", tls.password());
    // The controller listener takes only the broker itself, proven by its certificate.
    p.put("listener.name.controller.ssl.client.auth", "required");
    p.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
    p.put("sasl.mechanism.inter.broker.protocol", SCRAM_MECHANISM);
    p.put(
        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
        jaas(s.adminUser(), s.adminPassword()));
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.put("allow.everyone.if.no.acl.found", "false");
    p.put("super.users", "User:" + s.adminUser() + ";User:" + tls.subject());
  }

  private static String jaas(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user.replace("\"", "\\\"")
        + "\" password=\""
        + password.replace("\"", "\\\"")
        + "\";";
  }

  /**
   * Client settings for {@code user} on a broker secured with {@code security}: SASL_SSL,
   * SCRAM-SHA-512 and the broker's truststore (bootstrap servers not included).
   */
  public static Map<String, Object> clientProperties(
      Security security, String user, String password) {
    Objects.requireNonNull(security, "security");
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("security.protocol", "SASL_SSL");
    c.put("sasl.mechanism", SCRAM_MECHANISM);
    c.put("sasl.jaas.config", jaas(user, password));
    c.put("ssl.truststore.type", "PKCS12");
    c.put("ssl.truststore.location", security.tls().truststore().toAbsolutePath().toString());
    c.put("ssl.truststore.password", security.tls().password());
    return c;
  }

  /** Formats the directories unless they already hold a formatted cluster (restart). */
  private static void format(Path logDir, Path metadataDir, Security security) {
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
          .setScramArguments(
              security == null
                  ? List.of()
                  : List.of(
                      SCRAM_MECHANISM
                          + "=[name="
                          + security.adminUser()
                          + ",password="
                          + security.adminPassword()
                          + "]"))
          .setIgnoreFormatted(true)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format KRaft storage in " + logDir.getParent(), e);
    }
  }

  private static void awaitReady(String bootstrap, Map<String, Object> client) {
    Map<String, Object> conf = new LinkedHashMap<>(client);
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

  /** Whether this broker was started {@link Options#secured secured}. */
  public boolean isSecured() {
    return security != null;
  }

  /**
   * Client settings (with bootstrap servers) for {@code user}: SASL_SSL + SCRAM-SHA-512 + the
   * broker's truststore when secured, just the bootstrap servers otherwise.
   */
  public Map<String, Object> clientProperties(String user, String password) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    if (security != null) {
      c.putAll(clientProperties(security, user, password));
    }
    return c;
  }

  /** Client settings (with bootstrap servers) for the super user of a secured broker. */
  public Map<String, Object> adminProperties() {
    if (security == null) {
      return clientProperties("", "");
    }
    return clientProperties(security.adminUser(), security.adminPassword());
  }

  /**
   * Creates or replaces the SCRAM-SHA-512 credential of {@code user} through the Admin API, as the
   * super user, and waits until the broker has applied it.
   *
   * @throws IllegalStateException if the broker is not secured or the request fails
   */
  public void upsertScramUser(String user, String password) {
    if (security == null) {
      throw new IllegalStateException("the broker is not secured: no SCRAM users");
    }
    try (Admin admin = Admin.create(adminProperties())) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create SCRAM user " + user, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating SCRAM user " + user, e);
    }
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
