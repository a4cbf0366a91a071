package dev.freshet.contract;

import dev.freshet.embedded.registry.EmbeddedSchemaRegistry;
import dev.freshet.testkit.KafkaBrokerExtension;
import dev.freshet.testkit.KafkaCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The registry contract against Freshet's embedded registry, storing its schemas on the shared test
 * broker (or the cluster named by {@code -Dkafka.bootstrap}) in a topic of its own.
 */
@ExtendWith(KafkaBrokerExtension.class)
class EmbeddedRegistryContractIT extends RegistryContract {

  private static EmbeddedSchemaRegistry registry;

  EmbeddedRegistryContractIT(KafkaCluster kafka) {
    super(registryOn(kafka));
  }

  private static synchronized String registryOn(KafkaCluster kafka) {
    if (registry == null) {
      registry =
          EmbeddedSchemaRegistry.start(
              new EmbeddedSchemaRegistry.Options(kafka.bootstrapServers())
                  .topic(KafkaCluster.uniqueName("_freshet_schemas")));
    }
    return registry.url();
  }

  @AfterAll
  static synchronized void stopRegistry() {
    if (registry != null) {
      registry.close();
      registry = null;
    }
  }
}
