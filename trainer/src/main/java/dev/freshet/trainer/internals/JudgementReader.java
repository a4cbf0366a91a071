package dev.freshet.trainer.internals;

import dev.freshet.avro.Judgement;
import dev.freshet.avro.Recommendations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the {@link RecallGuard} from the stream app's {@code recommendations} topic: every record
 * carries the triggering click's prequential judgement, which goes to the guard as (model version
 * of the judged list, hit).
 *
 * <p>A plain consumer on its own daemon thread, with no group: it assigns every partition (the
 * guard needs all users, not a share of them), reads {@code read_committed} (a judgement of a
 * stream-app transaction that was aborted and retried is counted once, after the retry commits) and
 * starts at the end — a restarted trainer counts afresh. So it needs only Read on the topic, no
 * group ACL. A record it cannot decode is counted and skipped; it is a consumer of another
 * component's output, not the place to dead-letter it.
 */
public final class JudgementReader implements Runnable, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(JudgementReader.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final Deserializer<Recommendations> deserializer;
  private final RecallGuard guard;
  private final CountDownLatch assigned = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch closeRequested = new CountDownLatch(1);
  private final AtomicLong unreadable = new AtomicLong();
  private volatile boolean closing;
  private volatile boolean failed;
  private Thread thread;

  /**
   * @param bootstrapServers the cluster
   * @param clientProperties consumer settings applied first (security); the reader's own keys
   *     override them
   * @param topic the recommendations topic
   * @param deserializer reads {@link Recommendations} values
   * @param guard receives the judgements
   */
  public JudgementReader(
      String bootstrapServers,
      Map<String, ?> clientProperties,
      String topic,
      Deserializer<Recommendations> deserializer,
      RecallGuard guard) {
    Map<String, Object> conf = new HashMap<>(clientProperties);
    conf.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(bootstrapServers));
    conf.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    conf.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    conf.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    conf.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    conf.put(ConsumerConfig.CLIENT_ID_CONFIG, "freshet-trainer-guardrail");
    this.consumer =
        new KafkaConsumer<>(conf, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.topic = Objects.requireNonNull(topic, "topic");
    this.deserializer = Objects.requireNonNull(deserializer, "deserializer");
    this.guard = Objects.requireNonNull(guard, "guard");
  }

  /** Starts the reading thread (daemon). */
  public synchronized JudgementReader start() {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    thread = new Thread(this, "freshet-trainer-guardrail");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /** Waits until the reader has assigned the topic's partitions and found their ends. */
  public boolean awaitAssigned(Duration timeout) throws InterruptedException {
    return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Records that carried no readable {@code Recommendations}. */
  public long unreadable() {
    return unreadable.get();
  }

  /** True if the reader stopped on an error (authorization, ...): the guard gets no input. */
  public boolean failed() {
    return failed;
  }

  @Override
  public void run() {
    try {
      List<TopicPartition> partitions = partitions();
      if (partitions.isEmpty()) {
        return; // closing
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      for (TopicPartition tp : partitions) {
        consumer.position(tp); // resolve the end now, so nothing produced after start is missed
      }
      assigned.countDown();
      log.info("guardrail reading judgements from {} ({} partitions)", topic, partitions.size());
      while (!closing) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          accept(r);
        }
      }
    } catch (WakeupException e) {
      if (!closing) {
        fail(e);
      }
    } catch (RuntimeException e) {
      fail(e);
    } finally {
      consumer.close();
      stopped.countDown();
    }
  }

  private void accept(ConsumerRecord<byte[], byte[]> r) {
    if (r.value() == null) {
      unreadable.incrementAndGet();
      return;
    }
    Recommendations rec;
    try {
      rec = deserializer.deserialize(r.topic(), r.headers(), r.value());
    } catch (RuntimeException e) {
      if (unreadable.getAndIncrement() == 0) {
        log.warn(
            "guardrail: unreadable record at {}-{}@{} skipped (further ones are only counted): {}",
            r.topic(),
            r.partition(),
            r.offset(),
            e.toString());
      }
      return;
    }
    Judgement j = rec.getJudgement();
    if (j != null) {
      guard.record(j.getModelVersion(), j.getHit());
    }
  }

  private List<TopicPartition> partitions() {
    boolean warned = false;
    while (!closing) {
      List<PartitionInfo> infos;
      try {
        infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
      } catch (TimeoutException e) {
        infos = null; // the cluster is not reachable yet: keep asking
      }
      if (infos != null && !infos.isEmpty()) {
        List<TopicPartition> out = new ArrayList<>();
        for (PartitionInfo p : infos) {
          out.add(new TopicPartition(topic, p.partition()));
        }
        return out;
      }
      if (!warned) {
        log.warn("guardrail: topic {} does not exist yet; waiting for it", topic);
        warned = true;
      }
      try {
        closeRequested.await(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return List.of();
      }
    }
    return List.of();
  }

  private void fail(RuntimeException e) {
    failed = true;
    log.error(
        "guardrail: stopped reading {}; no automatic rollback until the trainer restarts: {}",
        topic,
        e.toString());
  }

  /** Stops the thread and waits for it (at most 10 s). */
  @Override
  public void close() {
    closing = true;
    closeRequested.countDown();
    synchronized (this) {
      if (thread == null) {
        consumer.close();
        return;
      }
    }
    consumer.wakeup();
    try {
      if (!stopped.await(10, TimeUnit.SECONDS)) {
        log.warn("guardrail reader did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
