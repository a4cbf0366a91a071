package dev.freshet.streams.roundtrip;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The same round trip against Apache Kafka's and Confluent's own images. Needs a Docker engine:
 * where there is none (these development machines) JUnit reports it as skipped, "disabled because
 * Docker is not available", and {@link InProcessRoundTripIT} covers the path instead.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainersRoundTripIT {

  private static final Network NETWORK = Network.newNetwork();

  @Container
  private static final KafkaContainer KAFKA =
      new KafkaContainer(DockerImageName.parse("apache/kafka:4.1.0"))
          .withNetwork(NETWORK)
          .withNetworkAliases("kafka")
          .withListener("kafka:19092");

  @Container
  private static final GenericContainer<?> REGISTRY =
      new GenericContainer<>(DockerImageName.parse("confluentinc/cp-schema-registry:7.9.0"))
          .withNetwork(NETWORK)
          .withExposedPorts(8081)
          .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
          .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
          .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
          .dependsOn(KAFKA)
          .waitingFor(Wait.forHttp("/subjects").forStatusCode(200));

  @Test
  void shouldRoundTripAvroClicksThroughAStreamsAppOnConfluentsImages() throws Exception {
    AvroClickRoundTrip.run(
        KAFKA.getBootstrapServers(),
        "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8081));
  }
}
