package dev.freshet.contract;

import dev.freshet.registry.MockSchemaRegistry;
import org.junit.jupiter.api.AfterAll;

/** The registry contract against the in-memory {@code mock://} registry. */
class MockRegistryContractTest extends RegistryContract {

  private static final String SCOPE = "contract";

  MockRegistryContractTest() {
    super("mock://" + SCOPE);
  }

  @AfterAll
  static void dropScope() {
    MockSchemaRegistry.dropScope(SCOPE);
  }
}
