package dev.freshet.system;

import dev.freshet.avro.ClickEvent;
import dev.freshet.avro.Recommendations;
import dev.freshet.avro.TrainingInstance;
import dev.freshet.serde.AvroSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A steady stream of clicks with known event ids, and {@code read_committed} readers that note when
 * each click's recommendation and training instance arrive and count any that arrive twice. Click
 * {@code n} is user {@code u(n % users)} clicking {@code v((7n) % 50)} at {@code t0 + 10n} ms, so
 * each user's expected history follows from the count alone.
 */
final class ClickStream implements AutoCloseable {

  private final String bootstrap;
  private final Map<String, Object> producerConfig;
  private final Map<String, Object> serde;
  private final int users;
  private final int rate;
  private final long t0;
  private final Map<String, Long> sent = new ConcurrentHashMap<>();
  private final Map<String, Integer> partitionOf = new ConcurrentHashMap<>();
  private final Map<String, Long> recommended = new ConcurrentHashMap<>();
  private final Map<String, Long> instances = new ConcurrentHashMap<>();
  private final AtomicLong duplicatedRecommendations = new AtomicLong();
  private final AtomicLong duplicatedInstances = new AtomicLong();
  private final AtomicLong count = new AtomicLong();
  private final AtomicBoolean producing = new AtomicBoolean(true);
  private final AtomicBoolean reading = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();
  private Thread producer;
  private boolean readingInstances;

  ClickStream(
      String bootstrap,
      Map<String, Object> producerConfig,
      String registryUrl,
      int users,
      int rate,
      long t0) {
    this.bootstrap = bootstrap;
    this.producerConfig = producerConfig;
    this.serde = Map.of("schema.registry.url", registryUrl);
    this.users = users;
    this.rate = rate;
    this.t0 = t0;
  }

  /** Starts reading {@code recommendations} and {@code instances} (all partitions, from 0). */
  void read(String recommendationsTopic, int recPartitions, String instancesTopic, int insts) {
    Deserializer<Recommendations> r =
        AvroSerdes.specific(Recommendations.class, serde, false).deserializer();
    Deserializer<TrainingInstance> i =
        AvroSerdes.specific(TrainingInstance.class, serde, false).deserializer();
    reader(
        recommendationsTopic,
        recPartitions,
        v -> r.deserialize(recommendationsTopic, v).getEventId(),
        recommended,
        duplicatedRecommendations);
    if (instancesTopic != null) {
      readingInstances = true;
      reader(
          instancesTopic,
          insts,
          v -> i.deserialize(instancesTopic, v).getEventId(),
          instances,
          duplicatedInstances);
    }
  }

  /** Starts sending to {@code topic} at the stream's rate until {@link #stopProducing}. */
  void produce(String topic) {
    Serializer<ClickEvent> s = AvroSerdes.specific(ClickEvent.class, serde, false).serializer();
    producer =
        start(
            "clicks",
            () -> {
              try (KafkaProducer<String, byte[]> p =
                  new KafkaProducer<>(
                      producerConfig, new StringSerializer(), new ByteArraySerializer())) {
                long start = System.nanoTime();
                for (int n = 0; producing.get(); n++) {
                  long wait = start + n * (1_000_000_000L / rate) - System.nanoTime();
                  if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // paces the producer; no test waits on it
                  }
                  String user = user(n);
                  String id = "e" + n;
                  long time = t0 + n * 10L;
                  ClickEvent c =
                      ClickEvent.newBuilder()
                          .setEventId(id)
                          .setUserId(user)
                          .setVideoId(video(n))
                          .setEventTime(Instant.ofEpochMilli(time))
                          .setProvince(null)
                          .setCity(null)
                          .setPhone(null)
                          .setCategory(null)
                          .build();
                  sent.put(id, System.nanoTime());
                  count.set(n + 1);
                  p.send(
                      new ProducerRecord<>(topic, null, time, user, s.serialize(topic, c)),
                      (md, e) -> {
                        if (md != null) {
                          partitionOf.put(id, md.partition());
                        }
                      });
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
  }

  String user(long n) {
    return "u" + n % users;
  }

  static String video(long n) {
    return "v" + (n * 7) % 50;
  }

  /** Clicks sent so far. */
  long count() {
    return count.get();
  }

  void stopProducing() throws InterruptedException {
    producing.set(false);
    producer.join(10_000);
  }

  /** True when every click sent more than {@code within} ago has its recommendation. */
  boolean caughtUpWithin(Duration within) {
    long before = System.nanoTime() - within.toNanos();
    boolean any = false;
    for (Map.Entry<String, Long> e : sent.entrySet()) {
      if (e.getValue() < before) {
        any = true;
        if (!recommended.containsKey(e.getKey())) {
          return false;
        }
      }
    }
    return any;
  }

  /** True when every click sent before {@code nanos} (System.nanoTime) has its recommendation. */
  boolean answeredBefore(long nanos) {
    for (Map.Entry<String, Long> e : sent.entrySet()) {
      if (e.getValue() < nanos && !recommended.containsKey(e.getKey())) {
        return false;
      }
    }
    return true;
  }

  /** True when every click sent has its recommendation (and instance, if read). */
  boolean allAnswered() {
    return recommended.keySet().containsAll(sent.keySet())
        && (!readingInstances || instances.keySet().containsAll(sent.keySet()));
  }

  /**
   * The longest wait (recommendation arrival - send, ns) of the clicks sent in [from, to) on {@code
   * partitions} (all when null); a click not answered yet counts until now.
   */
  long longestWait(long from, long to, Set<Integer> partitions) {
    long now = System.nanoTime();
    long max = 0;
    for (Map.Entry<String, Long> e : sent.entrySet()) {
      long at = e.getValue();
      Integer p = partitionOf.get(e.getKey());
      if (at >= from && at < to && (partitions == null || (p != null && partitions.contains(p)))) {
        max = Math.max(max, recommended.getOrDefault(e.getKey(), now) - at);
      }
    }
    return max;
  }

  Map<String, Long> sent() {
    return sent;
  }

  Map<String, Integer> partitionOf() {
    return partitionOf;
  }

  Map<String, Long> recommended() {
    return recommended;
  }

  Map<String, Long> instances() {
    return instances;
  }

  long duplicatedRecommendations() {
    return duplicatedRecommendations.get();
  }

  long duplicatedInstances() {
    return duplicatedInstances.get();
  }

  private void reader(
      String topic,
      int partitions,
      Function<byte[], String> eventId,
      Map<String, Long> arrived,
      AtomicLong duplicates) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> tps = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      tps.add(new TopicPartition(topic, p));
    }
    consumer.assign(tps);
    consumer.seekToBeginning(tps);
    start(
        topic,
        () -> {
          try (consumer) {
            while (reading.get()) {
              for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                long now = System.nanoTime();
                if (arrived.putIfAbsent(eventId.apply(r.value()), now) != null) {
                  duplicates.incrementAndGet();
                }
              }
            }
          }
        });
  }

  private interface Body {
    void run() throws InterruptedException;
  }

  private Thread start(String name, Body body) {
    Thread t =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            name);
    t.setDaemon(true);
    t.start();
    threads.add(t);
    return t;
  }

  @Override
  public void close() throws InterruptedException {
    producing.set(false);
    reading.set(false);
    for (Thread t : threads) {
      t.join(10_000);
    }
  }
}
