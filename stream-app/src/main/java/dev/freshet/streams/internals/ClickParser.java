package dev.freshet.streams.internals;

import dev.freshet.avro.ClickEvent;
import dev.freshet.serde.DeadLetterHeaders;
import dev.freshet.serde.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Turns raw click records into {@link ParsedClick}s keyed by user id. Deserialization happens here,
 * not in the source node, so that bad bytes become dead letters instead of stream-thread failures.
 * Every input record produces exactly one output record.
 */
public final class ClickParser implements Processor<byte[], byte[], String, ParsedClick> {

  private final Deserializer<ClickEvent> deserializer;
  private final ClickValidator validator;
  private ProcessorContext<String, ParsedClick> context;

  public ClickParser(Deserializer<ClickEvent> deserializer, ClickValidator validator) {
    this.deserializer = Objects.requireNonNull(deserializer, "deserializer");
    this.validator = Objects.requireNonNull(validator, "validator");
  }

  @Override
  public void init(ProcessorContext<String, ParsedClick> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    Optional<RecordMetadata> meta = context.recordMetadata();
    String topic = meta.map(RecordMetadata::topic).orElse(null);
    ClickEvent click;
    try {
      if (record.value() == null) {
        reject(record, meta, DeadLetterReason.UNDESERIALIZABLE, "value is null (tombstone)");
        return;
      }
      click = deserializer.deserialize(topic, record.headers(), record.value());
    } catch (WireFormatException e) {
      if (!e.reason().isRecordAtFault()) {
        // The registry is unreachable: the bytes may be fine. Fail the task so the record is
        // retried from the committed offset instead of dead-lettering good data.
        throw e;
      }
      reject(
          record,
          meta,
          DeadLetterReason.UNDESERIALIZABLE,
          e.reason() + ": " + DeadLetterHeaders.describe(e));
      return;
    } catch (RuntimeException e) {
      reject(record, meta, DeadLetterReason.UNDESERIALIZABLE, DeadLetterHeaders.describe(e));
      return;
    }
    if (click == null) {
      reject(record, meta, DeadLetterReason.UNDESERIALIZABLE, "deserializer returned null");
      return;
    }
    Optional<ClickValidator.Rejection> rejection = validator.validate(click, record.timestamp());
    if (rejection.isPresent()) {
      reject(record, meta, rejection.get().reason(), rejection.get().detail());
      return;
    }
    String userId = click.getUserId();
    boolean keyedByUser =
        record.key() != null
            && Arrays.equals(record.key(), userId.getBytes(StandardCharsets.UTF_8));
    context.forward(
        new Record<>(
            userId,
            ParsedClick.valid(click, keyedByUser),
            click.getEventTime().toEpochMilli(),
            record.headers()));
  }

  private void reject(
      Record<byte[], byte[]> record,
      Optional<RecordMetadata> meta,
      DeadLetterReason reason,
      String detail) {
    DeadLetter dl =
        new DeadLetter(
            reason,
            detail,
            record.key(),
            record.value(),
            meta.map(RecordMetadata::topic).orElse(null),
            meta.map(RecordMetadata::partition).orElse(-1),
            meta.map(RecordMetadata::offset).orElse(-1L));
    context.forward(
        new Record<>(
            keyString(record.key()),
            ParsedClick.rejected(dl),
            record.timestamp(),
            record.headers()));
  }

  private static String keyString(byte[] key) {
    return key == null ? null : new String(key, StandardCharsets.UTF_8);
  }
}
