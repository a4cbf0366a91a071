/**
 * Implementation of the embedded registry: the registry state machine and its events, the schema
 * log behind it (a compacted Kafka topic, or memory for tests), the compatibility rules and the
 * HTTP routes. Not API.
 */
package dev.freshet.embedded.registry.internals;
