package dev.freshet.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class ClickRangeCopierTest {

  private static final TopicPartition P0 = new TopicPartition("clicks", 0);
  private static final TopicPartition P1 = new TopicPartition("clicks", 1);

  @Test
  void shouldMergeTheRangeByTimestampKeepingEachPartitionsOrder() {
    MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    MockProducer<byte[], byte[]> producer =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    consumer.schedulePollTask(
        () -> {
          add(consumer, P0, 0, 1, "a");
          add(consumer, P0, 1, 4, "b");
          add(consumer, P0, 2, 6, "c");
          add(consumer, P1, 0, 2, "before-range");
          add(consumer, P1, 1, 3, "d");
          add(consumer, P1, 2, 7, "e");
          add(consumer, P1, 3, 9, "after-range");
        });
    ClickRangeCopier.Range range =
        new ClickRangeCopier.Range(Map.of(P0, 0L, P1, 1L), Map.of(P0, 3L, P1, 3L));

    long copied = ClickRangeCopier.copy(consumer, producer, range, "clicks.v1");

    assertThat(copied).isEqualTo(5);
    assertThat(producer.history())
        .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
        .containsExactly("a", "d", "b", "c", "e");
    assertThat(producer.history()).extracting(ProducerRecord::partition).containsOnly(0);
    assertThat(producer.history()).extracting(ProducerRecord::timestamp).isSorted();
    assertThat(producer.history())
        .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
        .containsExactly("key-a", "key-d", "key-b", "key-c", "key-e");
    assertThat(range.offsets()).isEqualTo(5);
  }

  @Test
  void shouldBreakTimestampTiesByPartitionThenOffset() {
    ConsumerRecord<byte[], byte[]> a = record(P1, 5, 10, "a");
    ConsumerRecord<byte[], byte[]> b = record(P0, 9, 10, "b");
    ConsumerRecord<byte[], byte[]> c = record(P0, 8, 10, "c");
    assertThat(ClickRangeCopier.before(b, a)).isTrue();
    assertThat(ClickRangeCopier.before(c, b)).isTrue();
    assertThat(ClickRangeCopier.before(a, c)).isFalse();
  }

  @Test
  void shouldCopyNothingForAnEmptyRange() {
    MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    MockProducer<byte[], byte[]> producer =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    long copied =
        ClickRangeCopier.copy(
            consumer,
            producer,
            new ClickRangeCopier.Range(Map.of(P0, 4L), Map.of(P0, 4L)),
            "clicks.v1");
    assertThat(copied).isZero();
    assertThat(producer.history()).isEmpty();
  }

  private static void add(
      MockConsumer<byte[], byte[]> consumer,
      TopicPartition tp,
      long offset,
      long timestamp,
      String value) {
    consumer.addRecord(record(tp, offset, timestamp, value));
  }

  private static ConsumerRecord<byte[], byte[]> record(
      TopicPartition tp, long offset, long timestamp, String value) {
    return new ConsumerRecord<>(
        tp.topic(),
        tp.partition(),
        offset,
        timestamp,
        TimestampType.CREATE_TIME,
        -1,
        -1,
        ("key-" + value).getBytes(StandardCharsets.UTF_8),
        value.getBytes(StandardCharsets.UTF_8),
        new RecordHeaders(),
        Optional.empty());
  }
}
