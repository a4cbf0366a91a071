package dev.freshet.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshet.avro.ModelUpdate;
import dev.freshet.avro.Recommendations;
import dev.freshet.cli.BrokerCommand;
import dev.freshet.cli.TopicSet;
import dev.freshet.model.ModelConfig;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.streams.StreamApp;
import dev.freshet.streams.StreamAppConfig;
import dev.freshet.streams.retrieval.ItemScore;
import dev.freshet.trainer.OnlineTrainer;
import dev.freshet.trainer.TrainerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system in this JVM: broker and registry, topics, stream app, trainer, click feeder,
 * recommendation monitor, frozen copy and dashboard. {@link #start} brings them up in dependency
 * order; {@link #close} stops them in the reverse order (the feeder first, so nothing new enters;
 * the trainer before the stream app, so its final snapshot is published; the broker last).
 */
public final class Demo implements AutoCloseable, DashboardServer.Backend {

  private static final Logger log = LoggerFactory.getLogger(Demo.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MARKER = ".freshet-demo";
  private static final int HISTORY_SIZE = 10;
  private static final int EXACT_THRESHOLD = 20_000;
  private static final int RECENT_USERS = 12;

  private final DemoSettings settings;
  private final Deque<AutoCloseable> closers = new ArrayDeque<>();
  private final long setupStartMillis = System.currentTimeMillis();
  private final LinkedHashSet<String> recentUsers = new LinkedHashSet<>();
  private String sourceDescription;
  private BrokerCommand.LocalCluster cluster;
  private StreamApp streamApp;
  private OnlineTrainer trainer;
  private volatile Throwable trainerFailure;
  private RecommendationMonitor monitor;
  private FrozenModel frozen;
  private ClickFeeder feeder;
  private DashboardServer dashboard;
  private LiveFigures figures;
  private long feedStartMillis;

  private Demo(DemoSettings settings) {
    this.settings = settings;
  }

  /**
   * Starts everything; progress lines go to {@code out}. On failure, whatever was started is
   * stopped again before the exception propagates.
   *
   * @throws IllegalArgumentException for invalid settings or an unusable source or directory
   */
  public static Demo start(DemoSettings settings, PrintStream out) throws IOException {
    settings.validate();
    Demo demo = new Demo(settings);
    try {
      demo.startAll(out);
      return demo;
    } catch (IOException | RuntimeException | Error e) {
      demo.close();
      throw e;
    }
  }

  private void startAll(PrintStream out) throws IOException {
    Path dir = settings.dir().toAbsolutePath();
    prepareDirectory(dir);

    out.println("Loading clicks...");
    ClickSources.Loaded loaded = ClickSources.load(settings);
    sourceDescription = loaded.description();
    out.println("  " + sourceDescription);

    out.println("Starting Kafka (KRaft, in-process) and the schema registry on 127.0.0.1...");
    cluster = BrokerCommand.LocalCluster.start(dir.resolve("kafka"), settings.kafkaPort(), 0);
    closers.push(cluster);
    String bootstrap = cluster.bootstrapServers();
    String registry = cluster.registryUrl();
    out.println("  bootstrap.servers=" + bootstrap + "  schema.registry.url=" + registry);
    TopicSet.create(bootstrap, TopicSet.specs(settings.partitions(), -1));

    out.println("Starting the stream app and the trainer...");
    streamApp = StreamApp.start(new StreamAppConfig(streamConfig(bootstrap, registry, dir)));
    closers.push(streamApp);
    boolean searches = loaded.clicks().stream().anyMatch(c -> !c.searchTokens().isEmpty());
    trainer =
        new OnlineTrainer(new TrainerConfig(trainerConfig(bootstrap, registry, dir, searches)));
    Thread trainerThread = new Thread(this::runTrainer, "freshet-demo-trainer");
    trainerThread.start();
    closers.push(
        () -> {
          trainer.close();
          trainerThread.join(TimeUnit.SECONDS.toMillis(70));
        });

    Map<String, Object> serde = Map.of("schema.registry.url", registry);
    feedStartMillis = System.currentTimeMillis();
    figures = new LiveFigures(settings.topK(), feedStartMillis);
    monitor =
        new RecommendationMonitor(
                bootstrap,
                "recommendations",
                AvroSerdes.specific(Recommendations.class, serde, false).deserializer(),
                figures)
            .start();
    closers.push(monitor);

    KafkaProducer<String, dev.freshet.avro.ClickEvent> producer =
        new KafkaProducer<>(
            producerConfig(bootstrap),
            new StringSerializer(),
            AvroSerdes.specific(dev.freshet.avro.ClickEvent.class, serde, false).serializer());
    closers.push(producer);
    feeder =
        new ClickFeeder(
            loaded.clicks(),
            settings.rate(),
            settings.maxGap().toMillis(),
            producer,
            "clicks",
            this::clickSent);

    frozen =
        new FrozenModel(
                bootstrap,
                "model-params",
                AvroSerdes.specific(ModelUpdate.class, serde, false).deserializer(),
                EXACT_THRESHOLD,
                () -> streamApp.model().version(),
                feedStartMillis + settings.frozenAfter().toMillis(),
                settings.topK(),
                HISTORY_SIZE)
            .start();
    closers.push(frozen);

    dashboard = new DashboardServer(settings.dashboardPort(), this);
    closers.push(dashboard);

    ScheduledExecutorService sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "freshet-demo-sampler");
              t.setDaemon(true);
              return t;
            });
    sampler.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    closers.push(
        () -> {
          sampler.shutdownNow();
          sampler.awaitTermination(5, TimeUnit.SECONDS);
        });

    Thread feederThread = new Thread(feeder, "freshet-demo-feeder");
    feederThread.start();
    closers.push(() -> feeder.stop(10_000));
    out.println(
        "Feeding clicks "
            + (settings.rate() > 0
                ? "at " + fmtRate(settings.rate()) + " clicks/s"
                : "as fast as possible")
            + "; the frozen copy is taken "
            + settings.frozenAfter().toSeconds()
            + " s in.");
  }

  private void runTrainer() {
    try {
      trainer.run();
    } catch (RuntimeException | Error e) {
      trainerFailure = e;
      log.error("the trainer stopped", e);
    }
  }

  private Map<String, Object> streamConfig(String bootstrap, String registry, Path dir) {
    Map<String, Object> c = new HashMap<>();
    c.put(StreamAppConfig.BOOTSTRAP_SERVERS, bootstrap);
    c.put(StreamAppConfig.SCHEMA_REGISTRY_URL, registry);
    c.put(StreamAppConfig.APPLICATION_ID, "freshet-demo");
    c.put(StreamAppConfig.STATE_DIR, dir.resolve("streams").toString());
    c.put(StreamAppConfig.HTTP_PORT, 0);
    c.put(StreamAppConfig.RECOMMENDATIONS_SIZE, settings.topK());
    c.put(StreamAppConfig.HISTORY_SIZE, HISTORY_SIZE);
    c.put(StreamAppConfig.INDEX_EXACT_THRESHOLD, EXACT_THRESHOLD);
    // One instance: a standby replica has nowhere to live (Kafka Streams would warn on every
    // rebalance that it cannot place it). Deployments keep the default of 1.
    c.put(StreamAppConfig.NUM_STANDBY_REPLICAS, 0);
    return c;
  }

  private Map<String, Object> trainerConfig(
      String bootstrap, String registry, Path dir, boolean searches) {
    Map<String, Object> c = new HashMap<>(settings.modelKeys());
    if (searches) {
      // The clicks carry search tokens: the model reads them, as evaluate and train do.
      c.put("model.searchDim", Integer.toString(ModelConfig.SEARCH_DIM_WHEN_PRESENT));
    }
    c.put(TrainerConfig.BOOTSTRAP_SERVERS, bootstrap);
    c.put(TrainerConfig.SCHEMA_REGISTRY_URL, registry);
    c.put(TrainerConfig.CHECKPOINT_DIR, dir.resolve("trainer").toString());
    c.put(TrainerConfig.BATCH_SIZE, "64");
    c.put(TrainerConfig.BATCH_MAX_WAIT_MS, "200");
    c.put(TrainerConfig.PUBLISH_INTERVAL_MS, "1000");
    c.put("model.maxWindow", Integer.toString(HISTORY_SIZE));
    return c;
  }

  private static Map<String, Object> producerConfig(String bootstrap) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    c.put(ProducerConfig.CLIENT_ID_CONFIG, "freshet-demo-feeder");
    return c;
  }

  /**
   * Makes {@code dir} an empty demo directory. An existing directory is wiped only if an earlier
   * demo made it (it holds the marker file); anything else is refused.
   */
  static void prepareDirectory(Path dir) throws IOException {
    if (Files.exists(dir)) {
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException("--dir " + dir + " exists and is not a directory");
      }
      boolean empty;
      try (Stream<Path> s = Files.list(dir)) {
        empty = s.findAny().isEmpty();
      }
      if (!empty && !Files.exists(dir.resolve(MARKER))) {
        throw new IllegalArgumentException(
            "--dir "
                + dir
                + " is not empty and was not made by an earlier demo; give an empty or new"
                + " directory");
      }
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          if (!p.equals(dir)) {
            Files.delete(p);
          }
        }
      }
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(MARKER), "made by 'freshet demo'; wiped by the next run\n");
  }

  private void clickSent(dev.freshet.data.ClickEvent c, long sentAtMillis) {
    List<String> frozenBefore = frozen.frozen() ? frozen.latest(c.userId()) : null;
    figures.click(c.eventId(), c.videoId(), frozenBefore);
    frozen.observe(c);
    synchronized (recentUsers) {
      recentUsers.remove(c.userId());
      recentUsers.add(c.userId());
      if (recentUsers.size() > RECENT_USERS) {
        recentUsers.remove(recentUsers.iterator().next());
      }
    }
  }

  private void sample() {
    try {
      Map<String, Double> t = trainer.metrics().snapshot();
      figures.sample(
          System.currentTimeMillis(),
          new LiveFigures.External(
              t.get("freshet_trainer_instances_total"),
              t.get("freshet_trainer_loss_smoothed"),
              t.get("freshet_trainer_snapshot_version"),
              streamApp.model().version(),
              frozen.version(),
              t.get("freshet_trainer_freshness_ms_p50"),
              t.get("freshet_trainer_freshness_ms_p99")));
    } catch (RuntimeException e) {
      log.error("sampling the demo's figures failed", e);
    }
  }

  /** The figures. */
  @Override
  public LiveFigures figures() {
    return figures;
  }

  /** The dashboard's URL. */
  public String dashboardUrl() {
    return dashboard.url();
  }

  /** The stream app's interactive-query URL. */
  public String streamAppUrl() {
    return "http://127.0.0.1:" + streamApp.httpPort() + "/";
  }

  /** Kafka's bootstrap servers. */
  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** Whether the source has been sent completely. */
  public boolean sourceExhausted() {
    return feeder.exhausted();
  }

  /** Why the trainer stopped, or null while it runs. */
  public Throwable trainerFailure() {
    return trainerFailure;
  }

  /** The frozen copy. */
  FrozenModel frozen() {
    return frozen;
  }

  @Override
  public List<String> recentUsers() {
    synchronized (recentUsers) {
      List<String> l = new ArrayList<>(recentUsers);
      java.util.Collections.reverse(l);
      return l;
    }
  }

  @Override
  public RecommendationMonitor.Received received(String userId) {
    return monitor.latest(userId);
  }

  @Override
  public List<ItemScore> frozenList(String userId) {
    return frozen.latestScored(userId);
  }

  @Override
  public int streamAppPort() {
    return streamApp.httpPort();
  }

  @Override
  public ObjectNode status() {
    ObjectNode n = JSON.createObjectNode();
    n.put("source", sourceDescription);
    n.put("rate", settings.rate());
    n.put("k", settings.topK());
    n.put("partitions", settings.partitions());
    n.put("modelSize", settings.modelSize().name().toLowerCase(java.util.Locale.ROOT));
    n.put("featAppearLimit", settings.featAppearLimit());
    n.put("frozenAfterSeconds", settings.frozenAfter().toSeconds());
    n.put("bootstrapServers", cluster.bootstrapServers());
    n.put("schemaRegistryUrl", cluster.registryUrl());
    n.put("streamAppUrl", streamAppUrl());
    n.put("startedAt", feedStartMillis);
    n.put("setupMs", feedStartMillis - setupStartMillis);
    n.put("clicksSent", feeder.sent());
    n.put("clicksTotal", feeder.total());
    n.put("sourceExhausted", feeder.exhausted());
    n.put("recommendations", figures.recommendations());
    n.put("modelRecommendations", figures.modelRecommendations());
    putSince(n, "firstRecommendationMs", figures.firstRecommendationMillis());
    putSince(n, "firstModelRecommendationMs", figures.firstModelRecommendationMillis());
    long jvm = ManagementFactory.getRuntimeMXBean().getStartTime();
    n.put("jvmStartToFeedMs", feedStartMillis - jvm);
    n.put("servedVersion", streamApp.model().version());
    n.put("frozenVersion", frozen.version());
    putSince(n, "frozenAtMs", frozen.frozenAtMillis());
    n.put("recallOnlineOverall", figures.onlineRecallOverall());
    n.put("notJudged", figures.notJudged());
    double[] paired = figures.pairedRecallOverall();
    n.put("recallOnlinePairedOverall", paired[0]);
    n.put("recallFrozenPairedOverall", paired[1]);
    n.put("pairedClicks", (long) paired[2]);
    n.put("trainerFailed", trainerFailure == null ? null : trainerFailure.toString());
    return n;
  }

  private void putSince(ObjectNode n, String field, long millis) {
    if (millis < 0) {
      n.putNull(field);
    } else {
      n.put(field, millis - feedStartMillis);
    }
  }

  static String fmtRate(double r) {
    return r == Math.rint(r) ? Long.toString((long) r) : String.format("%.1f", r);
  }

  /** Stops everything that was started, in reverse order. */
  @Override
  public void close() {
    while (!closers.isEmpty()) {
      AutoCloseable c = closers.pop();
      try {
        c.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        log.warn("interrupted while stopping {}", c);
      } catch (Exception e) {
        log.warn("stopping {} failed", c, e);
      }
    }
  }
}
