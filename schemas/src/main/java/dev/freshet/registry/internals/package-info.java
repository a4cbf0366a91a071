/**
 * Implementation of the registry client: the HTTP transport with caching, retries and basic auth,
 * the in-memory registry behind {@code mock://} URLs and the Avro compatibility rules. Not API: use
 * {@link dev.freshet.registry.SchemaRegistryClients}.
 */
package dev.freshet.registry.internals;
