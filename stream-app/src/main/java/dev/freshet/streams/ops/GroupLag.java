package dev.freshet.streams.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * A consumer group's state, members and lag per partition, as a {@code read_committed} reader would
 * see it: the commit markers of a transactional topic take offsets but are no records, so where the
 * gap between the committed offset and the last stable offset is small (at most {@value
 * #COUNTED_GAP}) the records in it are counted by reading; above that the offset gap is the lag.
 */
public final class GroupLag {

  /** Largest offset gap whose records are counted rather than estimated. */
  public static final long COUNTED_GAP = 1000;

  /**
   * One partition of a group.
   *
   * @param committed the group's committed offset, -1 = none
   * @param end the last stable offset ({@code read_committed} end)
   * @param lag records a {@code read_committed} consumer would still get after {@code committed}
   */
  public record PartitionLag(TopicPartition partition, long committed, long end, long lag) {}

  /** A consumer group: its state, how many members run, and its lag per partition. */
  public record Group(String id, String state, int members, List<PartitionLag> partitions) {
    /** Records behind, over all partitions. */
    public long lag() {
      return partitions.stream().mapToLong(PartitionLag::lag).sum();
    }
  }

  private GroupLag() {}

  /**
   * Looks at group {@code id}: state {@code unknown} with no members and no partitions when the
   * group does not exist.
   *
   * @param consumerConfig bootstrap servers and client settings for the counting reader
   */
  public static Group of(
      Admin admin, Map<String, Object> consumerConfig, String id, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    long s = timeout.toMillis();
    ConsumerGroupDescription d;
    try {
      d =
          admin
              .describeConsumerGroups(List.of(id))
              .describedGroups()
              .get(id)
              .get(s, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return new Group(id, "unknown", 0, List.of());
      }
      throw e;
    }
    String state = d.groupState() == GroupState.UNKNOWN ? "unknown" : d.groupState().toString();
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(id)
            .partitionsToOffsetAndMetadata()
            .get(s, TimeUnit.MILLISECONDS);
    List<PartitionLag> lags = new ArrayList<>();
    if (!committed.isEmpty()) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin
              .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
              .all()
              .get(s, TimeUnit.MILLISECONDS);
      Map<TopicPartition, Long> from = new HashMap<>();
      Map<TopicPartition, Long> to = new HashMap<>();
      committed.forEach(
          (tp, om) -> {
            long start = om == null ? 0 : om.offset();
            long end = ends.get(tp).offset();
            if (end > start && end - start <= COUNTED_GAP) {
              from.put(tp, start);
              to.put(tp, end);
            }
          });
      Map<TopicPartition, Long> counted =
          from.isEmpty() ? Map.of() : count(consumerConfig, from, to, timeout);
      committed.entrySet().stream()
          .sorted(
              Comparator.comparing(
                      (Map.Entry<TopicPartition, OffsetAndMetadata> e) -> e.getKey().topic())
                  .thenComparingInt(e -> e.getKey().partition()))
          .forEach(
              e -> {
                long c = e.getValue() == null ? -1 : e.getValue().offset();
                long end = ends.get(e.getKey()).offset();
                long lag = counted.getOrDefault(e.getKey(), Math.max(0, end - Math.max(0, c)));
                lags.add(new PartitionLag(e.getKey(), c, end, lag));
              });
    }
    return new Group(id, state, d.members().size(), List.copyOf(lags));
  }

  /** Records (not markers, not aborted) from {@code from} up to {@code to}, per partition. */
  private static Map<TopicPartition, Long> count(
      Map<String, Object> config,
      Map<TopicPartition, Long> from,
      Map<TopicPartition, Long> to,
      Duration timeout) {
    Map<TopicPartition, Long> counts = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> c = CommittedReader.open(config)) {
      c.assign(from.keySet());
      from.forEach(
          (tp, offset) -> {
            c.seek(tp, offset);
            counts.put(tp, 0L);
          });
      for (ConsumerRecord<byte[], byte[]> r : CommittedReader.readTo(c, to, timeout)) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        if (r.offset() < to.get(tp)) {
          counts.merge(tp, 1L, Long::sum);
        }
      }
    }
    return counts;
  }
}
