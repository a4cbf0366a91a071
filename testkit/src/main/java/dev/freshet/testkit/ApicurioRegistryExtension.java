package dev.freshet.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a test a real, third-party schema registry that speaks Confluent's REST API: resolves
 * {@link SchemaRegistryEndpoint} parameters (constructor, lifecycle and test methods).
 *
 * <p>The first test that asks starts one Apicurio Registry process ({@link ApicurioRegistry}) for
 * the whole test JVM: in-memory storage, bound to 127.0.0.1, global compatibility BACKWARD; JUnit
 * stops it when the JVM's tests are done (and a shutdown hook does if the JVM ends otherwise). The
 * distribution comes from Maven Central through the build: failsafe passes its unpacked directory
 * as {@code -Dapicurio.home}. With {@code -Dschema.registry.url=URL} nothing is started and the
 * tests use that registry instead.
 *
 * <pre>{@code
 * @ExtendWith(ApicurioRegistryExtension.class)
 * class RegistryIT {
 *   RegistryIT(SchemaRegistryEndpoint registry) { ... registry.url() ... }
 * }
 * }</pre>
 */
public final class ApicurioRegistryExtension implements ParameterResolver {

  /** System property naming an external registry (Confluent API base URL) to use instead. */
  public static final String EXTERNAL_URL_PROPERTY = "schema.registry.url";

  private static final Logger log = LoggerFactory.getLogger(ApicurioRegistryExtension.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ApicurioRegistryExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == SchemaRegistryEndpoint.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return endpoint(context);
  }

  /** The shared registry, started on first use. */
  public static SchemaRegistryEndpoint endpoint(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(Shared.class, k -> Shared.start(), Shared.class)
        .endpoint;
  }

  /** Holder the root store closes at the end of the test JVM. */
  static final class Shared implements AutoCloseable {
    final SchemaRegistryEndpoint endpoint;
    private final ApicurioRegistry registry;

    private Shared(SchemaRegistryEndpoint endpoint, ApicurioRegistry registry) {
      this.endpoint = endpoint;
      this.registry = registry;
    }

    static Shared start() {
      String external = System.getProperty(EXTERNAL_URL_PROPERTY, "").trim();
      if (!external.isEmpty()) {
        log.info("Using the external schema registry at {}", external);
        return new Shared(new SchemaRegistryEndpoint(external, "external registry", true), null);
      }
      ApicurioRegistry registry =
          ApicurioRegistry.start(ApicurioRegistry.Options.fromSystemProperties());
      return new Shared(
          new SchemaRegistryEndpoint(registry.confluentApiUrl(), registry.description(), false),
          registry);
    }

    @Override
    public void close() {
      if (registry != null) {
        registry.close();
      }
    }
  }
}
