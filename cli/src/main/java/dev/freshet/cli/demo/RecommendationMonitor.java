package dev.freshet.cli.demo;

import dev.freshet.avro.RecommendationSource;
import dev.freshet.avro.Recommendations;
import dev.freshet.avro.ScoredItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the {@code recommendations} topic back (committed records only, as any downstream consumer
 * would) on a thread of its own: keeps each user's newest list for the prequential recall and the
 * dashboard, and measures click → recommendation latency as receive time minus the click's event
 * time, which the feeder set to the moment it sent the click.
 */
final class RecommendationMonitor implements Runnable, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RecommendationMonitor.class);

  /**
   * A user's newest recommendations as received.
   *
   * @param items item ids, best first
   * @param scores their scores
   * @param source MODEL or POPULARITY
   * @param version snapshot version, -1 for popularity
   * @param eventTimeMillis the triggering click's event time
   * @param receivedAtMillis when the monitor read it
   */
  record Received(
      List<String> items,
      List<Float> scores,
      String source,
      long version,
      long eventTimeMillis,
      long receivedAtMillis) {}

  private final KafkaConsumer<String, Recommendations> consumer;
  private final String topic;
  private final LiveFigures figures;
  private final Map<String, Received> latest = new ConcurrentHashMap<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean closing;
  private Thread thread;

  RecommendationMonitor(
      String bootstrap, String topic, Deserializer<Recommendations> values, LiveFigures figures) {
    Map<String, Object> conf = new HashMap<>();
    conf.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    conf.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    conf.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    conf.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    conf.put(ConsumerConfig.CLIENT_ID_CONFIG, "freshet-demo-recommendations");
    this.consumer = new KafkaConsumer<>(conf, new StringDeserializer(), values);
    this.topic = Objects.requireNonNull(topic, "topic");
    this.figures = Objects.requireNonNull(figures, "figures");
  }

  synchronized RecommendationMonitor start() {
    thread = new Thread(this, "freshet-demo-recommendations");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /** The user's newest list, or null if none arrived yet. */
  Received latest(String userId) {
    return latest.get(userId);
  }

  @Override
  public void run() {
    try {
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        parts.add(new TopicPartition(topic, p.partition()));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      while (!closing) {
        for (ConsumerRecord<String, Recommendations> r : consumer.poll(Duration.ofMillis(100))) {
          long now = System.currentTimeMillis();
          Recommendations rec = r.value();
          if (rec == null) {
            continue;
          }
          List<String> items = new ArrayList<>(rec.getItems().size());
          List<Float> scores = new ArrayList<>(rec.getItems().size());
          for (ScoredItem s : rec.getItems()) {
            items.add(s.getVideoId().toString());
            scores.add(s.getScore());
          }
          long eventTime = rec.getEventTime().toEpochMilli();
          boolean model = rec.getSource() == RecommendationSource.MODEL;
          latest.put(
              rec.getUserId().toString(),
              new Received(
                  List.copyOf(items),
                  List.copyOf(scores),
                  rec.getSource().name(),
                  rec.getModelVersion(),
                  eventTime,
                  now));
          figures.recommendation(model, now - eventTime, now);
          figures.judged(rec.getEventId(), rec.getJudgement());
        }
      }
    } catch (WakeupException e) {
      if (!closing) {
        throw e;
      }
    } finally {
      consumer.close();
      stopped.countDown();
    }
  }

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
      if (!stopped.await(10, TimeUnit.SECONDS)) {
        log.warn("recommendation monitor did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
