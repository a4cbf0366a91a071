package dev.freshet.embedded.registry;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.freshet.embedded.registry.internals.BasicAuthHandler;
import dev.freshet.embedded.registry.internals.KafkaSchemaLog;
import dev.freshet.embedded.registry.internals.RegistryHttpApi;
import dev.freshet.embedded.registry.internals.RegistryState;
import dev.freshet.embedded.registry.internals.SchemaLog;
import dev.freshet.embedded.tls.SelfSignedTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Confluent-compatible schema registry endpoint in this JVM, storing schemas in a compacted Kafka
 * topic so they, their ids and the compatibility settings survive restarts.
 *
 * <p>{@link #start} reads the topic to its end, then serves {@link #url()} on 127.0.0.1. Each write
 * (registration, deletion, configuration) is appended to the topic and acknowledged before it is
 * applied and answered. Only one registry may serve a given topic at a time. Compatibility defaults
 * to BACKWARD.
 *
 * <pre>{@code
 * try (EmbeddedSchemaRegistry registry =
 *     EmbeddedSchemaRegistry.start(new EmbeddedSchemaRegistry.Options(broker.bootstrapServers()))) {
 *   props.put("schema.registry.url", registry.url());
 * }
 * }</pre>
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

  /** The default schema topic. */
  public static final String DEFAULT_TOPIC = "_freshet_schemas";

  private static final Logger log = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);

  /** Options for {@link #start(Options)}; the defaults suit tests and the local demo. */
  public static final class Options {
    private final String bootstrapServers;
    private String topic = DEFAULT_TOPIC;
    private int port;
    private short replicationFactor = 1;
    private String defaultCompatibility = "BACKWARD";
    private Duration timeout = Duration.ofSeconds(30);
    private SelfSignedTls tls;
    private String basicAuthUser;
    private String basicAuthPassword;

    /** Serves HTTPS with this certificate instead of HTTP. */
    public Options https(SelfSignedTls tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /**
     * Requires HTTP basic auth with these credentials on every request; others get a 401 JSON error
     * ({@code error_code} 401) with a {@code WWW-Authenticate} challenge. Off by default.
     */
    public Options basicAuth(String user, String password) {
      this.basicAuthUser = Objects.requireNonNull(user, "user");
      this.basicAuthPassword = Objects.requireNonNull(password, "password");
      if (user.isEmpty() || user.contains(":")) {
        throw new IllegalArgumentException("user must be non-empty without ':'");
      }
      return this;
    }

    /** Options for a registry storing its schemas on the cluster at {@code bootstrapServers}. */
    public Options(String bootstrapServers) {
      this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    }

    /** The compacted topic holding the schemas; default {@value #DEFAULT_TOPIC}. */
    public Options topic(String topic) {
      this.topic = Objects.requireNonNull(topic, "topic");
      return this;
    }

    /** HTTP port on 127.0.0.1; 0 (the default) picks a free one. */
    public Options port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /** Replication factor of the topic when it is created; default 1 (single broker). */
    public Options replicationFactor(int factor) {
      if (factor < 1 || factor > Short.MAX_VALUE) {
        throw new IllegalArgumentException("replication factor must be >= 1, got " + factor);
      }
      this.replicationFactor = (short) factor;
      return this;
    }

    /** Global compatibility level until changed through the API; default BACKWARD. */
    public Options defaultCompatibility(String level) {
      this.defaultCompatibility = Objects.requireNonNull(level, "level");
      return this;
    }

    /** Bound for Kafka operations (creating and reading the topic, each write); default 30 s. */
    public Options timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }
  }

  private final HttpServer server;
  private final boolean https;
  private final ExecutorService executor;
  private final SchemaLog schemaLog;
  private final Duration startupTime;
  private boolean closed;

  private EmbeddedSchemaRegistry(
      HttpServer server,
      boolean https,
      ExecutorService executor,
      SchemaLog schemaLog,
      Duration startupTime) {
    this.server = server;
    this.https = https;
    this.executor = executor;
    this.schemaLog = schemaLog;
    this.startupTime = startupTime;
  }

  /**
   * Opens the schema topic (creating it if needed), replays it and starts serving.
   *
   * @throws IllegalStateException if Kafka cannot be reached in time or the topic holds corrupt
   *     records
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static EmbeddedSchemaRegistry start(Options options) {
    long t0 = System.nanoTime();
    KafkaSchemaLog schemaLog =
        new KafkaSchemaLog(
            options.bootstrapServers, options.topic, options.replicationFactor, options.timeout);
    try {
      return start(schemaLog, options, t0);
    } catch (RuntimeException e) {
      schemaLog.close();
      throw e;
    }
  }

  /** Starts over any {@link SchemaLog}; the registry closes the log when closed. */
  static EmbeddedSchemaRegistry start(SchemaLog schemaLog, Options options) {
    return start(schemaLog, options, System.nanoTime());
  }

  private static EmbeddedSchemaRegistry start(SchemaLog schemaLog, Options options, long t0) {
    RegistryState state = new RegistryState(schemaLog, options.defaultCompatibility);
    HttpServer server;
    try {
      InetSocketAddress address =
          new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port);
      if (options.tls != null) {
        HttpsServer secure = HttpsServer.create(address, 0);
        secure.setHttpsConfigurator(new HttpsConfigurator(options.tls.serverContext()));
        server = secure;
      } else {
        server = HttpServer.create(address, 0);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot bind the schema registry to port " + options.port, e);
    }
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "freshet-schema-registry-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    HttpHandler api = new RegistryHttpApi(state);
    server.createContext(
        "/",
        options.basicAuthUser == null
            ? api
            : new BasicAuthHandler(options.basicAuthUser, options.basicAuthPassword, api));
    server.setExecutor(executor);
    server.start();
    Duration startup = Duration.ofNanos(System.nanoTime() - t0);
    EmbeddedSchemaRegistry registry =
        new EmbeddedSchemaRegistry(server, options.tls != null, executor, schemaLog, startup);
    log.info(
        "Schema registry ready at {} ({} subjects replayed from {}, {} ms)",
        registry.url(),
        state.subjects().size(),
        schemaLog,
        startup.toMillis());
    return registry;
  }

  /**
   * The base URL, for {@code schema.registry.url}: {@code http://127.0.0.1:PORT}, or {@code
   * https://...} when started with {@link Options#https}.
   */
  public String url() {
    return (https ? "https" : "http") + "://127.0.0.1:" + port();
  }

  /** The HTTP port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** From {@link #start} to serving (includes replaying the topic). */
  public Duration startupTime() {
    return startupTime;
  }

  /** Stops serving and closes the schema log. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.stop(0);
    executor.shutdownNow();
    schemaLog.close();
  }
}
