/**
 * Implementation of the wire-format serdes: header encoding and decoding, the serializer and
 * deserializer cores shared by the public classes, and the Avro schemas of primitive values. Not
 * API.
 */
package dev.freshet.serde.internals;
