package dev.freshet.testkit;

import java.util.Objects;

/**
 * A schema registry a test talks to, by its Confluent-compatible base URL (what goes into {@code
 * schema.registry.url}).
 *
 * @param url the Confluent API base URL, e.g. {@code http://127.0.0.1:PORT/apis/ccompat/v7}
 * @param description what it is, for logs and assertion messages (e.g. "Apicurio Registry 3.3.3")
 * @param external true when named by {@code -Dschema.registry.url} rather than started by the test
 */
public record SchemaRegistryEndpoint(String url, String description, boolean external) {

  /** Checks that url and description are non-null. */
  public SchemaRegistryEndpoint {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(description, "description");
  }
}
