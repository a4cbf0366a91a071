/**
 * Kafka serializers, deserializers and Streams serdes for Avro in the Confluent wire format: one
 * magic byte {@code 0}, the writer schema's registry id as a 4-byte big-endian int, then the Avro
 * binary encoding of the datum.
 *
 * <ul>
 *   <li>{@link dev.freshet.serde.SpecificAvroSerde} for generated classes ({@code
 *       dev.freshet.avro});
 *   <li>{@link dev.freshet.serde.GenericAvroSerde} for {@code GenericRecord}s;
 *   <li>{@link dev.freshet.serde.PrimitiveAvroSerde} for Avro primitives (string, long, ...) as
 *       keys;
 *   <li>{@link dev.freshet.serde.KafkaAvroSerializer}/{@link
 *       dev.freshet.serde.KafkaAvroDeserializer} for any of these, as Confluent's classes of the
 *       same name.
 * </ul>
 *
 * <p>Freshet keys its topics with plain strings through Kafka's {@code Serdes.String()}, not
 * through {@code PrimitiveAvroSerde}: keys decide partitioning, and a plain UTF-8 key is what every
 * other client (console tools, REST proxies, other languages) produces for the same user id.
 *
 * <p>Settings are Confluent's ({@link dev.freshet.serde.AvroSerdeConfig}); subjects follow
 * Confluent's {@code TopicNameStrategy} ({@code <topic>-key}/{@code <topic>-value}) unless told
 * otherwise. The deserializer resolves the writer's schema (fetched by id) against the reader's
 * schema, so records written with an older or newer compatible schema read fine. Bytes that are not
 * a valid record raise {@link dev.freshet.serde.WireFormatException} with a {@link
 * dev.freshet.serde.WireFormatException.Reason}, for dead-letter routing. Serdes hold per-instance
 * state only; there are no shared static serdes.
 *
 * <p>Reading specific records extends Avro's JVM-wide class trust (Avro 1.11.4+ refuses to
 * instantiate classes named in schemas unless trusted) to Avro-generated types only; see {@code
 * internals.GeneratedClassTrust}.
 */
package dev.freshet.serde;
