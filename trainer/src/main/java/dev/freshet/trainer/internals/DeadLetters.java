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

  /** The dead letter of {@code r}, rejected because of {@code cause}. */
  public static ProducerRecord<String, byte[]> record(
      String topic, ConsumerRecord<String, byte[]> r, Throwable cause) {
    return new ProducerRecord<>(
        topic,
        null,
        r.timestamp(),
        r.key(),
        r.value(),
        DeadLetterHeaders.set(
            new RecordHeaders(r.headers().toArray()),
            "UNDESERIALIZABLE",
            DeadLetterHeaders.describe(cause),
            r.topic(),
            r.partition(),
            r.offset()));
  }
}
