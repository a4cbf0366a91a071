package dev.freshet.cli;

import dev.freshet.cli.logging.LogSetup;
import dev.freshet.embedded.kafka.EmbeddedKafkaBroker;
import dev.freshet.embedded.registry.EmbeddedSchemaRegistry;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code freshet broker}: a local single-node Kafka (KRaft) and a Confluent-compatible schema
 * registry on 127.0.0.1, with data that survives restarts. For trying producers and consumers
 * against Freshet without installing anything.
 */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Start a local Kafka broker (KRaft) and schema registry on 127.0.0.1 and wait for Ctrl-C.",
      "Data is kept in --dir across restarts."
    })
public final class BrokerCommand implements Callable<Integer> {

  @Option(
      names = "--dir",
      defaultValue = ".freshet/broker",
      description = "Data directory (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(
      names = "--port",
      defaultValue = "9092",
      description = "Kafka port (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int port;

  @Option(
      names = "--registry-port",
      defaultValue = "8081",
      description = "Schema registry port (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int registryPort;

  @Option(names = "--create-topics", description = "Create Freshet's topics if missing.")
  boolean createTopics;

  @Option(
      names = "--partitions",
      defaultValue = "4",
      description =
          "Partitions of the per-user topics when creating them (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--verbose",
      description = "Also show the Kafka WARN lines a freshly formatted broker always logs.")
  boolean verbose;

  @Override
  public Integer call() throws InterruptedException {
    if (!verbose) {
      LogSetup.hideExpectedKafkaWarnings(LogSetup.context());
    }
    LocalCluster cluster = LocalCluster.start(dir, port, registryPort);
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  cluster.close();
                  done.countDown();
                },
                "broker-shutdown"));
    if (createTopics) {
      var created = TopicSet.create(cluster.bootstrapServers(), TopicSet.specs(partitions, -1));
      System.out.println("Created topics: " + (created.isEmpty() ? "none (all existed)" : created));
    }
    System.out.println();
    System.out.println("Kafka (KRaft)     bootstrap.servers=" + cluster.bootstrapServers());
    System.out.println("Schema registry   schema.registry.url=" + cluster.registryUrl());
    System.out.println("Data directory    " + dir.toAbsolutePath() + " (kept across restarts)");
    System.out.println();
    System.out.println("Press Ctrl-C to stop.");
    done.await();
    return 0;
  }

  /** A broker plus a registry stored on it; closing stops both. */
  public static final class LocalCluster implements AutoCloseable {
    private final EmbeddedKafkaBroker broker;
    private final EmbeddedSchemaRegistry registry;

    private LocalCluster(EmbeddedKafkaBroker broker, EmbeddedSchemaRegistry registry) {
      this.broker = broker;
      this.registry = registry;
    }

    /** Starts both; {@code dir} holds the broker's data. Ports 0 pick free ones. */
    public static LocalCluster start(Path dir, int kafkaPort, int registryPort) {
      EmbeddedKafkaBroker broker =
          EmbeddedKafkaBroker.start(
              new EmbeddedKafkaBroker.Options().dataDir(dir.toAbsolutePath()).port(kafkaPort));
      try {
        EmbeddedSchemaRegistry registry =
            EmbeddedSchemaRegistry.start(
                new EmbeddedSchemaRegistry.Options(broker.bootstrapServers()).port(registryPort));
        return new LocalCluster(broker, registry);
      } catch (RuntimeException e) {
        broker.close();
        throw e;
      }
    }

    public String bootstrapServers() {
      return broker.bootstrapServers();
    }

    public String registryUrl() {
      return registry.url();
    }

    @Override
    public void close() {
      try {
        registry.close();
      } finally {
        broker.close();
      }
    }
  }
}
