package dev.freshet.paramlog;

import dev.freshet.avro.ModelUpdate;
import dev.freshet.registry.RegistryException;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the {@code model-params} topic from its beginning on a thread of its own and feeds a
 * {@link SnapshotAssembler}. It uses no consumer group (every reader needs every record) and reads
 * committed records only, so aborted snapshots are never seen.
 *
 * <p>A record that cannot be read or applied is logged with its offset and counted ({@link
 * #badRecords()}); the reader keeps going, because the next snapshot overwrites what the bad one
 * would have set.
 */
public final class ParamLogReader implements Runnable, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ParamLogReader.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final TopicPartition partition;
  private final Deserializer<ModelUpdate> deserializer;
  private final SnapshotAssembler assembler;
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicLong badRecords = new AtomicLong();
  private final AtomicLong recordsRead = new AtomicLong();
  private volatile boolean closing;
  private Thread thread;

  /**
   * @param bootstrapServers the cluster
   * @param topic the parameter log topic (one partition)
   * @param deserializer reads {@link ModelUpdate} values
   * @param assembler receives the records in order
   */
  public ParamLogReader(
      String bootstrapServers,
      String topic,
      Deserializer<ModelUpdate> deserializer,
      SnapshotAssembler assembler) {
    this(bootstrapServers, Map.of(), topic, deserializer, assembler);
  }

  /**
   * @param bootstrapServers the cluster
   * @param clientProperties consumer settings applied first (security: {@code security.protocol},
   *     {@code sasl.*}, {@code ssl.*}); the reader's own keys override them
   * @param topic the parameter log topic (one partition)
   * @param deserializer reads {@link ModelUpdate} values
   * @param assembler receives the records in order
   */
  public ParamLogReader(
      String bootstrapServers,
      Map<String, ?> clientProperties,
      String topic,
      Deserializer<ModelUpdate> deserializer,
      SnapshotAssembler assembler) {
    Map<String, Object> conf = new HashMap<>(clientProperties);
    conf.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(bootstrapServers));
    conf.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    conf.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    conf.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    conf.put(ConsumerConfig.CLIENT_ID_CONFIG, "freshet-param-reader-" + topic);
    this.consumer =
        new KafkaConsumer<>(conf, new StringDeserializer(), new ByteArrayDeserializer());
    this.partition = new TopicPartition(Objects.requireNonNull(topic, "topic"), 0);
    this.deserializer = Objects.requireNonNull(deserializer, "deserializer");
    this.assembler = Objects.requireNonNull(assembler, "assembler");
  }

  /**
   * Reads the parameter log once, up to its current end, and returns the newest complete snapshot's
   * parameters (empty if none was published). For one-off readers such as recovery and rollback;
   * the stream app keeps a reader running instead.
   *
   * @throws IOException if the end is not reached within {@code timeout}
   */
  public static ServingParams readAll(
      String bootstrapServers,
      String topic,
      Deserializer<ModelUpdate> deserializer,
      Duration timeout)
      throws IOException {
    return readAll(bootstrapServers, Map.of(), topic, deserializer, timeout);
  }

  /** As {@link #readAll(String, String, Deserializer, Duration)}, with consumer settings. */
  public static ServingParams readAll(
      String bootstrapServers,
      Map<String, ?> clientProperties,
      String topic,
      Deserializer<ModelUpdate> deserializer,
      Duration timeout)
      throws IOException {
    ServingParams params = new ServingParams();
    try (ParamLogReader reader =
        new ParamLogReader(
            bootstrapServers,
            clientProperties,
            topic,
            deserializer,
            new SnapshotAssembler(params, s -> {}, null))) {
      reader.start();
      if (!reader.awaitCaughtUp(timeout)) {
        throw new IOException("timed out reading the parameter log " + topic);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted reading the parameter log " + topic, e);
    }
    return params;
  }

  /** Starts the reading thread (daemon). */
  public synchronized ParamLogReader start() {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    thread = new Thread(this, "freshet-param-reader");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /**
   * Waits until the reader has applied everything that was in the log when it started.
   *
   * @return false if that did not happen within {@code timeout}
   */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Records that could not be read or applied. */
  public long badRecords() {
    return badRecords.get();
  }

  /** Records read so far. */
  public long recordsRead() {
    return recordsRead.get();
  }

  /**
   * Deserializes {@code r}, waiting out a registry outage (0.5 s, doubling up to 10 s) instead of
   * counting the record as bad: skipping it would leave its rows out of the model until a later
   * snapshot happened to change them again.
   */
  private ModelUpdate deserialize(ConsumerRecord<String, byte[]> r) throws InterruptedException {
    long wait = 500;
    while (true) {
      try {
        return deserializer.deserialize(r.topic(), r.headers(), r.value());
      } catch (RuntimeException e) {
        Optional<RegistryException> outage = RegistryException.unavailableIn(e);
        if (outage.isEmpty() || closing) {
          throw e;
        }
        log.warn(
            "schema registry unreachable ({}) reading {}@{}; trying the record again in {} ms",
            outage.get().getMessage(),
            partition,
            r.offset(),
            wait);
        TimeUnit.MILLISECONDS.sleep(wait);
        wait = Math.min(wait * 2, 10_000);
      }
    }
  }

  @Override
  public void run() {
    try {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      if (end == 0) {
        caughtUp.countDown();
      }
      while (!closing) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          recordsRead.incrementAndGet();
          try {
            ModelUpdate value = r.value() == null ? null : deserialize(r);
            assembler.accept(r.key(), value);
          } catch (RuntimeException e) {
            badRecords.incrementAndGet();
            log.error(
                "unusable parameter record at {}@{} (key {}): {}",
                partition,
                r.offset(),
                r.key(),
                e.toString());
          }
        }
        if (caughtUp.getCount() > 0 && consumer.position(partition) >= end) {
          caughtUp.countDown();
        }
      }
    } catch (WakeupException e) {
      if (!closing) {
        throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      consumer.close();
      stopped.countDown();
    }
  }

  /** Stops the thread and waits for it (at most 10 s). */
  @Override
  public void close() {
    closing = true;
    synchronized (this) {
      if (thread == null) {
        consumer.close();
        return;
      }
    }
    consumer.wakeup();
    try {
      if (thread != null && !stopped.await(10, TimeUnit.SECONDS)) {
        log.warn("parameter reader did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
