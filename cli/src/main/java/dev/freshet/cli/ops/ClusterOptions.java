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
      names = "--bootstrap-servers",
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
