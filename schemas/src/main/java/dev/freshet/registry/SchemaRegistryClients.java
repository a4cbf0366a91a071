package dev.freshet.registry;

import dev.freshet.registry.internals.HttpSchemaRegistryClient;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/** Builds {@link SchemaRegistryClient}s from configuration. */
public final class SchemaRegistryClients {

  private SchemaRegistryClients() {}

  /**
   * A client for the configured registry: the shared in-memory registry of the scope for a {@code
   * mock://scope} URL, an HTTP client with caching, retries and basic auth otherwise. The caller
   * closes it.
   *
   * @throws ConfigException if no URL is configured
   */
  public static SchemaRegistryClient create(RegistryClientConfig config) {
    if (config.urls().isEmpty()) {
      throw new ConfigException(
          RegistryClientConfig.SCHEMA_REGISTRY_URL, "", "a schema registry URL is required");
    }
    return config
        .mockScope()
        .<SchemaRegistryClient>map(MockSchemaRegistry::client)
        .orElseGet(() -> new HttpSchemaRegistryClient(config));
  }

  /** {@link #create(RegistryClientConfig)} from a raw configuration map. */
  public static SchemaRegistryClient create(Map<String, ?> config) {
    return create(new RegistryClientConfig(config));
  }

  /** A client for one or more comma-separated URLs with default settings. */
  public static SchemaRegistryClient forUrl(String urls) {
    return create(Map.of(RegistryClientConfig.SCHEMA_REGISTRY_URL, urls));
  }
}
