package dev.freshet.streams.internals;

import java.nio.charset.StandardCharsets;
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

  public static final String HEADER_REASON = "freshet.dlq.reason";
  public static final String HEADER_DETAIL = "freshet.dlq.detail";
  public static final String HEADER_SOURCE_TOPIC = "freshet.dlq.source.topic";
  public static final String HEADER_SOURCE_PARTITION = "freshet.dlq.source.partition";
  public static final String HEADER_SOURCE_OFFSET = "freshet.dlq.source.offset";

  public DeadLetter {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
  }

  /** The original headers plus the dead-letter headers. */
  public Headers headers(Headers original) {
    Headers h = new RecordHeaders(original == null ? new RecordHeaders() : original);
    h.remove(HEADER_REASON);
    h.remove(HEADER_DETAIL);
    h.add(HEADER_REASON, utf8(reason.name()));
    h.add(HEADER_DETAIL, utf8(detail));
    if (sourceTopic != null) {
      h.remove(HEADER_SOURCE_TOPIC);
      h.remove(HEADER_SOURCE_PARTITION);
      h.remove(HEADER_SOURCE_OFFSET);
      h.add(HEADER_SOURCE_TOPIC, utf8(sourceTopic));
      h.add(HEADER_SOURCE_PARTITION, utf8(Integer.toString(sourcePartition)));
      h.add(HEADER_SOURCE_OFFSET, utf8(Long.toString(sourceOffset)));
    }
    return h;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
