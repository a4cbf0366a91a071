package dev.freshet.trainer.internals;

import dev.freshet.avro.ModelContribution;
import dev.freshet.model.Contribution;
import dev.freshet.paramlog.ContributionCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the {@code model-sync} topic: the contributions of every trainer, in the topic's one
 * partition's order, committed ones only. A plain assigned consumer with no group: where to read
 * from is decided by the snapshot manifests ({@code syncTo}), not by committed offsets.
 *
 * <p>Not thread-safe: the training thread (or recovery) uses it.
 */
public final class SyncLog implements AutoCloseable {

  /**
   * One contribution read from the topic.
   *
   * @param offset its offset
   * @param header who wrote it and what it stands for
   * @param contribution its deltas
   * @param bytes the record's size on the wire
   */
  public record Entry(
      long offset, ContributionCodec.Header header, Contribution contribution, int bytes) {}

  private static final Duration CATCH_UP_POLL = Duration.ofMillis(10);

  private final KafkaConsumer<String, byte[]> consumer;
  private final TopicPartition partition;
  private final Deserializer<ModelContribution> deserializer;

  private SyncLog(
      KafkaConsumer<String, byte[]> consumer,
      TopicPartition partition,
      Deserializer<ModelContribution> deserializer) {
    this.consumer = consumer;
    this.partition = partition;
    this.deserializer = deserializer;
  }

  /**
   * Opens {@code topic}, positioned at its beginning, or returns empty if the topic does not exist
   * (then no trainer can have written a contribution: one trainer alone never needs one).
   *
   * @throws IllegalStateException if the topic has more than one partition (its order must be
   *     total)
   */
  public static Optional<SyncLog> open(
      String bootstrap,
      Map<String, Object> clientProperties,
      String topic,
      Deserializer<ModelContribution> deserializer) {
    Map<String, Object> c = consumerConfig(bootstrap, clientProperties);
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    try {
      List<PartitionInfo> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (parts == null || parts.isEmpty()) {
        consumer.close();
        return Optional.empty();
      }
      if (parts.size() != 1) {
        throw new IllegalStateException(
            "topic "
                + topic
                + " has "
                + parts.size()
                + " partitions; the trainers' contributions need exactly one (a total order)");
      }
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      return Optional.of(new SyncLog(consumer, tp, Objects.requireNonNull(deserializer)));
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
  }

  /**
   * The reader's consumer settings: the trainer's consumer settings, with the reader's own on top
   * (read committed, no group, large fetches).
   */
  static Map<String, Object> consumerConfig(
      String bootstrap, Map<String, Object> clientProperties) {
    Map<String, Object> c = new HashMap<>(clientProperties);
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 64);
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
    // The training thread polls without waiting, so bytes move only between its polls, and only as
    // many as the socket's receive buffer holds: at Kafka's 64 KiB a contribution of several MB
    // took seconds to arrive. -1 leaves the buffer to the operating system's autotuning.
    c.putIfAbsent(ConsumerConfig.RECEIVE_BUFFER_CONFIG, -1);
    // A follower asks for the committed end before each step. The broker answers a connection's
    // requests in order, so that request waits behind a fetch the broker is holding for new data:
    // up to fetch.max.wait.ms, 500 ms by default. Held fetches here are short instead.
    c.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
    c.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "freshet-trainer-sync");
    return c;
  }

  /** Reads next from {@code offset}; a negative offset means the beginning of the topic. */
  public void seek(long offset) {
    if (offset < 0) {
      consumer.seekToBeginning(List.of(partition));
    } else {
      consumer.seek(partition, offset);
    }
  }

  /**
   * What {@link #readToCommittedEnd} read.
   *
   * @param entries the contributions read, in order
   * @param complete whether the reader reached the committed end in time
   */
  public record CatchUp(List<Entry> entries, boolean complete) {}

  /**
   * Reads on to the committed end as it is now ({@link #committedEnd}), for at most {@code timeout}
   * in all: the contributions committed so far that this reader has not returned yet.
   */
  public CatchUp readToCommittedEnd(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Entry> out = new ArrayList<>();
    OptionalLong end = committedEnd(timeout);
    if (end.isEmpty()) {
      return new CatchUp(out, false); // the broker did not answer in time
    }
    while (position() < end.getAsLong()) {
      if (System.nanoTime() - deadline >= 0) {
        return new CatchUp(out, false);
      }
      out.addAll(poll(CATCH_UP_POLL));
    }
    return new CatchUp(out, true);
  }

  /**
   * The end of what is committed: the offset after the last record of a committed transaction (the
   * last stable offset, since the reader reads committed records only). Empty if the broker did not
   * answer within {@code timeout}.
   */
  public OptionalLong committedEnd(Duration timeout) {
    try {
      return OptionalLong.of(consumer.endOffsets(List.of(partition), timeout).get(partition));
    } catch (TimeoutException e) {
      return OptionalLong.empty();
    }
  }

  /** The offset of the next record to read. */
  public long position() {
    return consumer.position(partition, Duration.ofSeconds(30));
  }

  /** The committed contributions available within {@code timeout}, in order. */
  public List<Entry> poll(Duration timeout) {
    List<Entry> out = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
      out.add(decode(r));
    }
    return out;
  }

  /**
   * Every contribution at offsets {@code [from, to)}, in order; leaves the position at {@code to}.
   *
   * @throws IllegalStateException if the topic no longer holds {@code from} or the range cannot be
   *     read within {@code timeout}
   */
  public List<Entry> read(long from, long to, Duration timeout) {
    List<Entry> out = new ArrayList<>();
    if (to <= from) {
      return out;
    }
    long start = consumer.beginningOffsets(List.of(partition)).get(partition);
    if (start > from) {
      throw new IllegalStateException(
          partition + " starts at " + start + " but contributions from " + from + " are needed");
    }
    consumer.seek(partition, from);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (position() < to) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "timed out reading " + partition + " from " + from + " to " + to);
      }
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        if (r.offset() < to) {
          out.add(decode(r));
        }
      }
    }
    consumer.seek(partition, to);
    return out;
  }

  private Entry decode(ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      throw new IllegalStateException(
          "record " + partition + "@" + r.offset() + " is a tombstone, not a contribution");
    }
    ModelContribution m = deserializer.deserialize(r.topic(), r.headers(), r.value());
    return new Entry(
        r.offset(),
        ContributionCodec.header(m),
        ContributionCodec.fromAvro(m),
        r.serializedValueSize());
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
