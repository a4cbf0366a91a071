/**
 * An in-process schema registry speaking the subset of Confluent's Schema Registry REST API that
 * Freshet's client uses, for the one-command demo and the tests.
 *
 * <p>{@link dev.freshet.embedded.registry.EmbeddedSchemaRegistry} serves HTTP on 127.0.0.1 with the
 * JDK's {@code com.sun.net.httpserver} and keeps every registration and configuration change as a
 * record in a compacted Kafka topic ({@code _freshet_schemas} by default), so schemas and their ids
 * survive restarts: on start the registry reads the topic to its end and replays it. Compatibility
 * is checked with Avro's {@code SchemaCompatibility}, BACKWARD by default, as in Confluent's
 * registry. One registry process writes a topic at a time (single writer); it is not a replacement
 * for a replicated production registry.
 */
package dev.freshet.embedded.registry;
