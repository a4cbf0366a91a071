package dev.freshet.trainer.internals;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Dead-letter records for unusable training instances: the original key and value bytes, with the
 * same headers as the stream app's dead letters ({@code freshet.dlq.*}).
 */
public final class DeadLetters {

  public static final String HEADER_REASON = "freshet.dlq.reason";
  public static final String HEADER_DETAIL = "freshet.dlq.detail";
  public static final String HEADER_SOURCE_TOPIC = "freshet.dlq.source.topic";
  public static final String HEADER_SOURCE_PARTITION = "freshet.dlq.source.partition";
  public static final String HEADER_SOURCE_OFFSET = "freshet.dlq.source.offset";

  private DeadLetters() {}

  /** The dead letter of {@code r}, rejected because of {@code cause}. */
  public static ProducerRecord<String, byte[]> record(
      String topic, ConsumerRecord<String, byte[]> r, Throwable cause) {
    Headers h = new RecordHeaders(r.headers().toArray());
    h.add(HEADER_REASON, utf8("UNDESERIALIZABLE"));
    h.add(HEADER_DETAIL, utf8(describe(cause)));
    h.add(HEADER_SOURCE_TOPIC, utf8(r.topic()));
    h.add(HEADER_SOURCE_PARTITION, utf8(Integer.toString(r.partition())));
    h.add(HEADER_SOURCE_OFFSET, utf8(Long.toString(r.offset())));
    return new ProducerRecord<>(topic, null, r.timestamp(), r.key(), r.value(), h);
  }

  private static String describe(Throwable e) {
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
