package dev.freshet.bench.pipeline;

import dev.freshet.avro.ClickedItem;
import dev.freshet.avro.SnapshotManifest;
import dev.freshet.avro.TrainingInstance;
import dev.freshet.serde.AvroClassTrust;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.trainer.OnlineTrainer;
import dev.freshet.trainer.TrainerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The trainer with its default model (ModelConfig.builder()) on the in-process broker: sustained
 * training instances/s from a preloaded topic, then the freshness lag at half that rate — from an
 * instance's send to the committed snapshot (item vectors, rows and manifest) that includes it.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.freshet.bench.pipeline.TrainerHarness \
 *     instances=20000 items=20000 window=20 batch=256 latencySeconds=30
 * </pre>
 */
public final class TrainerHarness {

  private TrainerHarness() {}

  public static void main(String[] args) throws Exception {
    AvroClassTrust.install();
    Map<String, String> a = Args.parse(args);
    int n = Args.intArg(a, "instances", 20_000);
    int items = Args.intArg(a, "items", 20_000);
    int window = Args.intArg(a, "window", 20);
    int batch = Args.intArg(a, "batch", 256);
    int seconds = Args.intArg(a, "latencySeconds", 30);
    // overlap=false: the training thread waits for each publication (publish.overlap; default on)
    System.out.printf(
        "settings: instances=%d items=%d window=%d batch=%d default model, featAppearLimit=1, cores=%d, OMP_NUM_THREADS=%s%n",
        n,
        items,
        window,
        batch,
        Runtime.getRuntime().availableProcessors(),
        System.getenv("OMP_NUM_THREADS"));
    try (BenchCluster cluster = BenchCluster.start("inline")) {
      cluster.topic("training-instances", 1, false);
      cluster.topic("training-instances-dlq", 1, false);
      cluster.topic("model-params", 1, true);
      cluster.topic("item-vectors", 2, true);
      cluster.topic("snapshots", 1, true);
      Map<String, Object> serde = Map.of("schema.registry.url", cluster.registryUrl());
      Serializer<TrainingInstance> s =
          AvroSerdes.specific(TrainingInstance.class, serde, false).serializer();
      Random rnd = new Random(11);
      Map<String, Object> p = new HashMap<>();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
      p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
        for (int i = 0; i < n; i++) {
          TrainingInstance t = instance(rnd, i, items, window, System.currentTimeMillis());
          producer.send(
              new ProducerRecord<>(
                  "training-instances", t.getUserId(), s.serialize("training-instances", t)));
        }
      }

      Map<String, Object> cfg = new HashMap<>();
      cfg.put(TrainerConfig.BOOTSTRAP_SERVERS, cluster.bootstrap());
      cfg.put(TrainerConfig.SCHEMA_REGISTRY_URL, cluster.registryUrl());
      cfg.put(TrainerConfig.BATCH_SIZE, Integer.toString(batch));
      cfg.put(TrainerConfig.CHECKPOINT_DIR, cluster.newDir("trainer-bench").toString());
      cfg.put("model.featAppearLimit", "1");
      cfg.put("model.maxWindow", Integer.toString(window));
      cfg.put(TrainerConfig.PUBLISH_OVERLAP, a.getOrDefault("overlap", "true"));
      // trainer.KEY=VALUE: any trainer setting, Kafka client ones included (e.g.
      // trainer.compression.type=none)
      Map<String, String> overrides = Args.withPrefix(a, "trainer.");
      cfg.putAll(overrides);
      System.out.println("trainer overrides: " + overrides);
      ExecutorService exec = Executors.newSingleThreadExecutor();
      try (OnlineTrainer trainer = new OnlineTrainer(new TrainerConfig(cfg));
          KafkaConsumer<String, byte[]> manifests = manifestConsumer(cluster)) {
        exec.submit(trainer::run);
        if (!trainer.awaitStarted(Duration.ofMinutes(2))) {
          throw new IllegalStateException("trainer did not start");
        }
        long t0 = System.nanoTime();
        Deserializer<SnapshotManifest> md =
            AvroSerdes.specific(SnapshotManifest.class, serde, false).deserializer();
        long applied = 0;
        while (applied < n) {
          for (ConsumerRecord<String, byte[]> r : manifests.poll(Duration.ofMillis(100))) {
            applied =
                Math.max(applied, md.deserialize("snapshots", r.value()).getInstancesApplied());
          }
          if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(30)) {
            throw new IllegalStateException("only " + applied + " of " + n + " applied");
          }
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        double throughput = n / elapsed;
        Map<String, Double> m = trainer.metrics().snapshot();
        double stepSeconds = m.get("freshet_trainer_train_seconds_total");
        double stepRate = m.get("freshet_trainer_instances_total") / stepSeconds;
        System.out.printf(
            "throughput: %.0f instances/s end to end (%d instances, batch %d, %.1f s); training"
                + " step alone %.0f instances/s (%.1f s of steps); ratio %.2f; training thread"
                + " blocked by publishing %.1f s, commits %.1f s (on the publishing thread)%n",
            throughput,
            n,
            batch,
            elapsed,
            stepRate,
            stepSeconds,
            throughput / stepRate,
            m.get("freshet_trainer_publish_blocked_seconds_total"),
            m.get("freshet_trainer_publish_commit_seconds_total"));

        double rate = throughput / 2;
        AtomicLongArray sentAt = new AtomicLongArray((int) (rate * (seconds + 10)) + 1000);
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread feeder =
            new Thread(
                () -> {
                  Random r2 = new Random(12);
                  try (KafkaProducer<String, byte[]> producer =
                      new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
                    long start = System.nanoTime();
                    int sent = 0;
                    while (producing.get() && sent < sentAt.length()) {
                      long due = start + (long) (sent * 1e9 / rate);
                      long now = System.nanoTime();
                      if (now < due) {
                        TimeUnit.NANOSECONDS.sleep(Math.min(due - now, 1_000_000));
                        continue;
                      }
                      sentAt.set(sent, System.currentTimeMillis());
                      TrainingInstance t =
                          instance(r2, n + sent, items, window, System.currentTimeMillis());
                      producer.send(
                          new ProducerRecord<>(
                              "training-instances",
                              t.getUserId(),
                              s.serialize("training-instances", t)));
                      sent++;
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "freshness-feeder");
        feeder.start();
        Histogram lag = new Histogram(TimeUnit.MINUTES.toMillis(10), 3);
        long covered = n;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
          for (ConsumerRecord<String, byte[]> r : manifests.poll(Duration.ofMillis(20))) {
            long visible = System.currentTimeMillis();
            long upTo = md.deserialize("snapshots", r.value()).getInstancesApplied();
            for (long k = covered; k < upTo; k++) {
              long sent = sentAt.get((int) (k - n));
              if (sent > 0 && System.nanoTime() > warm) {
                lag.recordValue(Math.max(0, visible - sent));
              }
            }
            covered = Math.max(covered, upTo);
          }
        }
        producing.set(false);
        feeder.join();
        System.out.printf(
            "freshness at %.0f instances/s (half load): instance sent -> snapshot visible p50=%d ms p99=%d ms max=%d ms (n=%d)%n",
            rate,
            lag.getValueAtPercentile(50),
            lag.getValueAtPercentile(99),
            lag.getMaxValue(),
            lag.getTotalCount());
        System.out.println("trainer metrics: " + trainer.metrics().snapshot());
      } finally {
        exec.shutdownNow();
      }
    }
  }

  private static KafkaConsumer<String, byte[]> manifestConsumer(BenchCluster cluster) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-manifests");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of("snapshots"));
    return consumer;
  }

  static TrainingInstance instance(Random rnd, int i, int items, int window, long now) {
    List<ClickedItem> history = new ArrayList<>(window);
    int len = rnd.nextInt(window + 1);
    for (int j = 0; j < len; j++) {
      history.add(item(rnd, items, now));
    }
    ClickedItem target = item(rnd, items, now);
    return TrainingInstance.newBuilder()
        .setEventId("i" + i)
        .setUserId("u" + rnd.nextInt(50_000))
        .setProvince("p" + rnd.nextInt(30))
        .setCity("c" + rnd.nextInt(300))
        .setPhone("ph" + rnd.nextInt(20))
        .setHistory(history)
        .setTarget(target)
        .setEventTime(Instant.ofEpochMilli(now))
        .build();
  }

  private static ClickedItem item(Random rnd, int items, long now) {
    int v = (int) Math.min(items - 1, Math.abs(rnd.nextGaussian()) * items / 4);
    return ClickedItem.newBuilder()
        .setVideoId("v" + v)
        .setCategory("c" + v % 50)
        .setTags(List.of("t" + v % 200, "t" + v % 37))
        .setEventTime(Instant.ofEpochMilli(now))
        .build();
  }
}
