package dev.freshet.serde;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/**
 * The headers every Freshet dead letter carries, whichever app wrote it: a dead letter keeps the
 * original key and value bytes, and says in headers why it was rejected and where it came from.
 * Part of the wire contract: consumers of {@code *-dlq} topics read these names.
 */
public final class DeadLetterHeaders {

  /** Machine-readable category, e.g. {@code UNDESERIALIZABLE}, {@code MISSING_FIELD}. */
  public static final String REASON = "freshet.dlq.reason";

  /** A sentence for the operator: what was wrong with this record. */
  public static final String DETAIL = "freshet.dlq.detail";

  /** Topic the record was read from. */
  public static final String SOURCE_TOPIC = "freshet.dlq.source.topic";

  /** Partition it was read from (decimal). */
  public static final String SOURCE_PARTITION = "freshet.dlq.source.partition";

  /** Offset it was read from (decimal). */
  public static final String SOURCE_OFFSET = "freshet.dlq.source.offset";

  private DeadLetterHeaders() {}

  /** Replaces the dead-letter headers of {@code h} with these values (source may be null). */
  public static Headers set(
      Headers h, String reason, String detail, String sourceTopic, int partition, long offset) {
    h.remove(REASON);
    h.remove(DETAIL);
    h.add(REASON, utf8(reason));
    h.add(DETAIL, utf8(detail));
    if (sourceTopic != null) {
      h.remove(SOURCE_TOPIC);
      h.remove(SOURCE_PARTITION);
      h.remove(SOURCE_OFFSET);
      h.add(SOURCE_TOPIC, utf8(sourceTopic));
      h.add(SOURCE_PARTITION, utf8(Integer.toString(partition)));
      h.add(SOURCE_OFFSET, utf8(Long.toString(offset)));
    }
    return h;
  }

  /** The exception and its causes as one line (at most about 500 characters). */
  public static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null && sb.length() < 500; t = t.getCause()) {
      if (sb.length() > 0) {
        sb.append(": ");
      }
      sb.append(t.getClass().getSimpleName());
      if (t.getMessage() != null) {
        sb.append(' ').append(t.getMessage());
      }
    }
    return sb.toString();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
