package dev.freshet.bench.pipeline;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a topic holds, read to its end with {@code read_committed}: records, tombstones, key and
 * value bytes, and the keys still live with the bytes of each one's newest record (what a compacted
 * topic keeps).
 *
 * @param records every record, tombstones included
 * @param tombstones records with a null value
 * @param keyBytes bytes of every record's key
 * @param valueBytes bytes of every non-null value
 * @param liveKeys keys whose newest record is not a tombstone
 * @param newestBytes key and value bytes of each live key's newest record
 */
record TopicBytes(
    long records,
    long tombstones,
    long keyBytes,
    long valueBytes,
    long liveKeys,
    long newestBytes) {

  /** Mean bytes of a non-null value; 0 when there is none. */
  double meanValueBytes() {
    long values = records - tombstones;
    return values == 0 ? 0 : valueBytes / (double) values;
  }

  /** Mean bytes of a key; 0 for an empty topic. */
  double meanKeyBytes() {
    return records == 0 ? 0 : keyBytes / (double) records;
  }

  /** The partitions of {@code topic} (none if it does not exist). */
  static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
    return consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition()))
        .toList();
  }

  static TopicBytes read(BenchCluster cluster, String topic) {
    return read(cluster, topic, -1);
  }

  /**
   * What {@code topic} holds from its first record stamped at or after {@code fromMs} on (all of it
   * for a negative {@code fromMs}); the live keys are those of that part only.
   */
  static TopicBytes read(BenchCluster cluster, String topic, long fromMs) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, Integer> newest = new HashMap<>();
    long records = 0;
    long tombstones = 0;
    long keyBytes = 0;
    long valueBytes = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = partitions(consumer, topic);
      if (parts.isEmpty()) {
        return new TopicBytes(0, 0, 0, 0, 0, 0);
      }
      consumer.assign(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      if (fromMs < 0) {
        consumer.seekToBeginning(parts);
      } else {
        Map<TopicPartition, Long> at = new HashMap<>();
        parts.forEach(tp -> at.put(tp, fromMs));
        consumer
            .offsetsForTimes(at)
            .forEach((tp, o) -> consumer.seek(tp, o == null ? end.get(tp) : o.offset()));
      }
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("timed out reading " + topic);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          int k = r.key() == null ? 0 : r.key().length;
          records++;
          keyBytes += k;
          String key = r.partition() + ":" + Arrays.toString(r.key());
          if (r.value() == null) {
            tombstones++;
            newest.remove(key);
          } else {
            valueBytes += r.value().length;
            newest.put(key, k + r.value().length);
          }
        }
      }
    }
    long live = newest.values().stream().mapToLong(Integer::longValue).sum();
    return new TopicBytes(records, tombstones, keyBytes, valueBytes, newest.size(), live);
  }
}
