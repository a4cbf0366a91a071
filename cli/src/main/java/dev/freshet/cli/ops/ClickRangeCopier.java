package dev.freshet.cli.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Copies a time range of {@code clicks} into the one-partition input topic of a replay, merging the
 * partitions in a canonical order: record timestamp, then partition, then offset (a k-way merge, so
 * each partition's own order, and with it every user's, is kept). The copy holds the original key,
 * value bytes, headers and timestamp.
 *
 * <p>Why a copy: it fixes the replay's input while the live log keeps growing (the stop condition
 * is "all of it consumed", exact), and one partition in a canonical order makes the
 * training-instance order, and so the model, a function of the log alone: the deterministic trainer
 * needs one input partition, and Kafka Streams interleaves several input partitions by timing.
 */
public final class ClickRangeCopier {

  /**
   * A range of offsets per partition: {@code [start, stop)}.
   *
   * @param start the first offset of each partition in the range
   * @param stop the first offset after the range, per partition
   */
  public record Range(Map<TopicPartition, Long> start, Map<TopicPartition, Long> stop) {
    public Range {
      start = Map.copyOf(start);
      stop = Map.copyOf(stop);
    }

    /** Offsets in the range (records plus any transaction markers among them). */
    public long offsets() {
      long n = 0;
      for (var e : start.entrySet()) {
        n += stop.get(e.getKey()) - e.getValue();
      }
      return n;
    }

    @Override
    public String toString() {
      StringBuilder out = new StringBuilder();
      for (TopicPartition tp : new TreeMap<>(partitionsByNumber(start)).values()) {
        out.append(out.length() == 0 ? "" : ", ")
            .append(tp.partition())
            .append(": ")
            .append(start.get(tp))
            .append("..")
            .append(stop.get(tp));
      }
      return out.toString();
    }

    private static Map<Integer, TopicPartition> partitionsByNumber(Map<TopicPartition, Long> m) {
      Map<Integer, TopicPartition> out = new HashMap<>();
      m.keySet().forEach(tp -> out.put(tp.partition(), tp));
      return out;
    }
  }

  private static final Duration STALL = Duration.ofMinutes(2);

  private ClickRangeCopier() {}

  /**
   * The offsets of {@code [from, to)} on {@code topic}: per partition, from the first record with a
   * timestamp at or after {@code from} ({@code offsetsForTimes}) to the first at or after {@code
   * to}, or to the current end when {@code to} is null or later than every record.
   */
  public static Range resolve(
      Consumer<byte[], byte[]> consumer, String topic, Instant from, Instant to) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
    if (infos == null || infos.isEmpty()) {
      throw new IllegalArgumentException("topic " + topic + " does not exist");
    }
    List<TopicPartition> tps = new ArrayList<>();
    infos.forEach(p -> tps.add(new TopicPartition(topic, p.partition())));
    Map<TopicPartition, Long> end = consumer.endOffsets(tps, Duration.ofSeconds(30));
    Map<TopicPartition, Long> start = offsetsFor(consumer, tps, from, end);
    Map<TopicPartition, Long> stop = to == null ? end : offsetsFor(consumer, tps, to, end);
    Map<TopicPartition, Long> fixedStop = new HashMap<>();
    for (TopicPartition tp : tps) {
      fixedStop.put(tp, Math.max(start.get(tp), stop.get(tp)));
    }
    return new Range(start, fixedStop);
  }

  private static Map<TopicPartition, Long> offsetsFor(
      Consumer<byte[], byte[]> consumer,
      List<TopicPartition> tps,
      Instant time,
      Map<TopicPartition, Long> end) {
    Map<TopicPartition, Long> query = new HashMap<>();
    tps.forEach(tp -> query.put(tp, time.toEpochMilli()));
    Map<TopicPartition, OffsetAndTimestamp> found =
        consumer.offsetsForTimes(query, Duration.ofSeconds(30));
    Map<TopicPartition, Long> out = new HashMap<>();
    for (TopicPartition tp : tps) {
      OffsetAndTimestamp o = found.get(tp);
      out.put(tp, o == null ? end.get(tp) : o.offset());
    }
    return out;
  }

  /**
   * Copies {@code range} into partition 0 of {@code target} in the canonical order and flushes.
   *
   * @return the records copied
   */
  public static long copy(
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> producer,
      Range range,
      String target) {
    Map<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> buffers = new HashMap<>();
    List<TopicPartition> active = new ArrayList<>();
    for (var e : range.start().entrySet()) {
      if (range.stop().get(e.getKey()) > e.getValue()) {
        active.add(e.getKey());
        buffers.put(e.getKey(), new ArrayDeque<>());
      }
    }
    if (active.isEmpty()) {
      return 0;
    }
    consumer.assign(active);
    active.forEach(tp -> consumer.seek(tp, range.start().get(tp)));
    long copied = 0;
    // A send that fails must fail the copy: a backfill with a hole is not the range it names.
    java.util.concurrent.atomic.AtomicReference<Exception> failure =
        new java.util.concurrent.atomic.AtomicReference<>();
    long lastProgress = System.nanoTime();
    while (true) {
      // Emit while every partition that may still have records has one buffered.
      while (true) {
        TopicPartition best = null;
        boolean blocked = false;
        for (TopicPartition tp : active) {
          ConsumerRecord<byte[], byte[]> head = buffers.get(tp).peekFirst();
          if (head == null) {
            if (consumer.position(tp) < range.stop().get(tp)) {
              blocked = true;
              break;
            }
            continue;
          }
          if (best == null || before(head, buffers.get(best).peekFirst())) {
            best = tp;
          }
        }
        if (blocked) {
          break;
        }
        if (best == null) {
          producer.flush();
          Exception e = failure.get();
          if (e != null) {
            throw new IllegalStateException(
                "copying into " + target + " failed after " + copied + " records: " + e, e);
          }
          return copied;
        }
        ConsumerRecord<byte[], byte[]> r = buffers.get(best).pollFirst();
        producer.send(
            new ProducerRecord<>(target, 0, r.timestamp(), r.key(), r.value(), r.headers()),
            (metadata, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              }
            });
        copied++;
      }
      List<TopicPartition> wanted = new ArrayList<>();
      for (TopicPartition tp : active) {
        if (buffers.get(tp).isEmpty() && consumer.position(tp) < range.stop().get(tp)) {
          wanted.add(tp);
        }
      }
      consumer.pause(active);
      consumer.resume(wanted);
      var records = consumer.poll(Duration.ofMillis(200));
      for (ConsumerRecord<byte[], byte[]> r : records) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        if (r.offset() < range.stop().get(tp)) {
          buffers.get(tp).addLast(r);
        }
      }
      if (!records.isEmpty()) {
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
        throw new IllegalStateException(
            "no progress reading "
                + wanted
                + " for "
                + TimeUnit.NANOSECONDS.toSeconds(STALL.toNanos())
                + " s (range "
                + range
                + ")");
      }
    }
  }

  /** The canonical order: timestamp, then partition, then offset. */
  static boolean before(ConsumerRecord<?, ?> a, ConsumerRecord<?, ?> b) {
    if (a.timestamp() != b.timestamp()) {
      return a.timestamp() < b.timestamp();
    }
    if (a.partition() != b.partition()) {
      return a.partition() < b.partition();
    }
    return a.offset() < b.offset();
  }
}
