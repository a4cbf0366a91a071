package dev.freshet.registry;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * One registered version of a subject: the subject, its version number (from 1), the global schema
 * id that the Confluent wire format carries, and the schema.
 */
public record SchemaMetadata(String subject, int version, int id, Schema schema) {

  /** Checks the fields: non-null subject and schema, positive version, non-negative id. */
  public SchemaMetadata {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(schema, "schema");
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1, got " + version);
    }
    if (id < 0) {
      throw new IllegalArgumentException("id must be >= 0, got " + id);
    }
  }
}
