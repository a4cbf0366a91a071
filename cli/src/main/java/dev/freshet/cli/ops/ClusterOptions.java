package dev.freshet.cli.ops;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How a tool reaches the cluster: bootstrap servers and extra client properties (security, ...).
 */
public final class ClusterOptions {

  @Option(
      names = {"--bootstrap-servers", "--bootstrap"},
      required = true,
      paramLabel = "HOST:PORT[,HOST:PORT]",
      description = "Kafka cluster to connect to.")
  String bootstrapServers;

  @Option(
      names = {"-X", "--client-property"},
      paramLabel = "KEY=VALUE",
      description =
          "Extra Kafka client property for every client the tool creates (e.g."
              + " security.protocol=SASL_SSL); repeatable.")
  Map<String, String> clientProperties = new LinkedHashMap<>();

  @Option(
      names = {"-R", "--registry-property"},
      paramLabel = "KEY=VALUE",
      description =
          "Extra schema-registry client property, Confluent's names (e.g."
              + " basic.auth.credentials.source=USER_INFO, basic.auth.user.info=user:password,"
              + " schema.registry.ssl.truststore.location=FILE); repeatable.")
  Map<String, String> registryProperties = new LinkedHashMap<>();

  /** The serdes' configuration: {@code url} as {@code schema.registry.url} plus the extras. */
  public Map<String, Object> serdeConfig(String url) {
    Map<String, Object> c = new HashMap<>(registryProperties);
    c.put("schema.registry.url", url);
    return c;
  }

  /** A client configuration: the bootstrap servers, the extra properties, then {@code specific}. */
  public Map<String, Object> clientConfig(Map<String, Object> specific) {
    Map<String, Object> c = new HashMap<>(clientProperties);
    c.put("bootstrap.servers", bootstrapServers);
    c.putAll(specific);
    return c;
  }

  /** The bootstrap servers as given. */
  public String bootstrapServers() {
    return bootstrapServers;
  }
}
