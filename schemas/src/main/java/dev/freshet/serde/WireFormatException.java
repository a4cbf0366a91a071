package dev.freshet.serde;

import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A record's bytes could not be turned into a datum. {@link #reason()} says which check failed, so
 * a stream app can route the record to a dead-letter topic with the reason in a header (see {@link
 * Reason#isRecordAtFault()}).
 */
public final class WireFormatException extends SerializationException {

  private static final long serialVersionUID = 1L;

  /** Marker for {@link #schemaId()} when the bytes did not get as far as a schema id. */
  public static final int NO_SCHEMA_ID = -1;

  /** What was wrong. */
  public enum Reason {
    /** Zero bytes (a null value is a tombstone and not an error). */
    EMPTY(true),
    /** Fewer than the 5 header bytes, or the Avro body ended early. */
    TRUNCATED(true),
    /** The first byte is not the Confluent magic byte 0: not written by a registry serializer. */
    WRONG_MAGIC_BYTE(true),
    /** The registry does not know the schema id in the header. */
    UNKNOWN_SCHEMA_ID(true),
    /**
     * The body does not decode with the writer's schema, or the writer's schema cannot be resolved
     * against the reader's, or bytes are left over after the datum.
     */
    AVRO_DECODE_FAILED(true),
    /**
     * The writer's schema could not be fetched (registry down, HTTP 5xx, refused credentials): the
     * record may be fine, so retrying later rather than dead-lettering is usually right.
     */
    REGISTRY_UNAVAILABLE(false);

    private final boolean recordAtFault;

    Reason(boolean recordAtFault) {
      this.recordAtFault = recordAtFault;
    }

    /** True when the bytes themselves are bad, so retrying cannot help. */
    public boolean isRecordAtFault() {
      return recordAtFault;
    }
  }

  private final Reason reason;
  private final String topic;
  private final int schemaId;

  /**
   * @param reason what was wrong
   * @param topic the topic the bytes came from
   * @param schemaId the id in the header, or {@link #NO_SCHEMA_ID}
   * @param detail why, for people
   * @param cause the underlying failure, may be null
   */
  public WireFormatException(
      Reason reason, String topic, int schemaId, String detail, Throwable cause) {
    super(
        Objects.requireNonNull(reason, "reason")
            + " on topic '"
            + topic
            + "'"
            + (schemaId == NO_SCHEMA_ID ? "" : " (schema id " + schemaId + ")")
            + ": "
            + detail,
        cause);
    this.reason = reason;
    this.topic = topic;
    this.schemaId = schemaId;
  }

  /** Which check failed. */
  public Reason reason() {
    return reason;
  }

  /** The topic the bytes came from (may be null when the caller gave none). */
  public String topic() {
    return topic;
  }

  /** The schema id read from the header, or {@link #NO_SCHEMA_ID}. */
  public int schemaId() {
    return schemaId;
  }
}
