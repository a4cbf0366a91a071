package dev.freshet.testkit;

import dev.freshet.embedded.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a test a real Kafka broker: resolves {@link KafkaCluster} parameters (constructor,
 * lifecycle and test methods).
 *
 * <p>The first test that asks starts one in-process KRaft broker for the whole test JVM, in a fresh
 * temporary directory; JUnit closes it when the JVM's tests are done. With {@code
 * -Dkafka.bootstrap=host:port} no broker is started and the tests use that cluster instead.
 *
 * <pre>{@code
 * @ExtendWith(KafkaBrokerExtension.class)
 * class ClicksIT {
 *   @Test
 *   void shouldRoundTrip(KafkaCluster kafka) { ... kafka.bootstrapServers() ... }
 * }
 * }</pre>
 */
public final class KafkaBrokerExtension implements ParameterResolver {

  /** System property naming an external cluster to use instead of the in-process broker. */
  public static final String EXTERNAL_BOOTSTRAP_PROPERTY = "kafka.bootstrap";

  private static final Logger log = LoggerFactory.getLogger(KafkaBrokerExtension.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return cluster(context);
  }

  /** The shared cluster, started on first use. */
  public static KafkaCluster cluster(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(SharedBroker.class, k -> SharedBroker.start(), SharedBroker.class)
        .cluster;
  }

  /** Holder the root store closes at the end of the test JVM. */
  static final class SharedBroker implements AutoCloseable {
    final KafkaCluster cluster;
    private final EmbeddedKafkaBroker broker;

    private SharedBroker(KafkaCluster cluster, EmbeddedKafkaBroker broker) {
      this.cluster = cluster;
      this.broker = broker;
    }

    static SharedBroker start() {
      String external = System.getProperty(EXTERNAL_BOOTSTRAP_PROPERTY, "").trim();
      if (!external.isEmpty()) {
        log.info("Using the external Kafka cluster at {}", external);
        return new SharedBroker(new KafkaCluster(external, true), null);
      }
      Path dir;
      try {
        dir = Files.createTempDirectory("freshet-kafka-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      EmbeddedKafkaBroker broker =
          EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Options().dataDir(dir));
      log.info(
          "Test broker ready at {} ({} ms)",
          broker.bootstrapServers(),
          broker.startupTime().toMillis());
      return new SharedBroker(new KafkaCluster(broker.bootstrapServers(), false), broker);
    }

    @Override
    public void close() {
      if (broker != null) {
        broker.close();
      }
    }
  }
}
