package dev.freshet.registry;

import dev.freshet.registry.internals.InMemorySchemaRegistry;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * In-memory registries for tests, one per scope, behind {@code schema.registry.url=mock://scope}.
 *
 * <p>Every client of a scope sees the same registry, so a serializer and a deserializer configured
 * with the same URL share schemas exactly as with a real registry. The semantics are Confluent's:
 * global ids shared by identical schemas, versions per subject, BACKWARD compatibility by default
 * (checked with Avro's {@code SchemaCompatibility}), the same error codes. A scope lives until
 * {@link #dropScope} is called or the JVM ends; give each test its own scope (e.g. the test class
 * name) or drop it in {@code @AfterEach}.
 */
public final class MockSchemaRegistry {

  private static final ConcurrentMap<String, InMemorySchemaRegistry> SCOPES =
      new ConcurrentHashMap<>();

  private MockSchemaRegistry() {}

  /** The registry of {@code scope}, created empty on first use. */
  public static SchemaRegistryClient client(String scope) {
    Objects.requireNonNull(scope, "scope");
    return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistry());
  }

  /** Forgets {@code scope}'s registry; the next {@link #client} call starts an empty one. */
  public static void dropScope(String scope) {
    Objects.requireNonNull(scope, "scope");
    SCOPES.remove(scope);
  }
}
