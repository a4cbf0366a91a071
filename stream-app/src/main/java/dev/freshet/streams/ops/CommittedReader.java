package dev.freshet.streams.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** A group-less {@code read_committed} byte consumer, and reading up to given offsets. */
public final class CommittedReader {

  private CommittedReader() {}

  /**
   * A consumer of raw bytes with {@code config}'s bootstrap and client settings, {@code
   * read_committed}, no group and no commits.
   */
  public static KafkaConsumer<byte[], byte[]> open(Map<String, Object> config) {
    Map<String, Object> c = new HashMap<>(config);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Every record from {@code c}'s current positions up to {@code end} (exclusive, per partition);
   * fails when that takes longer than {@code timeout}.
   */
  public static List<ConsumerRecord<byte[], byte[]>> readTo(
      KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> end, Duration timeout) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (end.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out reading " + end.keySet());
      }
      c.poll(Duration.ofMillis(200)).forEach(out::add);
    }
    return out;
  }
}
