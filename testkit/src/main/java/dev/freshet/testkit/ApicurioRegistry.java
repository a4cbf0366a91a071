package dev.freshet.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Apicurio Registry (3.x) server running as a child process from its Quarkus distribution
 * ({@code io.apicurio:apicurio-registry-app:<version>:tar.gz|zip:all} from Maven Central, unpacked
 * by the build).
 *
 * <p>It runs with in-memory H2 storage ({@code apicurio.storage.kind=sql}, {@code
 * apicurio.storage.sql.kind=h2}, the distribution's default), HTTP and management interfaces bound
 * to 127.0.0.1 on free ports ({@code quarkus.http.host/port}, {@code
 * quarkus.management.host/port}), and global compatibility BACKWARD (set at start with {@code
 * apicurio.rules.global.compatibility} and confirmed through the Confluent API). {@link #start}
 * returns once the management readiness check ({@code /health/ready}) and the Confluent API ({@code
 * /apis/ccompat/v7/config}) both answer, or fails at the deadline with the tail of the server's
 * log.
 *
 * <p>Apicurio 3.1+ needs Java 21+: the JDK is the test JVM's own when it is 21+, else {@code
 * -Dapicurio.java.home}, else the newest JDK 21+ under {@code /usr/lib/jvm}. Distributions 3.0.x
 * run on Java 17.
 */
public final class ApicurioRegistry implements AutoCloseable {

  /** System property: directory holding the unpacked distribution (with quarkus-run.jar). */
  public static final String HOME_PROPERTY = "apicurio.home";

  /** System property: a JDK home to run it with (overrides the search). */
  public static final String JAVA_HOME_PROPERTY = "apicurio.java.home";

  /** System property: directory for the server log (default: the distribution's parent). */
  public static final String LOG_DIR_PROPERTY = "apicurio.log.dir";

  /** Path of the Confluent-compatible API under the server's base URL. */
  public static final String CCOMPAT_PATH = "/apis/ccompat/v7";

  private static final Logger log = LoggerFactory.getLogger(ApicurioRegistry.class);
  private static final Pattern APP_JAR =
      Pattern.compile(
          "apicurio-registry-app-(\\d+)\\.(\\d+)\\.(\\d+)(?:\\.Final)?(?:-runner)?\\.jar");

  /** Where the distribution is, which JDK runs it, where it logs and how long start may take. */
  public static final class Options {
    private Path home;
    private Path javaHome;
    private Path logDir;
    private Duration startTimeout = Duration.ofSeconds(180);

    /**
     * Options from {@value #HOME_PROPERTY}, {@value #JAVA_HOME_PROPERTY}, {@value
     * #LOG_DIR_PROPERTY}.
     */
    public static Options fromSystemProperties() {
      Options options = new Options();
      String home = System.getProperty(HOME_PROPERTY, "").trim();
      if (home.isEmpty()) {
        throw new IllegalStateException(
            "-D"
                + HOME_PROPERTY
                + " is not set: run the tests through Maven (failsafe passes the unpacked"
                + " io.apicurio:apicurio-registry-app distribution), or give -Dschema.registry.url=URL"
                + " of a running registry");
      }
      options.home = Path.of(home);
      String javaHome = System.getProperty(JAVA_HOME_PROPERTY, "").trim();
      if (!javaHome.isEmpty()) {
        options.javaHome = Path.of(javaHome);
      }
      String logDir = System.getProperty(LOG_DIR_PROPERTY, "").trim();
      if (!logDir.isEmpty()) {
        options.logDir = Path.of(logDir);
      }
      return options;
    }

    /** The unpacked distribution (searched for quarkus-run.jar up to three levels down). */
    public Options home(Path dir) {
      this.home = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** The JDK to run it with; default: searched as described on the class. */
    public Options javaHome(Path dir) {
      this.javaHome = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** Directory for the server's log file. */
    public Options logDir(Path dir) {
      this.logDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** How long start-up may take before {@link #start} fails. */
    public Options startTimeout(Duration timeout) {
      this.startTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }
  }

  private final Process process;
  private final int httpPort;
  private final String version;
  private final Path logFile;
  private final Duration startupTime;
  private final Thread shutdownHook;

  private ApicurioRegistry(
      Process process, int httpPort, String version, Path logFile, Duration startupTime) {
    this.process = process;
    this.httpPort = httpPort;
    this.version = version;
    this.logFile = logFile;
    this.startupTime = startupTime;
    this.shutdownHook = new Thread(this::stopProcess, "apicurio-registry-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts a registry and waits until it serves the Confluent API.
   *
   * @throws IllegalStateException if the distribution or a suitable JDK is missing, the process
   *     exits, or it is not ready by the deadline (the process is then killed)
   */
  public static ApicurioRegistry start(Options options) {
    Objects.requireNonNull(options.home, "options.home");
    Path runJar = findRunJar(options.home);
    Path distribution = runJar.getParent();
    int[] version = appVersion(distribution);
    String versionText = version[0] + "." + version[1] + "." + version[2];
    int neededJava = version[0] > 3 || (version[0] == 3 && version[1] >= 1) ? 21 : 17;
    Path java = javaExecutable(options.javaHome, neededJava);
    int httpPort = freePort();
    int managementPort = freePort();
    while (managementPort == httpPort) {
      managementPort = freePort();
    }
    Path logDir = options.logDir != null ? options.logDir : distribution.getParent();
    Path logFile = logDir.resolve("apicurio-registry-" + httpPort + ".log");
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(
        List.of(
            "-Xms64m",
            "-Xmx384m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Dquarkus.http.host=127.0.0.1",
            "-Dquarkus.http.port=" + httpPort,
            "-Dquarkus.management.enabled=true",
            "-Dquarkus.management.host=127.0.0.1",
            "-Dquarkus.management.port=" + managementPort,
            "-Dapicurio.storage.kind=sql",
            "-Dapicurio.storage.sql.kind=h2",
            "-Dapicurio.rules.global.compatibility=BACKWARD",
            "-Dquarkus.otel.enabled=false",
            "-jar",
            runJar.toString()));
    long t0 = System.nanoTime();
    Process process;
    try {
      Files.createDirectories(logDir);
      process =
          new ProcessBuilder(command)
              .directory(distribution.toFile())
              .redirectErrorStream(true)
              .redirectOutput(logFile.toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start Apicurio Registry: " + command, e);
    }
    log.info(
        "Starting Apicurio Registry {} with {} on 127.0.0.1:{} (management {}), log {}",
        versionText,
        java,
        httpPort,
        managementPort,
        logFile);
    try {
      awaitReady(process, httpPort, managementPort, options.startTimeout, logFile);
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
    Duration startup = Duration.ofNanos(System.nanoTime() - t0);
    log.info(
        "Apicurio Registry {} ready at http://127.0.0.1:{}{} in {} ms",
        versionText,
        httpPort,
        CCOMPAT_PATH,
        startup.toMillis());
    return new ApicurioRegistry(process, httpPort, versionText, logFile, startup);
  }

  /** The Confluent API base URL, for {@code schema.registry.url}. */
  public String confluentApiUrl() {
    return "http://127.0.0.1:" + httpPort + CCOMPAT_PATH;
  }

  /** "Apicurio Registry VERSION". */
  public String description() {
    return "Apicurio Registry " + version;
  }

  /** From process start to ready. */
  public Duration startupTime() {
    return startupTime;
  }

  /** The server's log file. */
  public Path logFile() {
    return logFile;
  }

  /** Stops the process (SIGTERM, then SIGKILL after 15 s). Idempotent. */
  @Override
  public void close() {
    stopProcess();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      log.debug("JVM already shutting down; the hook stops the registry", e);
    }
  }

  private void stopProcess() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        log.warn("Apicurio Registry did not stop within 15 s; killing it");
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static void awaitReady(
      Process process, int httpPort, int managementPort, Duration timeout, Path logFile) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    // 3.1+ serve health on the management interface; 3.0.x builds have none and serve it on HTTP.
    List<URI> readiness =
        List.of(
            URI.create("http://127.0.0.1:" + managementPort + "/health/ready"),
            URI.create("http://127.0.0.1:" + httpPort + "/health/ready"));
    URI config = URI.create("http://127.0.0.1:" + httpPort + CCOMPAT_PATH + "/config");
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastProblem = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Apicurio Registry exited with code "
                + process.exitValue()
                + "; log tail:\n"
                + tail(logFile));
      }
      try {
        boolean ready = false;
        for (URI uri : readiness) {
          try {
            HttpResponse<String> health =
                http.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            ready |= health.statusCode() == 200;
            lastProblem = "GET " + uri + " -> " + health.statusCode();
          } catch (IOException e) {
            lastProblem = "GET " + uri + ": " + e;
          }
        }
        if (ready) {
          HttpResponse<String> level =
              http.send(
                  HttpRequest.newBuilder(config)
                      .timeout(Duration.ofSeconds(5))
                      .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                      .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"BACKWARD\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (level.statusCode() == 200) {
            return;
          }
          lastProblem = "PUT " + config + " -> " + level.statusCode() + " " + level.body();
        }
      } catch (IOException e) {
        lastProblem = "PUT " + config + ": " + e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for Apicurio Registry", e);
      }
      try {
        // Polling interval of a readiness loop bounded by the deadline above.
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for Apicurio Registry", e);
      }
    }
    throw new IllegalStateException(
        "Apicurio Registry not ready within "
            + timeout.toSeconds()
            + " s ("
            + lastProblem
            + "); log tail:\n"
            + tail(logFile));
  }

  private static String tail(Path logFile) {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e + ")";
    }
  }

  /**
   * The jar to run: {@code quarkus-run.jar} of a fast-jar layout (3.1+), or {@code
   * apicurio-registry-app-<version>-runner.jar} of a legacy-jar layout (3.0.x).
   */
  private static Path findRunJar(Path home) {
    if (!Files.isDirectory(home)) {
      throw new IllegalStateException(
          "Apicurio distribution directory " + home + " does not exist");
    }
    try (Stream<Path> files = Files.walk(home, 3)) {
      return files
          .filter(
              p -> {
                String name = p.getFileName().toString();
                return name.equals("quarkus-run.jar")
                    || (name.startsWith("apicurio-registry-app-") && name.endsWith("-runner.jar"));
              })
          .min(Comparator.comparingInt(Path::getNameCount))
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "No quarkus-run.jar or apicurio-registry-app-*-runner.jar under "
                          + home
                          + ": not an Apicurio distribution"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The version from app/apicurio-registry-app-X.Y.Z.jar or apicurio-registry-app-X.Y.Z-runner.jar.
   */
  private static int[] appVersion(Path distribution) {
    try (Stream<Path> files = Files.walk(distribution, 2)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Matcher m = APP_JAR.matcher(file.getFileName().toString());
        if (m.matches()) {
          return new int[] {
            Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))
          };
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("No apicurio-registry-app-X.Y.Z jar in " + distribution);
  }

  /** The java executable of a JDK with feature version at least {@code needed}. */
  static Path javaExecutable(Path configured, int needed) {
    if (configured != null) {
      return javaIn(configured)
          .orElseThrow(() -> new IllegalStateException("No bin/java in " + configured));
    }
    if (Runtime.version().feature() >= needed) {
      return Path.of(System.getProperty("java.home"), "bin", "java");
    }
    Path jvms = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvms)) {
      try (Stream<Path> dirs = Files.list(jvms)) {
        Optional<Path> best =
            dirs.filter(d -> featureVersion(d) >= needed && javaIn(d).isPresent())
                .max(Comparator.comparingInt(ApicurioRegistry::featureVersion));
        if (best.isPresent()) {
          return javaIn(best.get()).orElseThrow();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException(
        "This Apicurio Registry needs Java "
            + needed
            + "+, the tests run on "
            + Runtime.version().feature()
            + " and no JDK "
            + needed
            + "+ is under /usr/lib/jvm: give -D"
            + JAVA_HOME_PROPERTY
            + "=<jdk>, or build with -Papicurio-java17 (Apicurio 3.0.9, runs on Java 17)");
  }

  private static Optional<Path> javaIn(Path jdk) {
    Path java = jdk.resolve("bin").resolve("java");
    return Files.isExecutable(java) ? Optional.of(java) : Optional.empty();
  }

  /** The feature version from a JDK's {@code release} file, or -1. */
  private static int featureVersion(Path jdk) {
    Path release = jdk.resolve("release");
    if (!Files.isRegularFile(release)) {
      return -1;
    }
    Properties props = new Properties();
    try (var in = Files.newBufferedReader(release, StandardCharsets.UTF_8)) {
      props.load(in);
    } catch (IOException e) {
      return -1;
    }
    String v = props.getProperty("JAVA_VERSION", "").replace("\"", "");
    Matcher m = Pattern.compile("^(?:1\\.)?(\\d+)").matcher(v);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
