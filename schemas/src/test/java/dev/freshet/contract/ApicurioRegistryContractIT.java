package dev.freshet.contract;

import dev.freshet.testkit.ApicurioRegistryExtension;
import dev.freshet.testkit.SchemaRegistryEndpoint;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The registry contract against a real third-party registry: Apicurio Registry started from its
 * Maven Central distribution, or the registry named by {@code -Dschema.registry.url}.
 */
@ExtendWith(ApicurioRegistryExtension.class)
class ApicurioRegistryContractIT extends RegistryContract {

  private final SchemaRegistryEndpoint registry;

  ApicurioRegistryContractIT(SchemaRegistryEndpoint registry) {
    super(registry.url());
    this.registry = registry;
  }

  /** Apicurio 3.0.x checks the global rule even after {@code PUT /config/{subject}} NONE. */
  @Override
  protected boolean honoursSubjectCompatibility() {
    return !registry.description().startsWith("Apicurio Registry 3.0.");
  }
}
