package dev.freshet.cli.ops;

import dev.freshet.avro.ModelUpdate;
import dev.freshet.cli.TopicSet;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.streams.StreamApp;
import dev.freshet.streams.StreamAppConfig;
import dev.freshet.trainer.OnlineTrainer;
import dev.freshet.trainer.TrainerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code freshet replay}: a backfill that rebuilds a model version from the retained {@code clicks}
 * log, next to the live pipeline and without disturbing it (see {@link ReplayPlan} for what a tag
 * owns and docs/operations.md for the operator's procedure).
 *
 * <ol>
 *   <li>If the tag ran before, {@code --reset} resets it ({@link TagReset}); without it the command
 *       refuses.
 *   <li>The tag's topics are created.
 *   <li>Clicks at offsets {@code [offsetsForTimes(T), offsetsForTimes(U))} are copied into {@code
 *       clicks.TAG} in a canonical order ({@link ClickRangeCopier}).
 *   <li>The stream app runs under application id {@code freshet-replay-TAG} until it has committed
 *       all of {@code clicks.TAG}; then it is closed.
 *   <li>The trainer runs in deterministic mode under group and transactional id {@code
 *       freshet-trainer-replay-TAG} until it has committed all of {@code training-instances.TAG};
 *       then it is closed.
 *   <li>The published model's {@link ParamFingerprint} is printed: the same log range and seed give
 *       the same fingerprint.
 * </ol>
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Backfill: rebuild a model version from the retained clicks log into a new application id,"
          + " consumer group, transactional id and versioned topics (NAME.TAG); the live pipeline"
          + " is not touched.",
      "Deterministic: the same range of the same log with the same seed publishes the same model"
          + " (compare the printed fingerprint). See docs/operations.md."
    })
public final class ReplayCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;

  @Option(
      names = "--schema-registry-url",
      required = true,
      paramLabel = "URL",
      description = "Confluent-compatible schema registry.")
  String registryUrl;

  @Option(
      names = "--from-time",
      required = true,
      paramLabel = "T",
      converter = Converters.InstantConverter.class,
      description = "Replay clicks from the first offset at or after T (offsetsForTimes).")
  Instant fromTime;

  @Option(
      names = "--to-time",
      paramLabel = "U",
      converter = Converters.InstantConverter.class,
      description = "Stop before the first offset at or after U (default: the log's current end).")
  Instant toTime;

  @Option(
      names = "--version-tag",
      required = true,
      paramLabel = "NAME",
      description =
          "Names the rebuilt version: topics NAME.TAG, application id freshet-replay-TAG.")
  String tag;

  @Option(
      names = "--reset",
      description =
          "The tag ran before: stop-check, then delete its groups, topics, internal topics and"
              + " local state, and run it again from scratch.")
  boolean reset;

  @Option(
      names = "--cut-over",
      description = "After the backfill, print the exact steps to put the rebuilt model live.")
  boolean cutOver;

  @Option(names = "--seed", description = "Model seed (model.seed of the trainer).")
  Long seed;

  @Option(
      names = "--source-topic",
      defaultValue = "clicks",
      description = "The click log to replay (default: ${DEFAULT-VALUE}).")
  String sourceTopic;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Local state of replays: DIR/TAG/streams and DIR/TAG/trainer (default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:java.io.tmpdir}/freshet-replay")
  Path stateDir;

  @Option(
      names = "--stream-config",
      paramLabel = "FILE",
      description = "The live stream app's properties (history.size, ...) to replay with.")
  Path streamConfigFile;

  @Option(
      names = "--trainer-config",
      paramLabel = "FILE",
      description = "The live trainer's properties (model.*, batch.size, ...) to replay with.")
  Path trainerConfigFile;

  @Option(
      names = {"-S", "--stream-property"},
      paramLabel = "KEY=VALUE",
      description = "A stream app property (after --stream-config); repeatable.")
  Map<String, String> streamProperties = new LinkedHashMap<>();

  @Option(
      names = {"-T", "--trainer-property"},
      paramLabel = "KEY=VALUE",
      description = "A trainer property (after --trainer-config); repeatable.")
  Map<String, String> trainerProperties = new LinkedHashMap<>();

  @Option(
      names = "--replication-factor",
      paramLabel = "R",
      defaultValue = "-1",
      description = "Replicas of the tag's topics; -1 (default) = the broker's default.")
  short replicationFactor;

  @Option(
      names = "--stall-timeout",
      paramLabel = "DURATION",
      defaultValue = "10m",
      converter = Converters.DurationConverter.class,
      description =
          "Fail when a phase makes no progress for this long (default: ${DEFAULT-VALUE}).")
  Duration stallTimeout;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** What a finished backfill produced. */
  record Result(long clicks, long instances, ParamFingerprint model) {}

  @Override
  public Integer call() throws IOException, InterruptedException {
    CommandLine cl = spec.commandLine();
    if (toTime != null && !toTime.isAfter(fromTime)) {
      throw new CommandLine.ParameterException(
          cl, "--to-time " + toTime + " must be after --from-time " + fromTime);
    }
    ReplayPlan plan;
    try {
      plan = new ReplayPlan(tag, stateDir);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, "--version-tag: " + e.getMessage());
    }
    StreamAppConfig streamsConfig;
    TrainerConfig trainerConfig;
    try {
      streamsConfig = new StreamAppConfig(streamProps(plan));
      trainerConfig = new TrainerConfig(trainerProps(plan));
    } catch (ConfigException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
    Result result = run(plan, streamsConfig, trainerConfig, cl.getOut());
    PrintWriter out = cl.getOut();
    out.printf(
        "replay %s done: %d clicks, %d training instances, model version %d%n",
        plan.tag(), result.clicks(), result.instances(), result.model().version());
    out.printf("model fingerprint sha256=%s%n", result.model().sha256());
    out.println(
        cutOver
            ? cutOverSteps(plan)
            : "Outputs are in the *."
                + plan.tag()
                + " topics; the live pipeline was not touched. --cut-over prints how to put this"
                + " model live.");
    out.flush();
    return 0;
  }

  Map<String, Object> streamProps(ReplayPlan plan) throws IOException {
    Map<String, Object> p = new HashMap<>(cluster.clientProperties);
    if (streamConfigFile != null) {
      p.putAll(load(spec.commandLine(), "--stream-config", streamConfigFile));
    }
    p.putAll(streamProperties);
    p.put(StreamAppConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
    p.putAll(cluster.serdeConfig(registryUrl));
    p.put(StreamAppConfig.APPLICATION_ID, plan.applicationId());
    p.put(StreamAppConfig.STATE_DIR, plan.streamsStateDir().toString());
    p.put(StreamAppConfig.NUM_STREAM_THREADS, "1");
    p.put(StreamAppConfig.HTTP_PORT, "-1");
    p.put(StreamAppConfig.TOPIC_CLICKS, plan.clicks());
    p.put(StreamAppConfig.TOPIC_TRAINING_INSTANCES, plan.trainingInstances());
    p.put(StreamAppConfig.TOPIC_USER_VECTORS, plan.userVectors());
    p.put(StreamAppConfig.TOPIC_RECOMMENDATIONS, plan.recommendations());
    p.put(StreamAppConfig.TOPIC_CLICKS_DLQ, plan.clicksDlq());
    p.put(StreamAppConfig.TOPIC_MODEL_PARAMS, plan.modelParams());
    return p;
  }

  Map<String, Object> trainerProps(ReplayPlan plan) throws IOException {
    Map<String, Object> p = new HashMap<>();
    if (trainerConfigFile != null) {
      p.putAll(load(spec.commandLine(), "--trainer-config", trainerConfigFile));
    }
    p.putAll(trainerProperties);
    if (seed != null) {
      p.put(TrainerConfig.MODEL_PREFIX + "seed", seed.toString());
    }
    p.put(TrainerConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
    p.putAll(cluster.serdeConfig(registryUrl));
    p.put(TrainerConfig.GROUP_ID, plan.trainerId());
    p.put(TrainerConfig.TRANSACTIONAL_ID, plan.trainerId());
    p.put(TrainerConfig.TOPIC_TRAINING_INSTANCES, plan.trainingInstances());
    p.put(TrainerConfig.TOPIC_INSTANCES_DLQ, plan.instancesDlq());
    p.put(TrainerConfig.TOPIC_MODEL_PARAMS, plan.modelParams());
    p.put(TrainerConfig.TOPIC_ITEM_VECTORS, plan.itemVectors());
    p.put(TrainerConfig.TOPIC_SNAPSHOTS, plan.snapshots());
    p.put(TrainerConfig.DETERMINISTIC, "true");
    p.put(TrainerConfig.CHECKPOINT_DIR, plan.trainerCheckpointDir().toString());
    p.put(TrainerConfig.HTTP_PORT, "-1");
    return p;
  }

  Result run(
      ReplayPlan plan, StreamAppConfig streamsConfig, TrainerConfig trainerConfig, PrintWriter out)
      throws InterruptedException {
    try (Admin admin = Admin.create(cluster.clientConfig(Map.of()))) {
      TagReset tagReset = new TagReset(admin, plan);
      List<String> existing = tagReset.existing();
      if (!existing.isEmpty()) {
        if (!reset) {
          throw new IllegalStateException(
              "replay '"
                  + plan.tag()
                  + "' ran before ("
                  + String.join(", ", existing)
                  + "); stop its instances and rerun with --reset to rebuild it from scratch, or"
                  + " choose another --version-tag");
        }
        for (String r : tagReset.reset(streamsConfig)) {
          out.println("reset: removed " + r);
        }
      }
      TopicSet.create(admin, tagTopics(plan), replicationFactor);
      out.println("created topics " + String.join(", ", plan.topics()));
      out.flush();

      long clicks = copyRange(plan, out);
      if (clicks == 0) {
        throw new IllegalArgumentException(
            "no clicks on " + sourceTopic + " in [" + fromTime + ", " + rangeEnd() + ")");
      }
      runStreams(admin, plan, streamsConfig, clicks, out);
      awaitSettled(admin, plan.trainingInstances());
      long[] instances = countRecords(plan.trainingInstances());
      out.printf("stream phase done: %d training instances%n", instances[0]);
      out.flush();
      runTrainer(admin, plan, trainerConfig, instances, out);
      awaitSettled(admin, plan.modelParams());
      ParamFingerprint model = fingerprint(plan);
      return new Result(clicks, instances[0], model);
    }
  }

  private String rangeEnd() {
    return toTime == null ? "end of log" : toTime.toString();
  }

  static List<TopicSet.Spec> tagTopics(ReplayPlan plan) {
    long week = TimeUnit.DAYS.toMillis(7);
    long month = TimeUnit.DAYS.toMillis(30);
    return List.of(
        new TopicSet.Spec(plan.clicks(), 1, false, -1, "replay input: the click range"),
        new TopicSet.Spec(plan.trainingInstances(), 1, false, -1, "replay instances"),
        new TopicSet.Spec(plan.userVectors(), 1, true, -1, "replay user vectors"),
        new TopicSet.Spec(plan.recommendations(), 1, false, week, "replay recommendations"),
        new TopicSet.Spec(plan.clicksDlq(), 1, false, month, "replay click dead letters"),
        new TopicSet.Spec(plan.instancesDlq(), 1, false, month, "replay instance dead letters"),
        new TopicSet.Spec(plan.modelParams(), 1, true, -1, "replay parameter log"),
        new TopicSet.Spec(plan.itemVectors(), 1, true, -1, "replay item vectors"),
        new TopicSet.Spec(plan.snapshots(), 1, true, -1, "replay snapshot manifests"));
  }

  private long copyRange(ReplayPlan plan, PrintWriter out) {
    try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(
                cluster.clientConfig(
                    Map.of(
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.CLIENT_ID_CONFIG,
                        plan.applicationId() + "-copier")),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                cluster.clientConfig(
                    Map.of(
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        // Not idempotent: a tag topic deleted by --reset and created again
                        // under the same name can carry the old incarnation's producer state
                        // for a while, and an idempotent producer then loops on
                        // OutOfOrderSequenceException (seen in ReplayIT). One request in flight
                        // keeps the canonical order through retries; a failed send fails the
                        // copy (ClickRangeCopier).
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        false,
                        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                        1,
                        ProducerConfig.LINGER_MS_CONFIG,
                        20,
                        ProducerConfig.CLIENT_ID_CONFIG,
                        plan.applicationId() + "-copier")),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      ClickRangeCopier.Range range =
          ClickRangeCopier.resolve(consumer, sourceTopic, fromTime, toTime);
      out.printf(
          "replaying %s [%s, %s): offsets per partition %s%n",
          sourceTopic, fromTime, rangeEnd(), range);
      out.flush();
      long copied = ClickRangeCopier.copy(consumer, producer, range, plan.clicks());
      out.printf(
          "copied %d clicks into %s (one partition, canonical order)%n", copied, plan.clicks());
      out.flush();
      return copied;
    }
  }

  private void runStreams(
      Admin admin, ReplayPlan plan, StreamAppConfig config, long clicks, PrintWriter out)
      throws InterruptedException {
    TopicPartition input = new TopicPartition(plan.clicks(), 0);
    long end = endOffset(admin, input);
    StreamApp app;
    try {
      app = StreamApp.start(config);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the replay stream app: " + e.getMessage(), e);
    }
    try {
      awaitCommitted(
          admin,
          plan.applicationId(),
          input,
          end,
          () -> {
            KafkaStreams.State s = app.streams().state();
            if (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING) {
              throw new IllegalStateException("the replay stream app stopped: state " + s);
            }
            return 0;
          },
          "stream app",
          out);
    } finally {
      app.close();
    }
  }

  private void runTrainer(
      Admin admin, ReplayPlan plan, TrainerConfig config, long[] instances, PrintWriter out)
      throws InterruptedException {
    OnlineTrainer trainer = new OnlineTrainer(config);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                trainer.run();
              } catch (RuntimeException | Error e) {
                failure.set(e);
              }
            },
            "replay-trainer-" + plan.tag());
    thread.start();
    try {
      LongSupplier check =
          () -> {
            if (!thread.isAlive()) {
              Throwable t = failure.get();
              throw new IllegalStateException(
                  "the replay trainer stopped" + (t == null ? "" : ": " + t.getMessage()), t);
            }
            return trainer.metrics().version();
          };
      if (instances[0] == 0) {
        long deadline = System.nanoTime() + stallTimeout.toNanos();
        while (check.getAsLong() < 1) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the replay trainer published nothing");
          }
          TagReset.pause(Duration.ofMillis(200));
        }
      } else {
        awaitCommitted(
            admin,
            plan.trainerId(),
            new TopicPartition(plan.trainingInstances(), 0),
            instances[1] + 1,
            check,
            "trainer",
            out);
      }
    } finally {
      trainer.close();
      thread.join(TimeUnit.SECONDS.toMillis(90));
    }
    if (failure.get() != null) {
      throw new IllegalStateException(
          "the replay trainer failed: " + failure.get().getMessage(), failure.get());
    }
  }

  /**
   * Waits until {@code group} has committed {@code target} on {@code tp}; {@code check} throws if
   * the worker died. Fails after {@link #stallTimeout} without progress.
   */
  private void awaitCommitted(
      Admin admin,
      String group,
      TopicPartition tp,
      long target,
      LongSupplier check,
      String what,
      PrintWriter out)
      throws InterruptedException {
    long last = -1;
    long lastProgress = System.nanoTime();
    long lastReport = System.nanoTime();
    while (true) {
      check.getAsLong();
      Map<TopicPartition, OffsetAndMetadata> committed =
          TagReset.get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
      OffsetAndMetadata o = committed.get(tp);
      long at = o == null ? 0 : o.offset();
      if (at >= target) {
        out.printf("%s: committed %d/%d on %s%n", what, at, target, tp);
        out.flush();
        return;
      }
      long now = System.nanoTime();
      if (at != last) {
        last = at;
        lastProgress = now;
      } else if (now - lastProgress > stallTimeout.toNanos()) {
        throw new IllegalStateException(
            what + " made no progress for " + stallTimeout + " (at " + at + "/" + target + ")");
      }
      if (now - lastReport > TimeUnit.SECONDS.toNanos(10)) {
        out.printf("%s: %d/%d on %s%n", what, at, target, tp);
        out.flush();
        lastReport = now;
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      TagReset.pause(Duration.ofMillis(200));
    }
  }

  private static long endOffset(Admin admin, TopicPartition tp) {
    return TagReset.get(admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all()).get(tp).offset();
  }

  /**
   * Waits until no transaction is open on partition 0 of {@code topic}: its last stable offset has
   * caught up with its high watermark. A closed producer's last commit is acknowledged before the
   * coordinator has written the commit markers, so right after a phase ends a read_committed reader
   * can still stop short of its last transaction (and count, or fingerprint, too little).
   */
  private void awaitSettled(Admin admin, String topic) throws InterruptedException {
    TopicPartition tp = new TopicPartition(topic, 0);
    long deadline = System.nanoTime() + stallTimeout.toNanos();
    while (true) {
      long stable =
          TagReset.get(
                  admin
                      .listOffsets(
                          Map.of(tp, OffsetSpec.latest()),
                          new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                      .all())
              .get(tp)
              .offset();
      if (stable >= endOffset(admin, tp)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            topic + " still has an open transaction after " + stallTimeout.toSeconds() + " s");
      }
      TimeUnit.MILLISECONDS.sleep(20); // bounded poll: the markers follow the commit closely
    }
  }

  /** {count, last data offset} of a one-partition topic, read_committed. */
  private long[] countRecords(String topic) {
    TopicPartition tp = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            cluster.clientConfig(
                Map.of(
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                    "read_committed",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                    false)),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
      long count = 0;
      long lastOffset = -1;
      long lastProgress = System.nanoTime();
      while (consumer.position(tp) < end) {
        var records = consumer.poll(Duration.ofMillis(200));
        for (ConsumerRecord<byte[], byte[]> r : records) {
          count++;
          lastOffset = r.offset();
        }
        if (!records.isEmpty()) {
          lastProgress = System.nanoTime();
        } else if (System.nanoTime() - lastProgress > stallTimeout.toNanos()) {
          throw new IllegalStateException("cannot read " + topic + " to its end");
        }
      }
      return new long[] {count, lastOffset};
    }
  }

  private ParamFingerprint fingerprint(ReplayPlan plan) {
    try (KafkaConsumer<String, byte[]> consumer =
            new KafkaConsumer<>(
                cluster.clientConfig(
                    Map.of(
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false)),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        Deserializer<ModelUpdate> updates =
            AvroSerdes.specific(ModelUpdate.class, cluster.serdeConfig(registryUrl), false)
                .deserializer()) {
      return ParamFingerprint.read(consumer, plan.modelParams(), updates);
    }
  }

  /** The cut-over procedure for {@code plan}, with this run's names and times filled in. */
  String cutOverSteps(ReplayPlan plan) {
    String b = cluster.bootstrapServers();
    String t = plan.tag();
    String resume =
        toTime == null
            ? "<the time this replay started, yyyy-MM-ddTHH:mm:ss.SSS+00:00>"
            : DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx")
                .withZone(ZoneOffset.UTC)
                .format(toTime);
    List<String> s = new ArrayList<>();
    s.add("Cut-over: put model version '" + t + "' live (nothing below has been done for you).");
    s.add(
        " 1. Stop every instance of the live trainer (group freshet-trainer). The live stream app"
            + " keeps serving the old model meanwhile.");
    s.add(
        " 2. Let a trainer continue the rebuilt model on the live instance log, from where the"
            + " backfill stopped:");
    s.add(
        "      kafka-consumer-groups.sh --bootstrap-server "
            + b
            + " --group freshet-trainer-"
            + t
            + " --topic training-instances --reset-offsets --to-datetime "
            + resume
            + " --execute");
    s.add(
        "      TrainerApp trainer.properties group.id=freshet-trainer-"
            + t
            + " transactional.id=freshet-trainer-"
            + t
            + " topic.training.instances=training-instances topic.model.params="
            + plan.modelParams()
            + " topic.item.vectors="
            + plan.itemVectors()
            + " topic.snapshots="
            + plan.snapshots()
            + " topic.training.instances.dlq=training-instances-dlq checkpoint.dir="
            + plan.trainerCheckpointDir()
            + " deterministic=false");
    s.add(
        " 3. Roll the stream app instances one at a time with topic.model.params="
            + plan.modelParams()
            + " (same application.id: per-user state and input offsets stay; each instance"
            + " rebuilds its serving model from the compacted topic before scoring).");
    s.add(
        "    recommendations and user-vectors consumers change nothing: the live app keeps"
            + " writing those topics, now with version-"
            + t
            + " scores (records carry modelVersion).");
    s.add(
        " 4. Readers of item-vectors and snapshots switch to "
            + plan.itemVectors()
            + " and "
            + plan.snapshots()
            + ", from the beginning (compacted).");
    s.add(
        " 5. Roll back = roll the stream app back to topic.model.params=model-params and restart"
            + " the old trainer (its group and topics were never touched).");
    s.add(
        " 6. Keep "
            + plan.trainingInstances()
            + " while the continued trainer may need to recover from it; "
            + plan.clicks()
            + ", "
            + plan.recommendations()
            + ", "
            + plan.userVectors()
            + " and "
            + plan.clicksDlq()
            + " can be deleted once checked.");
    return String.join(System.lineSeparator(), s);
  }

  private static Map<String, String> load(CommandLine cl, String option, Path file)
      throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new CommandLine.ParameterException(cl, option + ": no such file: " + file);
    }
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      props.load(r);
    }
    Map<String, String> out = new HashMap<>();
    props.forEach((k, v) -> out.put(k.toString(), v.toString()));
    return out;
  }
}
