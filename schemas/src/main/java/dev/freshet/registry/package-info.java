/**
 * A small client for the Confluent Schema Registry REST API.
 *
 * <p>Confluent's own Java client is not published on Maven Central, so Freshet carries this one. It
 * speaks the subset of the API the serdes and the operators need (register, schema by id, latest
 * version, lookup, compatibility test, compatibility configuration, subject listing and deletion)
 * with the media type {@code application/vnd.schemaregistry.v1+json}, and works against Confluent's
 * registry, Apicurio Registry's {@code /apis/ccompat/v7} endpoint and Freshet's embedded registry.
 *
 * <p>Entry points: {@link dev.freshet.registry.SchemaRegistryClients#create} builds a client from a
 * {@link dev.freshet.registry.RegistryClientConfig} (Confluent's configuration names); a {@code
 * mock://scope} URL gives the in-memory registry of {@link dev.freshet.registry.MockSchemaRegistry}
 * for tests. Failures are {@link dev.freshet.registry.RegistryException}s carrying the HTTP status
 * and Confluent's {@code error_code}. The HTTP transport lives in {@code internals}.
 */
package dev.freshet.registry;
