package dev.freshet.evaluation.online;

import dev.freshet.avro.Judgement;
import dev.freshet.avro.ModelUpdate;
import dev.freshet.avro.Recommendations;
import dev.freshet.avro.ScoredItem;
import dev.freshet.data.ClickEvent;
import dev.freshet.embedded.kafka.EmbeddedKafkaBroker;
import dev.freshet.embedded.registry.EmbeddedSchemaRegistry;
import dev.freshet.model.ModelConfig;
import dev.freshet.model.UserContext;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.streams.StreamApp;
import dev.freshet.streams.StreamAppConfig;
import dev.freshet.streams.retrieval.ItemScore;
import dev.freshet.streams.serving.ServingModel;
import dev.freshet.trainer.OnlineTrainer;
import dev.freshet.trainer.TrainerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Replays a click log through the real stream app and trainer, on an embedded broker and registry
 * in this JVM, in event-time order and in lockstep, and reports prequential HR@K and NDCG@K of the
 * online model, a frozen copy, and online popularity and co-occurrence on the same clicks.
 *
 * <p><b>Lockstep.</b> Every per-user topic has one partition, so the stream app processes the
 * clicks in the order they are sent, which is the log's event-time order. It scores each click as
 * it arrives ({@code batch.max.size=1}), so a click's training instance and recommendations are
 * written together and the user's next click is judged against exactly that list. The trainer
 * publishes after every {@code publishEvery} instances ({@code publish.every.instances}), never
 * because time passed. The log is sent in segments of {@code publishEvery} clicks; after each, the
 * replay waits until every recommendation of the segment has been committed ({@code
 * read_committed}) and the stream app has indexed the snapshot the segment completed, and only then
 * sends the next. Which model version scores which click is therefore fixed by the log: click
 * {@code i} (0-based) is scored with the snapshot trained on the first {@code publishEvery *
 * floor(i / publishEvery)} instances. Nothing is stale because the machine was slow.
 *
 * <p><b>Judging.</b> Each click of a user who clicked before is tested against the list produced
 * for that user right after the user's previous click: the online model's from the {@code
 * judgement} the stream app put on the click's {@code Recommendations} (cross-checked against the
 * list read from the topic), the baselines' from their state after that click; the baselines then
 * learn the click. Every list leaves out the user's last {@code historySize} clicked items, as the
 * stream app does. The frozen copy is the snapshot served once {@code frozenAfter} of the log has
 * been sent, rebuilt from the parameter log; it is compared with the others on the clicks whose
 * user's previous click also came after the freeze, so that every list of the comparison was
 * produced after it.
 *
 * <p><b>Serial partitions</b> ({@link Settings#serialPartitions()}, a diagnostic): each segment is
 * sent in parts, one per partition of {@code training-instances}, and each part waits for a served
 * snapshot of everything sent so far. Clicks are then sent in that order, which keeps every user's
 * clicks in event-time order but not the log's order across users.
 */
public final class OnlineEvaluation {

  /** Publishing by time: the trainers' publish interval and longest wait to fill a batch. */
  static final long TIME_BASED_WAIT_MS = 1_000;

  /** Recommenders in the report, in this order. */
  public static final List<String> RECOMMENDERS =
      List.of("online", "frozen", "popularity", "co-occurrence");

  private static final int EXACT_THRESHOLD = 10_000_000;
  private static final int CO_OCCURRENCE_WINDOW = 5;
  private static final int SLICES = 10;
  private static final String CLICKS = "clicks";
  private static final String CLICKS_DLQ = "clicks-dlq";
  private static final String RECOMMENDATIONS = "recommendations";
  private static final String MODEL_PARAMS = "model-params";

  /**
   * What to run.
   *
   * @param dir working directory (broker log, stream state, trainer checkpoints); must be empty or
   *     absent
   * @param k the list length: K of HR@K and NDCG@K, {@code recommendations.size} of the stream app
   * @param seed the model's seed
   * @param frozenAfter share of the log after which the frozen copy is taken, in [0, 1)
   * @param historySize clicks in a user's window ({@code history.size}, the model's window)
   * @param publishEvery instances per published snapshot (and clicks per lockstep segment)
   * @param batchSize the trainer's mini-batch
   * @param featAppearLimit clicks a feature value needs for its own row
   * @param segmentTimeout longest wait for one segment's outputs before the run fails
   * @param trainers trainers of one group sharing the training, on as many partitions of {@code
   *     training-instances}
   * @param publishByTime whether the trainers publish by time ({@code publish.interval.ms}) instead
   *     of every {@code publishEvery} instances; then each segment waits for a served snapshot that
   *     holds every instance sent so far. Several trainers always publish by time.
   * @param serialPartitions 0 for the usual lockstep; otherwise each segment is sent in parts, one
   *     per partition of {@code training-instances} when it has this many (in partition order, each
   *     part in event-time order), and each part waits for a served snapshot holding every instance
   *     sent so far, so that trainers of one partition each never train in parallel. A diagnostic
   *     ({@link SerialSegments}); it implies publishing by time.
   */
  public record Settings(
      Path dir,
      int k,
      long seed,
      double frozenAfter,
      int historySize,
      int publishEvery,
      int batchSize,
      int featAppearLimit,
      Duration segmentTimeout,
      int trainers,
      boolean publishByTime,
      int serialPartitions) {

    /** Validates. */
    public Settings {
      if (trainers < 1 || trainers > 16) {
        throw new IllegalArgumentException("trainers must be in [1, 16], was " + trainers);
      }
      if (serialPartitions < 0 || serialPartitions > 16) {
        throw new IllegalArgumentException(
            "serialPartitions must be in [0, 16], was " + serialPartitions);
      }
      if (serialPartitions > 0 && trainers > 1 && serialPartitions != trainers) {
        throw new IllegalArgumentException(
            "serialPartitions must be 0 or the number of trainers ("
                + trainers
                + "), was "
                + serialPartitions);
      }
      publishByTime |= trainers > 1 || serialPartitions > 0;
      Objects.requireNonNull(dir, "dir");
      Objects.requireNonNull(segmentTimeout, "segmentTimeout");
      if (k < 1 || k > 10_000) {
        throw new IllegalArgumentException("k must be in [1, 10000], was " + k);
      }
      if (!(frozenAfter >= 0 && frozenAfter < 1)) {
        throw new IllegalArgumentException("frozenAfter must be in [0, 1), was " + frozenAfter);
      }
      if (historySize < 1 || historySize > 1000) {
        throw new IllegalArgumentException("historySize must be in [1, 1000], was " + historySize);
      }
      if (publishEvery < 1 || batchSize < 1 || featAppearLimit < 1) {
        throw new IllegalArgumentException(
            "publishEvery, batchSize and featAppearLimit must be >= 1, were "
                + publishEvery
                + ", "
                + batchSize
                + ", "
                + featAppearLimit);
      }
    }

    /**
     * The defaults: K 20, frozen after 30%, the model's default window, a snapshot every 256
     * instances.
     */
    public static Settings defaults(Path dir) {
      return new Settings(
          dir,
          20,
          42,
          0.3,
          ModelConfig.builder().build().maxWindow(),
          256,
          64,
          1,
          Duration.ofMinutes(5),
          1,
          false,
          0);
    }

    /**
     * The model the trainer learns: the default model ({@code ModelConfig.builder()}, the one
     * {@code evaluate} and a deployed trainer use), with this run's admission limit, window and
     * seed.
     */
    Map<String, String> modelKeys() {
      Map<String, String> m = new HashMap<>();
      m.put("model.featAppearLimit", Integer.toString(featAppearLimit));
      m.put("model.maxWindow", Integer.toString(historySize));
      m.put("model.seed", Long.toString(seed));
      return m;
    }
  }

  private final Settings settings;
  private final List<ClickEvent> clicks; // in the order they are sent
  private final List<Integer> segmentEnds;
  private final PrintStream progress;
  private final BaselineJudge baselines;
  private final UserWindows windows;
  private final Map<String, List<String>> lastOnline = new HashMap<>();
  private final Map<String, Integer> lastClickIndex = new HashMap<>();
  private final Map<String, PrequentialScore> all = new HashMap<>();
  private final Map<String, PrequentialScore> paired = new HashMap<>();
  private final Map<String, PrequentialScore[]> slices = new HashMap<>();
  private long notJudged;
  private long deadLettered;
  private long mismatches;
  private long accepted;
  private int freezeIndex = -1;
  private long frozenVersion = -1;
  private ServingModel frozen;
  private volatile Throwable trainerFailure;

  private OnlineEvaluation(Settings settings, List<ClickEvent> clicks, PrintStream progress) {
    this.settings = settings;
    SerialSegments segments =
        settings.serialPartitions() > 0
            ? SerialSegments.byPartition(
                clicks, settings.publishEvery(), settings.serialPartitions())
            : SerialSegments.consecutive(clicks, settings.publishEvery());
    this.clicks = segments.clicks();
    this.segmentEnds = segments.ends();
    this.progress = progress;
    this.baselines = new BaselineJudge(settings.k(), settings.historySize(), CO_OCCURRENCE_WINDOW);
    this.windows = baselines.windows();
    for (String r : RECOMMENDERS) {
      all.put(r, new PrequentialScore());
      paired.put(r, new PrequentialScore());
      PrequentialScore[] s = new PrequentialScore[SLICES];
      for (int i = 0; i < SLICES; i++) {
        s[i] = new PrequentialScore();
      }
      slices.put(r, s);
    }
  }

  /**
   * Replays {@code clicks} (event-time order) and reports.
   *
   * @param source a description of the clicks for the report
   * @param progress where a line goes every tenth of the log
   * @throws IllegalArgumentException if the clicks are empty or out of event-time order, or the
   *     directory is not empty
   * @throws IllegalStateException if the pipeline does not produce a segment's outputs in time
   */
  public static OnlineReport run(
      List<ClickEvent> clicks, String source, Settings settings, PrintStream progress)
      throws IOException, InterruptedException {
    Objects.requireNonNull(clicks, "clicks");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(progress, "progress");
    if (clicks.isEmpty()) {
      throw new IllegalArgumentException("no clicks to replay");
    }
    for (int i = 1; i < clicks.size(); i++) {
      if (clicks.get(i).eventTimeMillis() < clicks.get(i - 1).eventTimeMillis()) {
        throw new IllegalArgumentException(
            "clicks must be in event-time order; click " + i + " is older than the one before");
      }
    }
    Path dir = settings.dir().toAbsolutePath();
    if (Files.exists(dir)) {
      try (var s = Files.list(dir)) {
        if (s.findAny().isPresent()) {
          throw new IllegalArgumentException("working directory is not empty: " + dir);
        }
      }
    }
    Files.createDirectories(dir);
    long start = System.nanoTime();
    OnlineEvaluation e = new OnlineEvaluation(settings, List.copyOf(clicks), progress);
    e.replay(dir);
    return e.report(source, (System.nanoTime() - start) / 1e9);
  }

  private void replay(Path dir) throws InterruptedException {
    try (EmbeddedKafkaBroker broker =
            EmbeddedKafkaBroker.start(
                new EmbeddedKafkaBroker.Options()
                    .dataDir(dir.resolve("kafka"))
                    .port(0)
                    .autoCreateTopics(false));
        EmbeddedSchemaRegistry registry =
            EmbeddedSchemaRegistry.start(
                new EmbeddedSchemaRegistry.Options(broker.bootstrapServers()))) {
      String bootstrap = broker.bootstrapServers();
      createTopics(bootstrap);
      try (StreamApp app =
          StreamApp.start(new StreamAppConfig(streamConfig(bootstrap, registry.url(), dir)))) {
        List<OnlineTrainer> trainers = new ArrayList<>();
        List<Thread> trainerThreads = new ArrayList<>();
        for (int i = 0; i < settings.trainers(); i++) {
          OnlineTrainer trainer =
              new OnlineTrainer(
                  new TrainerConfig(trainerConfig(bootstrap, registry.url(), dir, i)));
          Thread trainerThread =
              new Thread(
                  () -> {
                    try {
                      trainer.run();
                    } catch (RuntimeException | Error e) {
                      trainerFailure = e;
                    }
                  },
                  "freshet-evaluate-trainer-" + i);
          trainerThread.setDaemon(true);
          trainerThread.start();
          trainers.add(trainer);
          trainerThreads.add(trainerThread);
        }
        try {
          Map<String, Object> serde = Map.of("schema.registry.url", registry.url());
          await(
              () ->
                  app.model().indexedVersion() >= 1
                      && app.streams().state() == KafkaStreams.State.RUNNING,
              "the stream app running and serving the trainer's first snapshot");
          replaySegments(bootstrap, serde, app);
        } finally {
          for (OnlineTrainer trainer : trainers) {
            trainer.close();
          }
          for (Thread t : trainerThreads) {
            t.join(TimeUnit.SECONDS.toMillis(70));
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException("the stream app did not start", e);
      } finally {
        if (frozen != null) {
          frozen.close();
        }
      }
    }
  }

  private void replaySegments(String bootstrap, Map<String, Object> serde, StreamApp app)
      throws InterruptedException {
    Deserializer<Recommendations> recsIn =
        AvroSerdes.specific(Recommendations.class, serde, false).deserializer();
    int total = clicks.size();
    int n = settings.publishEvery();
    int freezeAt = (int) Math.ceil(settings.frozenAfter() * total);
    int nextReport = Math.max(1, total / 10);
    try (KafkaProducer<String, dev.freshet.avro.ClickEvent> producer =
            new KafkaProducer<>(
                producerConfig(bootstrap),
                new StringSerializer(),
                AvroSerdes.specific(dev.freshet.avro.ClickEvent.class, serde, false).serializer());
        KafkaConsumer<String, byte[]> recs = reader(bootstrap, RECOMMENDATIONS);
        KafkaConsumer<String, byte[]> dlq = reader(bootstrap, CLICKS_DLQ)) {
      int from = 0;
      for (int to : segmentEnds) {
        if (freezeIndex < 0 && from >= freezeAt) {
          freeze(bootstrap, serde, app.model().indexedVersion(), from);
        }
        for (int i = from; i < to; i++) {
          ClickEvent c = clicks.get(i);
          producer.send(
              new ProducerRecord<>(CLICKS, null, c.eventTimeMillis(), c.userId(), toAvro(c)));
        }
        producer.flush();
        Map<String, Recommendations> out = new HashMap<>();
        int dead = collect(recs, dlq, recsIn, to - from, out);
        deadLettered += dead;
        judge(from, to, out);
        if (settings.publishByTime()) {
          long sent = accepted;
          await(
              () ->
                  app.model()
                      .served()
                      .filter(sv -> sv.manifest().getInstancesApplied() >= sent)
                      .filter(sv -> app.model().indexedVersion() >= sv.manifest().getVersion())
                      .isPresent(),
              "the stream app serving a snapshot of all " + sent + " instances after click " + to);
        } else if (to - from == n) {
          long expected = 1 + (accepted / n);
          await(
              () -> app.model().indexedVersion() >= expected,
              "the stream app serving snapshot v" + expected + " after click " + to);
        }
        if (to >= nextReport || to == total) {
          PrequentialScore o = all.get("online");
          progress.printf(
              "  %,d / %,d clicks, model v%d, online HR@%d %.4f NDCG@%d %.4f%n",
              to, total, app.model().version(), settings.k(), o.hitRatio(), settings.k(), o.ndcg());
          nextReport = to + Math.max(1, total / 10);
        }
        from = to;
      }
    }
  }

  /** Reads the segment's recommendations and dead letters until {@code size} are accounted for. */
  private int collect(
      KafkaConsumer<String, byte[]> recs,
      KafkaConsumer<String, byte[]> dlq,
      Deserializer<Recommendations> recsIn,
      int size,
      Map<String, Recommendations> out)
      throws InterruptedException {
    int dead = 0;
    long deadline = System.nanoTime() + settings.segmentTimeout().toNanos();
    while (out.size() + dead < size) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "timed out after "
                + settings.segmentTimeout()
                + " waiting for a segment's recommendations: "
                + (out.size() + dead)
                + " of "
                + size);
      }
      for (ConsumerRecord<String, byte[]> r : recs.poll(Duration.ofMillis(20))) {
        Recommendations rec = recsIn.deserialize(r.topic(), r.headers(), r.value());
        out.put(rec.getEventId(), rec);
      }
      dead += dlq.poll(Duration.ZERO).count();
    }
    return dead;
  }

  /** Judges the segment's clicks for every recommender, then lets the baselines learn them. */
  private void judge(int from, int to, Map<String, Recommendations> out) {
    List<UserContext> frozenUsers = new ArrayList<>();
    List<Set<String>> frozenExclude = new ArrayList<>();
    List<String> frozenTargets = new ArrayList<>();
    List<Integer> frozenSlices = new ArrayList<>();
    for (int i = from; i < to; i++) {
      ClickEvent c = clicks.get(i);
      Recommendations rec = out.get(c.eventId());
      if (rec == null) {
        continue; // dead-lettered: the stream app has no trace of it, neither do the baselines
      }
      accepted++;
      String user = c.userId();
      String item = c.videoId();
      int slice = (int) ((long) i * SLICES / clicks.size());
      Judgement j = rec.getJudgement();
      boolean afterFreeze =
          freezeIndex >= 0 && lastClickIndex.getOrDefault(user, -1) >= freezeIndex;
      if (afterFreeze) {
        // the frozen copy's list for the user as of the previous click: the window before this one
        frozenUsers.add(windows.context(user));
        frozenExclude.add(windows.seen(user));
        frozenTargets.add(item);
        frozenSlices.add(slice);
      }
      BaselineJudge.Ranks ranks = baselines.observe(c);
      if (ranks != null) {
        int ownRank = lastOnline.get(user).indexOf(item);
        if (j == null || j.getRank() != ownRank) {
          mismatches++;
        }
        int onlineRank = j == null ? ownRank : j.getRank();
        int popRank = ranks.popularity();
        int coRank = ranks.coOccurrence();
        record("online", slice, onlineRank, false);
        record("popularity", slice, popRank, false);
        record("co-occurrence", slice, coRank, false);
        if (afterFreeze) {
          record("online", slice, onlineRank, true);
          record("popularity", slice, popRank, true);
          record("co-occurrence", slice, coRank, true);
        }
      } else {
        notJudged++;
        if (j != null) {
          mismatches++;
        }
      }
      List<String> listed = new ArrayList<>(rec.getItems().size());
      for (ScoredItem s : rec.getItems()) {
        listed.add(s.getVideoId());
      }
      lastOnline.put(user, listed);
      lastClickIndex.put(user, i);
    }
    if (!frozenUsers.isEmpty()) {
      List<List<ItemScore>> lists = new ArrayList<>();
      frozen
          .score(frozenUsers, frozenExclude, settings.k())
          .ifPresentOrElse(
              b -> b.users().forEach(s -> lists.add(s.items())),
              () -> frozenUsers.forEach(u -> lists.add(List.of())));
      for (int u = 0; u < frozenUsers.size(); u++) {
        int rank = -1;
        List<ItemScore> l = lists.get(u);
        for (int r = 0; r < l.size(); r++) {
          if (l.get(r).itemId().equals(frozenTargets.get(u))) {
            rank = r;
            break;
          }
        }
        record("frozen", frozenSlices.get(u), rank, true);
      }
    }
  }

  private void record(String recommender, int slice, int rank, boolean pairedOnly) {
    if (pairedOnly) {
      paired.get(recommender).record(rank);
    } else {
      all.get(recommender).record(rank);
      slices.get(recommender)[slice].record(rank);
    }
  }

  /**
   * Takes the frozen copy: a serving model of its own, rebuilt from the parameter log up to the
   * version the stream app serves now (the trainer publishes nothing more until the next segment).
   */
  private void freeze(String bootstrap, Map<String, Object> serde, long version, int index) {
    Deserializer<ModelUpdate> in =
        AvroSerdes.specific(ModelUpdate.class, serde, false).deserializer();
    frozen = new ServingModel(EXACT_THRESHOLD);
    try (KafkaConsumer<String, byte[]> c = reader(bootstrap, MODEL_PARAMS)) {
      TopicPartition tp = new TopicPartition(MODEL_PARAMS, 0);
      long end = c.endOffsets(List.of(tp)).get(tp);
      long deadline = System.nanoTime() + settings.segmentTimeout().toNanos();
      while (c.position(tp) < end) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("timed out reading the parameter log for the freeze");
        }
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
          frozen
              .assembler()
              .accept(
                  r.key(),
                  r.value() == null ? null : in.deserialize(r.topic(), r.headers(), r.value()));
        }
      }
    }
    if (frozen.indexedVersion() != version) {
      throw new IllegalStateException(
          "the frozen copy reached v"
              + frozen.indexedVersion()
              + " but the stream app serves v"
              + version);
    }
    freezeIndex = index;
    frozenVersion = version;
    progress.printf("  frozen copy taken at v%d after %,d clicks%n", version, index);
  }

  private OnlineReport report(String source, double seconds) {
    List<OnlineReport.Row> rows = new ArrayList<>();
    for (String r : RECOMMENDERS) {
      PrequentialScore[] s = slices.get(r);
      List<Double> hr = new ArrayList<>(SLICES);
      for (PrequentialScore x : s) {
        hr.add(x.hitRatio());
      }
      rows.add(
          new OnlineReport.Row(
              r,
              r.equals("frozen") ? null : OnlineReport.Score.of(all.get(r)),
              OnlineReport.Score.of(paired.get(r)),
              r.equals("frozen") ? List.of() : hr));
    }
    return new OnlineReport(
        source,
        clicks.size(),
        lastClickIndex.size(),
        accepted,
        deadLettered,
        notJudged,
        mismatches,
        settings.k(),
        settings.seed(),
        settings.frozenAfter(),
        freezeIndex,
        frozenVersion,
        settings.publishEvery(),
        settings.historySize(),
        rows,
        seconds);
  }

  private void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + settings.segmentTimeout().toNanos();
    while (!condition.getAsBoolean()) {
      if (trainerFailure != null) {
        throw new IllegalStateException("the trainer stopped: " + trainerFailure, trainerFailure);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      TimeUnit.MILLISECONDS.sleep(2);
    }
  }

  private static KafkaConsumer<String, byte[]> reader(String bootstrap, String topic) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    TopicPartition tp = new TopicPartition(topic, 0);
    consumer.assign(List.of(tp));
    consumer.seekToBeginning(List.of(tp));
    return consumer;
  }

  private void createTopics(String bootstrap) {
    // Event times of a log can be years old: time-based retention is off on the replay's topics.
    Map<String, String> keep = Map.of("retention.ms", "-1");
    Map<String, String> compact = Map.of("cleanup.policy", "compact");
    List<NewTopic> topics = new ArrayList<>();
    for (String t :
        List.of(
            CLICKS, CLICKS_DLQ, "training-instances", "training-instances-dlq", RECOMMENDATIONS)) {
      int partitions = t.equals("training-instances") ? settings.trainers() : 1;
      topics.add(new NewTopic(t, partitions, (short) 1).configs(keep));
    }
    if (settings.trainers() > 1) {
      // One record per contribution, as large as the trainer's requests (TopicSet does the same).
      topics.add(
          new NewTopic("model-sync", 1, (short) 1)
              .configs(Map.of("retention.ms", "-1", "max.message.bytes", "16777216")));
    }
    for (String t : List.of("user-vectors", MODEL_PARAMS, "item-vectors", "snapshots")) {
      topics.add(new NewTopic(t, 1, (short) 1).configs(compact));
    }
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not create the replay's topics", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }

  private Map<String, Object> streamConfig(String bootstrap, String registry, Path dir) {
    Map<String, Object> c = new HashMap<>();
    c.put(StreamAppConfig.BOOTSTRAP_SERVERS, bootstrap);
    c.put(StreamAppConfig.SCHEMA_REGISTRY_URL, registry);
    c.put(StreamAppConfig.APPLICATION_ID, "freshet-evaluate-online");
    c.put(StreamAppConfig.STATE_DIR, dir.resolve("streams").toString());
    c.put(StreamAppConfig.HTTP_PORT, 0);
    c.put(StreamAppConfig.RECOMMENDATIONS_SIZE, settings.k());
    c.put(StreamAppConfig.HISTORY_SIZE, settings.historySize());
    // Score each click as it arrives: its instance and its list then go out together, and the
    // user's next click is judged against exactly that list.
    c.put(StreamAppConfig.BATCH_MAX_SIZE, 1);
    // Exact search: the list does not depend on how an HNSW graph happened to be built.
    c.put(StreamAppConfig.INDEX_EXACT_THRESHOLD, EXACT_THRESHOLD);
    // One instance: no standby replica to place.
    c.put(StreamAppConfig.NUM_STANDBY_REPLICAS, 0);
    return c;
  }

  private Map<String, Object> trainerConfig(
      String bootstrap, String registry, Path dir, int index) {
    Map<String, Object> c = new HashMap<>(settings.modelKeys());
    if (clicks.stream().anyMatch(click -> !click.searchTokens().isEmpty())) {
      // The log carries search tokens: the model reads them, as evaluate and train do.
      c.put("model.searchDim", Integer.toString(ModelConfig.SEARCH_DIM_WHEN_PRESENT));
    }
    c.put(TrainerConfig.BOOTSTRAP_SERVERS, bootstrap);
    c.put(TrainerConfig.SCHEMA_REGISTRY_URL, registry);
    c.put(TrainerConfig.CHECKPOINT_DIR, dir.resolve("trainer-" + index).toString());
    c.put(TrainerConfig.BATCH_SIZE, Integer.toString(settings.batchSize()));
    if (settings.trainers() > 1) {
      c.put(TrainerConfig.INSTANCE_ID, "t" + index);
    }
    if (settings.publishByTime()) {
      // The lockstep waits for a snapshot holding every instance of the segment, whatever
      // trainer trained it and whenever it was published. A segment's instances arrive over a
      // fraction of a second: waiting up to a second lets them fill whole mini-batches, as
      // publishing by count does, instead of many small ones.
      c.put(TrainerConfig.PUBLISH_INTERVAL_MS, Long.toString(TIME_BASED_WAIT_MS));
      c.put(TrainerConfig.BATCH_MAX_WAIT_MS, Long.toString(TIME_BASED_WAIT_MS));
    } else {
      c.put(TrainerConfig.PUBLISH_EVERY_INSTANCES, Integer.toString(settings.publishEvery()));
    }
    return c;
  }

  private static Map<String, Object> producerConfig(String bootstrap) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    c.put(ProducerConfig.CLIENT_ID_CONFIG, "freshet-evaluate-online");
    return c;
  }

  private static dev.freshet.avro.ClickEvent toAvro(ClickEvent c) {
    return dev.freshet.avro.ClickEvent.newBuilder()
        .setEventId(c.eventId())
        .setUserId(c.userId())
        .setVideoId(c.videoId())
        .setEventTime(Instant.ofEpochMilli(c.eventTimeMillis()))
        .setProvince(c.province())
        .setCity(c.city())
        .setPhone(c.phone())
        .setCategory(c.category())
        .setTags(new ArrayList<>(c.tags()))
        .setSearchTokens(new ArrayList<>(c.searchTokens()))
        .build();
  }
}
