package dev.freshet.trainer.internals;

import dev.freshet.serde.DeadLetterHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Dead-letter records for unusable training instances: the original key and value bytes, with the
 * same {@link DeadLetterHeaders} as the stream app's dead letters.
 */
public final class DeadLetters {

  private DeadLetters() {}

  /** The dead letter of {@code r}, undeserializable because of {@code cause}. */
  public static ProducerRecord<String, byte[]> record(
      String topic, ConsumerRecord<String, byte[]> r, Throwable cause) {
    return record(topic, r, "UNDESERIALIZABLE", DeadLetterHeaders.describe(cause));
  }

  /** The dead letter of {@code r}, rejected for {@code reason} as {@code detail} explains. */
  public static ProducerRecord<String, byte[]> record(
      String topic, ConsumerRecord<String, byte[]> r, String reason, String detail) {
    return new ProducerRecord<>(
        topic,
        null,
        r.timestamp(),
        r.key(),
        r.value(),
        DeadLetterHeaders.set(
            new RecordHeaders(r.headers().toArray()),
            reason,
            detail,
            r.topic(),
            r.partition(),
            r.offset()));
  }
}
