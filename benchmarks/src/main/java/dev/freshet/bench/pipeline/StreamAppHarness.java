package dev.freshet.bench.pipeline;

import dev.freshet.avro.ClickEvent;
import dev.freshet.avro.ClickedItem;
import dev.freshet.avro.ModelUpdate;
import dev.freshet.avro.Recommendations;
import dev.freshet.avro.SnapshotManifest;
import dev.freshet.bench.retrieval.ItemVectorGenerator;
import dev.freshet.model.CandidateModel;
import dev.freshet.model.ModelConfig;
import dev.freshet.model.Table;
import dev.freshet.model.UserContext;
import dev.freshet.paramlog.InstanceConverter;
import dev.freshet.paramlog.ModelConfigCodec;
import dev.freshet.paramlog.ParamKeys;
import dev.freshet.paramlog.ParamRecords;
import dev.freshet.paramlog.SnapshotDeltas;
import dev.freshet.serde.AvroClassTrust;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.streams.FreshetTopology;
import dev.freshet.streams.StreamApp;
import dev.freshet.streams.StreamAppConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Sustained clicks/s through the full topology (with a model of the default preset and {@code
 * items} items in the index) next to a pass-through Streams app (source → sink, same Avro serdes)
 * on the same broker in the same run; then click → recommendation latency at half the measured
 * rate.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.freshet.bench.pipeline.StreamAppHarness \
 *     items=100000 clicks=60000 users=20000 partitions=2 latencySeconds=30 [depth=20] \
 *     [depth=0 warmup=180000] \
 *     [guarantee=at_least_once] [streams.num.stream.threads=2] [app.index.ef.search=64] \
 *     [latencyRate=500] [vectors=gaussian|structured|tower|none] [broker=inline|child] \
 *     [producerLingerMs=0] [republishMs=1000] [app.tower.cache.items=0]
 * </pre>
 *
 * <p>Each throughput run first sends {@code depth} clicks of each of the {@code users} measured
 * users (default: the full app's history window, {@code history.size}) through its app and waits
 * for their outputs, unmeasured. So the measured clicks meet full histories, as the clicks of a
 * system that has run for a while do: a user's history is read, extended, written and run through
 * the tower at its full length, and every record that carries it is as large as it gets. Until
 * 2026-12-07 the measured users had no earlier clicks (two clicks of history on average at 60,000
 * clicks over 20,000 users) while the latency run's had up to a full window, so half the measured
 * maximum was not half of what the latency run could sustain. With {@code depth=0} the warm-up is
 * instead {@code warmup} clicks of other users (default: three times {@code clicks}), as before.
 * The fill is also the JIT's warm-up, so keep {@code users × depth} at three times {@code clicks}
 * or more (400,000 against 180,000 by default).
 *
 * <p>Either warm-up also keeps every app from being measured while its code is still compiled. The
 * broker shares this JVM, and its code for the full topology's traffic (transactions over five
 * outputs) is compiled while that traffic first runs: after a warm-up of one times {@code clicks}
 * the compilers still used 3.6–5.4 s of CPU in the full topology's 10–12 measured seconds, mostly
 * on broker and client code; after three times, 0.7–1.3 s. Each run prints the CPU of its measured
 * span by kind of thread and its busiest threads.
 *
 * <p>{@code latencySeconds=0} skips the latency run. The latency run prints, besides the end-to-end
 * percentiles, its two legs (sent → computed, computed → visible to a read_committed consumer) and
 * the worst latency of every second, so a stall shows up as a run of bad seconds. {@code
 * broker=child} runs the broker and registry in a JVM of their own ({@link BenchCluster}).
 *
 * <p>The latency run first drains the same depth's clicks of its users (with {@code depth=0} and
 * {@code latencyRate}, {@code clicks} clicks). {@code latencyRate=R} skips both throughput runs and
 * measures latency at R clicks/s, after that burst, then {@code steadyWarmupSeconds} (default 5) of
 * the steady load before it measures. {@code vectors=none} publishes no model, so the full app
 * serves its popularity fallback: the topology's Kafka and state cost without the model's.
 *
 * <p>{@code republishMs=N} sends the model's dense tensors again as a new version every N ms, as a
 * live trainer's snapshots would ({@link #republisher}), so the full app replaces its tower (and
 * the tower's cache of input rows) at that cadence; without it the model is published once.
 *
 * <p>{@code streams.}-prefixed arguments are Kafka Streams settings applied to both apps, so the
 * comparison stays like for like; {@code app.}-prefixed ones are Freshet settings of the full app.
 */
public final class StreamAppHarness {

  /** {@code streams.X=V} arguments: Kafka Streams setting X for both apps (e.g. threads). */
  private static final String STREAMS_PREFIX = "streams.";

  /** {@code app.X=V} arguments: Freshet setting X for the full app (e.g. index.ef.search). */
  private static final String APP_PREFIX = "app.";

  private static final Map<String, String> STREAMS_OVERRIDES = new TreeMap<>();
  private static final Map<String, String> APP_OVERRIDES = new TreeMap<>();

  /**
   * {@code linger.ms} of the latency run's producer ({@code producerLingerMs}, default 0: every
   * click is sent on its own, as by many independent producers). Each send is a produce request the
   * broker on the same two cores serves; a batching producer sends fewer.
   */
  private static int latencyProducerLingerMs;

  private StreamAppHarness() {}

  public static void main(String[] args) throws Exception {
    AvroClassTrust.install();
    Map<String, String> a = Args.parse(args);
    int items = Args.intArg(a, "items", 100_000);
    int clicks = Args.intArg(a, "clicks", 60_000);
    int warmupClicks = Args.intArg(a, "warmup", 3 * clicks);
    STREAMS_OVERRIDES.putAll(Args.withPrefix(a, STREAMS_PREFIX));
    APP_OVERRIDES.putAll(Args.withPrefix(a, APP_PREFIX));
    // Clicks of every measured user before the measured load: by default a full history window.
    int depth = Args.intArg(a, "depth", fullAppHistorySize());
    // Seconds of the latency run's steady load before it measures (after the burst, if any).
    int steadyWarmup = Args.intArg(a, "steadyWarmupSeconds", 5);
    latencyProducerLingerMs = Args.intArg(a, "producerLingerMs", 0);
    int users = Args.intArg(a, "users", 20_000);
    int partitions = Args.intArg(a, "partitions", 2);
    int latencySeconds = Args.intArg(a, "latencySeconds", 30);
    String guarantee = a.getOrDefault("guarantee", StreamsConfig.EXACTLY_ONCE_V2);
    String brokerMode = a.getOrDefault("broker", "inline");
    System.out.printf(
        "settings: items=%d clicks=%d depth=%d warmup=%s users=%d partitions=%d guarantee=%s"
            + " broker=%s cores=%d streams (both apps)=%s freshet (full app)=%s broker=%s%n",
        items,
        clicks,
        depth,
        depth > 0 ? String.format("%d (the depth's fill)", users * depth) : warmupClicks,
        users,
        partitions,
        guarantee,
        brokerMode,
        Runtime.getRuntime().availableProcessors(),
        STREAMS_OVERRIDES,
        APP_OVERRIDES,
        BenchCluster.brokerOverrides());
    System.out.printf("commit.interval.ms (both apps): %d%n", fullAppCommitIntervalMs());

    try (BenchCluster cluster = BenchCluster.start(brokerMode)) {
      Map<String, Object> serde = Map.of("schema.registry.url", cluster.registryUrl());
      for (String t :
          List.of(
              "pt-in",
              "pt-out",
              "clicks",
              "clicks-dlq",
              "training-instances",
              "user-vectors",
              "recommendations",
              "lat-clicks")) {
        cluster.topic(t, partitions, false);
      }
      cluster.topic("model-params", 1, true);
      String vectors = a.getOrDefault("vectors", "gaussian");
      boolean withModel = !vectors.equals("none");
      ModelUpdate dense = withModel ? publishModel(cluster, serde, items, vectors) : null;
      System.out.printf("item vectors: %s%n", vectors);
      int republishMs = Args.intArg(a, "republishMs", 0);
      if (republishMs > 0 && withModel) {
        republisher(cluster, serde, dense, items, republishMs);
      }

      // latencyRate=R skips the throughput runs and measures latency at R clicks/s only.
      double latencyRate = Double.parseDouble(a.getOrDefault("latencyRate", "0"));
      double full = 2 * latencyRate;
      long fullLoadFromMs = -1;
      if (latencyRate <= 0) {
        List<ClickEvent> load = clicks(clicks, users, items, 1, System.currentTimeMillis());
        // Every app first works through a warm-up load (not measured), so that none is measured
        // while its JVM still compiles it: in one JVM with the broker, the compilers took more
        // CPU than the app during the full topology's first 60,000 clicks. With a depth, the
        // warm-up is the measured users' own earlier clicks, so the measured ones meet histories
        // as deep as a running system's; without, it is other users' clicks.
        List<ClickEvent> warmup =
            depth > 0
                ? fill(users, depth, items, 5)
                : clicks(warmupClicks, users, items, 5, System.currentTimeMillis(), "w");
        // Each app starts on an empty input topic and is warm (model served, threads running)
        // before the clicks are produced as fast as possible; throughput runs from the first send
        // to the last output.
        double passThrough = passThrough(cluster, serde, warmup, load, guarantee);
        System.out.printf("pass-through: %.0f clicks/s%n", passThrough);

        try (StreamApp app =
            StreamApp.start(
                new StreamAppConfig(appConfig(cluster, "bench-full", "clicks", guarantee)))) {
          if (withModel) {
            awaitModel(app);
          }
          awaitRunning(app.streams());
          Drained d =
              produceAndDrain(
                  cluster,
                  serde,
                  "clicks",
                  "recommendations",
                  warmup,
                  load,
                  () -> {
                    printMetrics(app.streams(), StreamAppHarness::commitMetric);
                    app.model()
                        .indexStats()
                        .ifPresent(st -> System.out.printf("  index: %s%n", st));
                    printTowerCache(app);
                    app.close();
                  });
          full = d.rate();
          fullLoadFromMs = d.loadFromMs();
        }
        System.out.printf(
            "full topology: %.0f clicks/s (%.2fx pass-through)%n", full, full / passThrough);
        double floor = ioFloor(cluster, serde, warmup, load, guarantee, partitions, fullLoadFromMs);
        System.out.printf(
            "ratios: full topology = %.2fx the I/O floor, %.2fx the pass-through; I/O floor ="
                + " %.2fx the pass-through%n",
            full / floor, full / passThrough, floor / passThrough);
      }

      if (latencySeconds <= 0) {
        return; // latencySeconds=0: throughput only
      }
      Histogram latency =
          latency(
              cluster,
              serde,
              items,
              users,
              full / 2,
              latencySeconds,
              steadyWarmup,
              guarantee,
              latencyRate > 0 ? clicks : 0,
              depth,
              withModel);
      System.out.printf(
          "latency at %.0f clicks/s (half load): p50=%.1f ms p99=%.1f ms max=%.1f ms (n=%d)%n",
          full / 2,
          latency.getValueAtPercentile(50) / 1000.0,
          latency.getValueAtPercentile(99) / 1000.0,
          latency.getMaxValue() / 1000.0,
          latency.getTotalCount());
    }
  }

  /**
   * Prints this JVM's CPU since {@code before} by kind of thread (broker, registry, load and app
   * together: they share the JVM).
   */
  private static void printCpu(String input, Map<String, Double> namesBefore) {
    Map<String, Double> names = ThreadCpu.byName(ProcessHandle.current().pid());
    Map<ThreadCpu.Kind, Double> d =
        ThreadCpu.minus(ThreadCpu.kinds(names), ThreadCpu.kinds(namesBefore));
    System.out.printf(
        "  CPU while the load on %s was processed (this JVM, from /proc): JIT"
            + " compilers %.1f s, GC and VM thread %.1f s, the rest %.1f s%n",
        input,
        d.getOrDefault(ThreadCpu.Kind.JIT, Double.NaN),
        d.getOrDefault(ThreadCpu.Kind.GC, Double.NaN),
        d.getOrDefault(ThreadCpu.Kind.APP, Double.NaN));
    StringBuilder top =
        new StringBuilder("  the busiest threads by name (15 characters, pools summed):");
    names.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - namesBefore.getOrDefault(e.getKey(), 0.0)))
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(8)
        .forEach(e -> top.append(String.format(" %s %.1f s;", e.getKey(), e.getValue())));
    System.out.println(top);
  }

  /**
   * A model of the default preset ({@link ModelConfig#builder()}) with {@code items} admitted items
   * as snapshot 1. Item output rows are {@code gaussian} (isotropic, equal norms: the hardest case
   * for the index), {@code structured} (low-rank with a log-normal norm spread, like trained rows;
   * the retrieval benchmark's data) or {@code tower} ({@link #towerAligned}). Every row is sized by
   * the config ({@code itemDim}, {@code vectorDim}); with tied item embeddings the history items
   * read the output rows, so those are set to gaussian rows before {@code tower} runs the tower.
   */
  static ModelUpdate publishModel(
      BenchCluster cluster, Map<String, Object> serde, int items, String vectors) throws Exception {
    ModelConfig config = ModelConfig.builder().featAppearLimit(1).build();
    CandidateModel model = CandidateModel.create(config);
    Random rnd = new Random(7);
    float[] structured =
        switch (vectors) {
          case "gaussian" -> null;
          case "structured" -> new ItemVectorGenerator(config.vectorDim(), 7).items(items);
          case "tower" -> null; // drawn below, once the item embeddings exist
          default ->
              throw new IllegalArgumentException(
                  "vectors must be gaussian, structured or tower, got " + vectors);
        };
    for (int i = 0; i < items; i++) {
      model.importRow(Table.ITEM, "v" + i, gaussian(rnd, config.itemDim(), 0.1f));
      if (config.tieItemEmbeddings()) {
        // Tied: history items read their output row, so the tower below needs one per item.
        model.importRow(Table.ITEM_OUTPUT, "v" + i, gaussian(rnd, config.vectorDim(), 0.1f));
      }
    }
    if (vectors.equals("tower")) {
      structured = towerAligned(model, items, rnd);
    }
    for (int i = 0; i < items; i++) {
      float[] row =
          structured == null
              ? gaussian(rnd, config.vectorDim(), 0.1f)
              : Arrays.copyOfRange(
                  structured, i * config.vectorDim(), (i + 1) * config.vectorDim());
      model.importRow(Table.ITEM_OUTPUT, "v" + i, row);
    }
    SnapshotDeltas d =
        SnapshotDeltas.of(model, model.drainChanges(), 1, System.currentTimeMillis());
    Serializer<ModelUpdate> s = AvroSerdes.specific(ModelUpdate.class, serde, false).serializer();
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (SnapshotDeltas.KeyedUpdate u : d.paramRecords()) {
        producer.send(
            new ProducerRecord<>(
                "model-params",
                u.key(),
                u.value() == null ? null : s.serialize("model-params", u.value())));
      }
      SnapshotManifest m = manifest(1, items, config).build();
      producer
          .send(
              new ProducerRecord<>(
                  "model-params",
                  ParamKeys.MANIFEST,
                  s.serialize("model-params", ParamRecords.manifest(m))))
          .get();
    }
    for (SnapshotDeltas.KeyedUpdate u : d.paramRecords()) {
      if (u.key().equals(ParamKeys.DENSE)) {
        return u.value();
      }
    }
    throw new IllegalStateException("snapshot 1 has no dense record");
  }

  /** The manifest of the harness's snapshot {@code version}, created now. */
  private static SnapshotManifest.Builder manifest(long version, int items, ModelConfig config) {
    return SnapshotManifest.newBuilder()
        .setVersion(version)
        .setInstancesApplied(0)
        .setMaxItemNorm(1f)
        .setItemCount(items)
        .setModelConfig(ModelConfigCodec.toJson(config))
        .setCreatedAt(Instant.now());
  }

  /**
   * {@code republishMs=N}: a live trainer's cadence for the serving side. Every N ms the same dense
   * tensors go out again as the next version, so the app builds a new tower (and drops its cache of
   * input rows) as often as it would under a trainer publishing every N ms (the trainer's default
   * is 1,000). Item rows are not re-sent: a real snapshot would also replace the rows its steps
   * moved, so this is the cache's best case at that cadence. Runs until the harness exits.
   */
  static void republisher(
      BenchCluster cluster, Map<String, Object> serde, ModelUpdate dense, int items, int everyMs) {
    ModelConfig config = ModelConfig.builder().featAppearLimit(1).build();
    Serializer<ModelUpdate> s = AvroSerdes.specific(ModelUpdate.class, serde, false).serializer();
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
    Thread t =
        new Thread(
            () -> {
              try (KafkaProducer<String, byte[]> producer =
                  new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
                for (long version = 2; ; version++) {
                  TimeUnit.MILLISECONDS.sleep(everyMs);
                  producer.send(
                      new ProducerRecord<>(
                          "model-params", ParamKeys.DENSE, s.serialize("model-params", dense)));
                  SnapshotManifest m =
                      manifest(version, items, config).setPreviousVersion(version - 1).build();
                  producer.send(
                      new ProducerRecord<>(
                          "model-params",
                          ParamKeys.MANIFEST,
                          s.serialize("model-params", ParamRecords.manifest(m))));
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                System.err.println("republisher stopped: " + e);
              }
            },
            "republisher");
    t.setDaemon(true);
    t.start();
    System.out.printf("republishing the dense tensors every %d ms%n", everyMs);
  }

  /** The full app's cache of LSTM input rows since it started (the fill included). */
  private static void printTowerCache(StreamApp app) {
    long hits = app.model().projections().hits();
    long misses = app.model().projections().misses();
    System.out.printf(
        "  tower cache of input rows (since start): %d hits, %d misses, hit rate %.3f%n",
        hits, misses, hits + misses == 0 ? 0.0 : (double) hits / (hits + misses));
  }

  /**
   * Item rows {@code [b, w]} that share the user vectors' subspace, as a trained model's do: each
   * {@code w} is the tower's output for a random history of the load's items, rescaled to a
   * log-normal norm (median 0.8, the gaussian rows' norm; sigma 0.5); {@code b} is small noise. The
   * model's tower itself stays randomly initialised: this is a proxy for a trained model's
   * geometry, not a trained model.
   */
  static float[] towerAligned(CandidateModel model, int items, Random rnd) {
    int dim = model.config().vectorDim();
    float[] out = new float[items * dim];
    int batch = 256;
    for (int from = 0; from < items; from += batch) {
      int to = Math.min(items, from + batch);
      List<UserContext> contexts = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        contexts.add(randomContext(rnd, items));
      }
      float[][] users = model.userVectors(contexts);
      for (int i = from; i < to; i++) {
        float[] u = users[i - from]; // [1, u], as long as an item row [b, w]
        if (u.length != dim) {
          throw new IllegalStateException(
              "user vectors have " + u.length + " components, item rows " + dim);
        }
        double normSq = 0;
        for (int d = 1; d < dim; d++) {
          normSq += (double) u[d] * u[d];
        }
        double scale = 0.8 * Math.exp(0.5 * rnd.nextGaussian()) / Math.sqrt(normSq);
        out[i * dim] = (float) (0.01 * rnd.nextGaussian());
        for (int d = 1; d < dim; d++) {
          out[i * dim + d] = (float) (u[d] * scale);
        }
      }
    }
    return out;
  }

  /** A popular-first item: half-normal over the catalogue, most clicks on its first quarter. */
  private static int drawItem(Random rnd, int items) {
    return (int) Math.min(items - 1, Math.abs(rnd.nextGaussian()) * items / 4);
  }

  private static String category(int item) {
    return "c" + item % 50;
  }

  private static List<String> tags(int item) {
    return List.of("t" + item % 200, "t" + item % 37);
  }

  /**
   * A user context like the load's: 5 to 20 clicks on items drawn as {@link #clicks} draws them.
   */
  private static UserContext randomContext(Random rnd, int items) {
    int n = 5 + rnd.nextInt(16);
    List<ClickedItem> history = new ArrayList<>(n);
    for (int j = 0; j < n; j++) {
      int item = drawItem(rnd, items);
      history.add(
          ClickedItem.newBuilder()
              .setVideoId("v" + item)
              .setCategory(category(item))
              .setTags(tags(item))
              .setEventTime(Instant.ofEpochMilli(j))
              .build());
    }
    return InstanceConverter.toContext(
        "u" + rnd.nextInt(1_000_000),
        "p" + rnd.nextInt(30),
        "c" + rnd.nextInt(300),
        "ph" + rnd.nextInt(20),
        history);
  }

  static float[] gaussian(Random rnd, int n, float scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rnd.nextGaussian() * scale;
    }
    return v;
  }

  static List<ClickEvent> clicks(int n, int users, int items, long seed, long t0) {
    return clicks(n, users, items, seed, t0, "u");
  }

  /**
   * {@code depth} rounds of one click of each of {@code users} users (those of {@link #clicks(int,
   * int, int, long, long)}), so that each has {@code depth} clicks of history afterwards.
   */
  static List<ClickEvent> fill(int users, int depth, int items, long seed) {
    Random rnd = new Random(seed);
    List<ClickEvent> out = new ArrayList<>(users * depth);
    for (int r = 0; r < depth; r++) {
      for (int u = 0; u < users; u++) {
        out.add(click("d" + seed + "-" + out.size(), "u" + u, drawItem(rnd, items), rnd, 0));
      }
    }
    return out;
  }

  /** {@code n} clicks of users named {@code userPrefix} and a number below {@code users}. */
  static List<ClickEvent> clicks(
      int n, int users, int items, long seed, long t0, String userPrefix) {
    Random rnd = new Random(seed);
    List<ClickEvent> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int item = drawItem(rnd, items);
      out.add(click("e" + seed + "-" + i, userPrefix + rnd.nextInt(users), item, rnd, t0 + i));
    }
    return out;
  }

  private static ClickEvent click(String eventId, String user, int item, Random rnd, long time) {
    return ClickEvent.newBuilder()
        .setEventId(eventId)
        .setUserId(user)
        .setVideoId("v" + item)
        .setCategory(category(item))
        .setTags(tags(item))
        .setProvince("p" + rnd.nextInt(30))
        .setCity("c" + rnd.nextInt(300))
        .setPhone("ph" + rnd.nextInt(20))
        .setEventTime(Instant.ofEpochMilli(time))
        .build();
  }

  static void produce(
      BenchCluster cluster, Map<String, Object> serde, String topic, List<ClickEvent> clicks) {
    Serializer<ClickEvent> s = AvroSerdes.specific(ClickEvent.class, serde, false).serializer();
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
    p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (ClickEvent c : clicks) {
        // Stamped when sent, as a producer of live clicks would, so every click of a run carries
        // a time near the present (never one a minute ahead of the wall clock).
        c.setEventTime(Instant.ofEpochMilli(System.currentTimeMillis()));
        producer.send(
            new ProducerRecord<>(
                topic,
                null,
                c.getEventTime().toEpochMilli(),
                c.getUserId(),
                s.serialize(topic, c)));
      }
    }
  }

  private static double passThrough(
      BenchCluster cluster,
      Map<String, Object> serde,
      List<ClickEvent> warmup,
      List<ClickEvent> load,
      String guarantee)
      throws Exception {
    Serde<ClickEvent> clickSerde = AvroSerdes.specific(ClickEvent.class, serde, false);
    StreamsBuilder b = new StreamsBuilder();
    b.stream("pt-in", Consumed.with(Serdes.String(), clickSerde))
        .to("pt-out", Produced.with(Serdes.String(), clickSerde));
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-pass-through");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
    p.put(StreamsConfig.STATE_DIR_CONFIG, cluster.newDir("pt").toString());
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // Like for like: the pass-through commits as often as the full app does (Freshet's default
    // commit interval is shorter than Kafka Streams' 100 ms exactly-once default).
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, fullAppCommitIntervalMs());
    p.putAll(STREAMS_OVERRIDES);
    KafkaStreams streams = new KafkaStreams(b.build(), p);
    streams.start();
    awaitRunning(streams);
    return produceAndDrain(cluster, serde, "pt-in", "pt-out", warmup, load, streams::close).rate();
  }

  /**
   * Runs {@link IoFloor} with the full app's Kafka Streams settings, on records of the sizes the
   * full app wrote in this run ({@code bench-full}'s topics and changelogs), and returns its
   * clicks/s.
   */
  private static double ioFloor(
      BenchCluster cluster,
      Map<String, Object> serde,
      List<ClickEvent> warmup,
      List<ClickEvent> load,
      String guarantee,
      int partitions,
      long fromMs)
      throws Exception {
    TopicBytes history =
        TopicBytes.read(
            cluster, "bench-full-" + FreshetTopology.HISTORY_STORE + "-changelog", fromMs);
    TopicBytes lists =
        TopicBytes.read(
            cluster, "bench-full-" + FreshetTopology.LAST_LIST_STORE + "-changelog", fromMs);
    IoFloor.Sizes sizes =
        new IoFloor.Sizes(
            (int) Math.round(history.meanValueBytes()),
            (int) Math.round(lists.meanValueBytes()),
            (int)
                Math.round(TopicBytes.read(cluster, "training-instances", fromMs).meanValueBytes()),
            (int) Math.round(TopicBytes.read(cluster, "user-vectors", fromMs).meanValueBytes()),
            (int) Math.round(TopicBytes.read(cluster, "recommendations", fromMs).meanValueBytes()));
    System.out.printf(
        "I/O floor record sizes (bytes, the means of what the full app wrote for the measured"
            + " load): %s%n",
        sizes);
    for (String t : List.of("floor-in", "floor-instances", "floor-vectors", "floor-recs")) {
      cluster.topic(t, partitions, false);
    }
    StreamAppConfig config =
        new StreamAppConfig(appConfig(cluster, "bench-floor", "floor-in", guarantee));
    KafkaStreams streams =
        new KafkaStreams(
            IoFloor.topology(sizes, "floor-in", "floor-instances", "floor-vectors", "floor-recs"),
            config.streamsProperties());
    streams.start();
    awaitRunning(streams);
    double rate =
        produceAndDrain(cluster, serde, "floor-in", "floor-recs", warmup, load, streams::close)
            .rate();
    System.out.printf("I/O floor: %.0f clicks/s%n", rate);
    return rate;
  }

  /** The full app's history window: an explicit setting, else Freshet's default. */
  static int fullAppHistorySize() {
    return (Integer) fullAppSetting(StreamAppConfig.HISTORY_SIZE);
  }

  /** The full app's commit interval: an explicit setting, else Freshet's default. */
  static long fullAppCommitIntervalMs() {
    return (Long) fullAppSetting(StreamAppConfig.COMMIT_INTERVAL_MS);
  }

  /**
   * A Freshet setting of the full app as it will run: an {@code app.} argument, else a {@code
   * streams.} one (both reach the full app's config), else the default; parsed to its type.
   */
  private static Object fullAppSetting(String key) {
    ConfigDef def = StreamAppConfig.configDef();
    String v = APP_OVERRIDES.getOrDefault(key, STREAMS_OVERRIDES.get(key));
    return v != null
        ? ConfigDef.parseType(key, v, def.configKeys().get(key).type)
        : def.defaultValues().get(key);
  }

  /**
   * Where a stream thread's time goes at commits: Streams' commit latency and time ratios, the
   * producer's transaction and flush timings.
   */
  private static boolean commitMetric(MetricName name) {
    String n = name.name();
    return (name.group().equals("stream-thread-metrics")
            && (n.startsWith("commit-")
                || n.startsWith("process-ratio")
                || n.startsWith("poll-ratio")
                || n.startsWith("punctuate-ratio")))
        || (name.group().equals("producer-metrics")
            && (n.startsWith("txn-") || n.startsWith("flush-time")));
  }

  /**
   * The largest commit, punctuation, process and poll of the stream threads (over Kafka's metric
   * window): what can hold a click in the app for longer than the batching wait; with {@code
   * streams.metrics.recording.level=DEBUG} also the time RocksDB stalled each store's writes.
   */
  private static boolean holdUpMetric(MetricName name) {
    String n = name.name();
    return (name.group().equals("stream-thread-metrics")
            && (n.equals("commit-latency-max")
                || n.equals("commit-latency-avg")
                || n.equals("punctuate-latency-max")
                || n.equals("poll-latency-max")
                || n.equals("process-latency-max")))
        || (name.group().equals("stream-state-metrics") && n.startsWith("write-stall-duration"));
  }

  /** Prints the app's metrics that {@code which} selects, with the store of a state metric. */
  private static void printMetrics(KafkaStreams streams, Predicate<MetricName> which) {
    streams
        .metrics()
        .forEach(
            (name, metric) -> {
              if (which.test(name)) {
                String store =
                    name.tags()
                        .getOrDefault(
                            "rocksdb-state-id", name.tags().get("rocksdb-window-state-id"));
                System.out.printf(
                    "  metric %s/%s%s = %s%n",
                    name.group(),
                    name.name(),
                    store == null ? "" : " [" + store + "]",
                    metric.metricValue());
              }
            });
  }

  private static void awaitRunning(KafkaStreams streams) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("streams not running: " + streams.state());
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  /**
   * Joins a group on {@code out}, then produces {@code load} to {@code in} as fast as possible and
   * waits for as many records on {@code out}: records/s from the first send to the last output.
   */
  private static Drained produceAndDrain(
      BenchCluster cluster,
      Map<String, Object> serde,
      String in,
      String out,
      List<ClickEvent> warmup,
      List<ClickEvent> load,
      Runnable stop)
      throws InterruptedException {
    int n = load.size();
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "drain-" + out);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    long first;
    long last;
    long loadFromMs;
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(out));
      consumer.poll(Duration.ofMillis(500)); // join the group before producing
      if (!warmup.isEmpty()) {
        // Not measured: the app's code is compiled while it works through these. Their outputs
        // all come before the measured load's, which is produced only once they are in.
        long t = System.nanoTime();
        produce(cluster, serde, in, warmup);
        awaitRecords(consumer, warmup.size(), out);
        System.out.printf(
            "  warm-up on %s: %,d clicks in %.1f s%n",
            in, warmup.size(), (System.nanoTime() - t) / 1e9);
      }
      Map<String, Double> cpuByName = ThreadCpu.byName(ProcessHandle.current().pid());
      Thread producer = new Thread(() -> produce(cluster, serde, in, load), "load-producer");
      loadFromMs = System.currentTimeMillis();
      first = System.nanoTime();
      producer.start();
      last = awaitRecords(consumer, n, out);
      producer.join();
      printCpu(in, cpuByName);
    } finally {
      stop.run();
    }
    return new Drained(n / ((last - first) / 1e9), loadFromMs);
  }

  /**
   * A drained load: its clicks/s, and the wall-clock time before its first click was stamped (every
   * record written for it is stamped at or after that).
   */
  private record Drained(double rate, long loadFromMs) {}

  /**
   * Polls until {@code n} records have arrived on {@code out} (at most 20 minutes) and returns when
   * the last of them came ({@link System#nanoTime()}).
   */
  private static long awaitRecords(KafkaConsumer<String, byte[]> consumer, int n, String out) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
    long last = 0;
    int seen = 0;
    while (seen < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + seen + " of " + n + " records on " + out);
      }
      int got = consumer.poll(Duration.ofMillis(100)).count();
      if (got > 0) {
        seen += got;
        last = System.nanoTime();
      }
    }
    return last;
  }

  private static Histogram latency(
      BenchCluster cluster,
      Map<String, Object> serde,
      int items,
      int users,
      double rate,
      int seconds,
      int steadyWarmup,
      String guarantee,
      int warmupClicks,
      int depth,
      boolean withModel)
      throws Exception {
    Histogram h = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
    // The two legs of the latency: click sent → recommendations computed (queueing, batching,
    // scoring) and computed → visible to a read_committed consumer (the commit and its markers).
    Histogram toScored = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
    Histogram toVisible = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
    long measuredFromMs = 0;
    Deserializer<Recommendations> d =
        AvroSerdes.specific(Recommendations.class, serde, false).deserializer();
    Serializer<ClickEvent> s = AvroSerdes.specific(ClickEvent.class, serde, false).serializer();
    Map<String, Object> cfg = appConfig(cluster, "bench-latency", "lat-clicks", guarantee);
    cfg.put(StreamAppConfig.TOPIC_RECOMMENDATIONS, "lat-recommendations");
    cluster.topic("lat-recommendations", 2, false);
    AtomicBoolean producing = new AtomicBoolean(true);
    // Per second from the start of the steady load: clicks sent and acknowledged (and the slowest
    // acknowledgement), the worst click→recommendation latency, and the app's client metrics.
    AtomicLong sentCount = new AtomicLong();
    AtomicLong acked = new AtomicLong();
    long[] ackWorst = new long[steadyWarmup + seconds + 3];
    long[] worstFromStart = new long[steadyWarmup + seconds + 3];
    long[] startedMs = {Long.MAX_VALUE};
    PerSecond perSecond = null;
    GcPauses gcWatch = new GcPauses();
    try (StreamApp app = StreamApp.start(new StreamAppConfig(cfg))) {
      if (withModel) {
        awaitModel(app);
      }
      awaitRunning(app.streams());
      // Drain a burst first: the users' earlier clicks (the depth), which also warm a cold JVM
      // (without the throughput runs before this one), or other clicks for a cold JVM only. The
      // measurement then starts with compiled code, histories as deep as in the throughput runs
      // and no backlog.
      List<ClickEvent> burst =
          depth > 0
              ? fill(users, depth, items, 2)
              : clicks(warmupClicks, users, items, 2, System.currentTimeMillis());
      if (!burst.isEmpty()) {
        produceAndDrain(
            cluster, serde, "lat-clicks", "lat-recommendations", List.of(), burst, () -> {});
      }
      Thread producer =
          new Thread(
              () -> {
                Map<String, Object> p = new HashMap<>();
                p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
                p.put(ProducerConfig.LINGER_MS_CONFIG, latencyProducerLingerMs);
                Random rnd = new Random(3);
                try (KafkaProducer<String, byte[]> kp =
                    new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
                  long start = System.nanoTime();
                  while (producing.get()) {
                    long due = start + (long) (sentCount.get() * 1e9 / rate);
                    long now = System.nanoTime();
                    if (now < due) {
                      TimeUnit.NANOSECONDS.sleep(Math.min(due - now, 1_000_000));
                      continue;
                    }
                    ClickEvent c =
                        clicks(1, users, items, rnd.nextLong(), System.currentTimeMillis()).get(0);
                    long stamped = c.getEventTime().toEpochMilli();
                    kp.send(
                        new ProducerRecord<>(
                            "lat-clicks",
                            null,
                            stamped,
                            c.getUserId(),
                            s.serialize("lat-clicks", c)),
                        (md, ex) -> {
                          long now2 = System.currentTimeMillis();
                          acked.incrementAndGet();
                          int sec = (int) ((now2 - startedMs[0]) / 1000);
                          if (ex == null && sec >= 0 && sec < ackWorst.length) {
                            ackWorst[sec] = Math.max(ackWorst[sec], now2 - stamped);
                          }
                        });
                    sentCount.incrementAndGet();
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "latency-producer");
      Map<String, Object> c = new HashMap<>();
      c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
      c.put(ConsumerConfig.GROUP_ID_CONFIG, "latency-reader");
      c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
      c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      try (KafkaConsumer<String, byte[]> consumer =
          new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
        consumer.subscribe(List.of("lat-recommendations"));
        consumer.poll(Duration.ofMillis(500));
        Map<String, LongSupplier> own = new java.util.LinkedHashMap<>();
        own.put("sent", sentCount::get);
        own.put("acked", acked::get);
        // The JVM's compilers and collector, in ms of CPU (from /proc): whether a second's backlog
        // coincides with code still being compiled.
        own.put("JIT CPU ms", () -> ThreadCpu.millis(ThreadCpu.Kind.JIT));
        own.put("GC CPU ms", () -> ThreadCpu.millis(ThreadCpu.Kind.GC));
        perSecond = new PerSecond(app.streams()::metrics, PerSecond.STREAMS_COLUMNS, own);
        startedMs[0] = System.currentTimeMillis();
        producer.start();
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(steadyWarmup);
        measuredFromMs = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(steadyWarmup);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(steadyWarmup + seconds);
        Map<String, Double> cpuAtMeasureStart = null;
        while (System.nanoTime() < end) {
          if (cpuAtMeasureStart == null && System.nanoTime() > warmupEnd) {
            cpuAtMeasureStart = ThreadCpu.byName(ProcessHandle.current().pid());
          }
          for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
            long received = System.currentTimeMillis();
            Recommendations rec = d.deserialize("lat-recommendations", r.value());
            long sent = rec.getEventTime().toEpochMilli();
            int fromStart = (int) ((received - startedMs[0]) / 1000);
            if (fromStart >= 0 && fromStart < worstFromStart.length) {
              worstFromStart[fromStart] = Math.max(worstFromStart[fromStart], received - sent);
            }
            if (System.nanoTime() > warmupEnd) {
              long computed = rec.getComputedAt().toEpochMilli();
              h.recordValue(Math.max(0, received - sent) * 1000);
              toScored.recordValue(Math.max(0, computed - sent) * 1000);
              toVisible.recordValue(Math.max(0, received - computed) * 1000);
            }
          }
        }
        if (cpuAtMeasureStart != null) {
          printCpu("lat-clicks (measured seconds only)", cpuAtMeasureStart);
        }
      } finally {
        producing.set(false);
        producer.join();
        gcWatch.close();
        if (perSecond != null) {
          perSecond.close();
        }
      }
      printMetrics(app.streams(), StreamAppHarness::holdUpMetric);
      printTowerCache(app);
    }
    if (perSecond != null) {
      System.out.printf(
          "  per second from the start of the steady load (%d s warm-up, then measured); slowest"
              + " acknowledgement of a sent click (ms): %s%n%s",
          steadyWarmup,
          Arrays.toString(ackWorst),
          perSecond.table("worst latency ms", worstFromStart));
    }
    System.out.printf(
        "  worst latency per second from %s (ms): %s%n",
        Instant.ofEpochMilli(measuredFromMs),
        // The measured seconds are those after the steady warm-up.
        Arrays.toString(
            Arrays.copyOfRange(worstFromStart, steadyWarmup, steadyWarmup + seconds + 1)));
    System.out.printf("  %s%n", gcWatch.summary(measuredFromMs));
    System.out.printf(
        "  sent -> computed: p50=%.1f ms p99=%.1f ms; computed -> visible: p50=%.1f ms p99=%.1f"
            + " ms%n",
        toScored.getValueAtPercentile(50) / 1000.0,
        toScored.getValueAtPercentile(99) / 1000.0,
        toVisible.getValueAtPercentile(50) / 1000.0,
        toVisible.getValueAtPercentile(99) / 1000.0);
    return h;
  }

  /**
   * Waits until the app serves the published snapshot with all its items indexed. With a large
   * catalogue the app first serves from an exact index while it builds the HNSW graph (about 35 s
   * for 100,000 items on this machine); measuring then would time exact scans and the build's CPU,
   * and leave the HNSW search to be compiled inside the measured span.
   */
  private static void awaitModel(StreamApp app) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!app.model().ready() || app.model().indexedVersion() != app.model().version()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("model never became ready");
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  static Map<String, Object> appConfig(
      BenchCluster cluster, String appId, String clicksTopic, String guarantee)
      throws java.io.IOException {
    Map<String, Object> c = new HashMap<>();
    c.put(StreamAppConfig.BOOTSTRAP_SERVERS, cluster.bootstrap());
    c.put(StreamAppConfig.SCHEMA_REGISTRY_URL, cluster.registryUrl());
    c.put(StreamAppConfig.APPLICATION_ID, appId);
    c.put(StreamAppConfig.STATE_DIR, cluster.newDir(appId).toString());
    c.put(StreamAppConfig.TOPIC_CLICKS, clicksTopic);
    c.put(StreamAppConfig.PROCESSING_GUARANTEE, guarantee);
    c.put(StreamAppConfig.HTTP_PORT, "-1");
    c.put("consumer.auto.offset.reset", "earliest");
    c.putAll(STREAMS_OVERRIDES);
    c.putAll(APP_OVERRIDES);
    return c;
  }
}
