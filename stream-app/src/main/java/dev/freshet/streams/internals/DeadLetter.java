package dev.freshet.streams.internals;

import dev.freshet.serde.DeadLetterHeaders;
import java.util.Objects;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record the stream app could not use, on its way to the dead-letter topic: the original key and
 * value bytes, why it was rejected, and where it came from. The reason travels in headers so the
 * bytes stay exactly what the producer sent.
 *
 * @param reason the machine-readable category
 * @param detail a sentence for the operator: what was wrong with this record
 * @param key the record key as received (may be null)
 * @param value the record value as received (may be null)
 * @param sourceTopic topic the record was read from, or null if unknown
 * @param sourcePartition partition, or -1
 * @param sourceOffset offset, or -1
 */
public record DeadLetter(
    DeadLetterReason reason,
    String detail,
    byte[] key,
    byte[] value,
    String sourceTopic,
    int sourcePartition,
    long sourceOffset) {

  public static final String HEADER_REASON = DeadLetterHeaders.REASON;
  public static final String HEADER_DETAIL = DeadLetterHeaders.DETAIL;
  public static final String HEADER_SOURCE_TOPIC = DeadLetterHeaders.SOURCE_TOPIC;
  public static final String HEADER_SOURCE_PARTITION = DeadLetterHeaders.SOURCE_PARTITION;
  public static final String HEADER_SOURCE_OFFSET = DeadLetterHeaders.SOURCE_OFFSET;

  public DeadLetter {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
  }

  /** The original headers plus the dead-letter headers. */
  public Headers headers(Headers original) {
    Headers h = new RecordHeaders(original == null ? new RecordHeaders() : original);
    return DeadLetterHeaders.set(
        h, reason.name(), detail, sourceTopic, sourcePartition, sourceOffset);
  }
}
