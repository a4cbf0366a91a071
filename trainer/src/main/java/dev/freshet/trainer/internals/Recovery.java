package dev.freshet.trainer.internals;

import dev.freshet.avro.InputSegment;
import dev.freshet.avro.ModelContribution;
import dev.freshet.avro.ModelUpdate;
import dev.freshet.avro.SnapshotManifest;
import dev.freshet.avro.TrainingInstance;
import dev.freshet.model.CandidateModel;
import dev.freshet.model.Instance;
import dev.freshet.model.ModelConfig;
import dev.freshet.model.Table;
import dev.freshet.paramlog.InstanceConverter;
import dev.freshet.paramlog.ModelConfigCodec;
import dev.freshet.paramlog.ParamLogReader;
import dev.freshet.paramlog.ServingParams;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.serde.WireFormatException;
import dev.freshet.trainer.TrainerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the trainer's model at the newest committed snapshot.
 *
 * <ol>
 *   <li>Read every manifest from the {@code snapshots} topic; none means a new model (from {@code
 *       init.checkpoint} if set).
 *   <li>Start from the newest local checkpoint at or before the newest snapshot (or from the
 *       initial model), then replay each later snapshot: read its input segments from the
 *       training-instance log, train them in the recorded batch sizes with the same clock, expire
 *       and drain changes as the live trainer did. The result is bit-identical to the model that
 *       published the snapshot.
 *   <li>If the log no longer holds a segment (retention) or the manifests do not chain, fall back
 *       to importing the newest snapshot's published parameters from {@code model-params}: the
 *       served values are exact, optimizer state and admission counts of unadmitted values start
 *       afresh.
 * </ol>
 */
public final class Recovery {

  private static final Logger log = LoggerFactory.getLogger(Recovery.class);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(120);

  /**
   * The recovered state.
   *
   * @param model the model at {@code version}
   * @param version the newest committed snapshot version (0: none yet)
   * @param instancesApplied instances that version reflects
   * @param maxEventTime its clock
   * @param replayedInstances instances re-trained from the log during recovery
   * @param source how the model was obtained: new, checkpoint+replay, replay, params
   * @param manifest the manifest of {@code version} (null if none)
   */
  public record Result(
      CandidateModel model,
      long version,
      long instancesApplied,
      long maxEventTime,
      long replayedInstances,
      String source,
      SnapshotManifest manifest) {
    /** Where {@code model-sync} is to be read next: the manifest's syncTo, -1 for its start. */
    public long syncTo() {
      return manifest == null ? -1 : manifest.getSyncTo();
    }
  }

  /** Signals that the log cannot reproduce the snapshots (retention, gaps). */
  public static final class ReplayImpossibleException extends Exception {
    private static final long serialVersionUID = 1L;

    ReplayImpossibleException(String message) {
      super(message);
    }
  }

  private final TrainerConfig config;
  private final CheckpointStore checkpoints;
  private final Deserializer<TrainingInstance> deserializer;

  public Recovery(
      TrainerConfig config,
      CheckpointStore checkpoints,
      Deserializer<TrainingInstance> deserializer) {
    this.config = Objects.requireNonNull(config, "config");
    this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
    this.deserializer = Objects.requireNonNull(deserializer, "deserializer");
  }

  /** Recovers against the cluster at {@code bootstrap}. */
  public Result recover(String bootstrap) throws IOException {
    long t0 = System.nanoTime();
    NavigableMap<Long, SnapshotManifest> manifests = readManifests(bootstrap);
    if (manifests.isEmpty()) {
      log.info("no snapshot published yet: starting a new model");
      return new Result(initialModel(config.modelConfig()), 0, 0, 0, 0, "new", null);
    }
    SnapshotManifest latest = manifests.lastEntry().getValue();
    ModelConfig topicConfig = ModelConfigCodec.fromJson(latest.getModelConfig());
    if (!topicConfig.equals(config.modelConfig())) {
      log.warn(
          "the published model's config differs from model.* settings; continuing the published"
              + " model (a different architecture needs a replay under a new application id)");
    }
    CandidateModel model;
    long replayed;
    String source;
    try {
      Rebuilt r = modelAt(manifests, latest.getVersion(), bootstrap);
      model = r.model();
      replayed = r.replayed();
      source = r.source();
    } catch (ReplayImpossibleException e) {
      log.warn(
          "cannot replay the snapshots ({}); importing the published parameters instead",
          e.getMessage());
      model = importFromParams(topicConfig, bootstrap);
      replayed = 0;
      source = "params";
    }
    log.info(
        "recovered model at snapshot {} ({} instances) from {}, {} instances replayed, in {} ms",
        latest.getVersion(),
        latest.getInstancesApplied(),
        source,
        replayed,
        (System.nanoTime() - t0) / 1_000_000);
    return new Result(
        model,
        latest.getVersion(),
        latest.getInstancesApplied(),
        latest.getMaxEventTime(),
        replayed,
        source,
        latest);
  }

  /**
   * The newest published model as a replica to train on: its parameters imported from {@code
   * model-params} (exact served values; optimizer state and admission counts start afresh), or a
   * new model if nothing was published yet. What a trainer that does not lead starts from.
   */
  public Result importPublished(String bootstrap) throws IOException {
    ServingParams params = readParams(bootstrap);
    SnapshotManifest m = params.manifest();
    if (m == null) {
      log.info("no snapshot published yet: starting a new replica");
      return new Result(initialModel(config.modelConfig()), 0, 0, 0, 0, "new", null);
    }
    CandidateModel model = importParams(params, params.config());
    log.info("replica imported from published snapshot {}", m.getVersion());
    return new Result(
        model, m.getVersion(), m.getInstancesApplied(), m.getMaxEventTime(), 0, "params", m);
  }

  /** A model rebuilt at some version, with how it was obtained. */
  public record Rebuilt(CandidateModel model, long replayed, String source) {}

  /**
   * The model exactly as it was when snapshot {@code version} was published: the newest local
   * checkpoint at or before it (or the initial model), then a replay of the later snapshots up to
   * {@code version}. A rollback snapshot in the chain resets the model to the version it
   * republished.
   *
   * @throws ReplayImpossibleException if the instance log no longer holds what must be replayed
   */
  public Rebuilt modelAt(
      NavigableMap<Long, SnapshotManifest> manifests, long version, String bootstrap)
      throws IOException, ReplayImpossibleException {
    SnapshotManifest target = manifests.get(version);
    if (target == null) {
      throw new ReplayImpossibleException("no snapshot " + version + " on the snapshots topic");
    }
    OptionalLong ckpt = checkpoints.newestAtMost(version);
    CandidateModel model;
    long from;
    long clock;
    String source;
    if (ckpt.isPresent() && manifests.containsKey(ckpt.getAsLong())) {
      from = ckpt.getAsLong();
      model = checkpoints.load(from);
      clock = manifests.get(from).getMaxEventTime();
      source = "checkpoint " + from + " + replay";
    } else {
      from = 0;
      model = initialModel(ModelConfigCodec.fromJson(target.getModelConfig()));
      clock = 0;
      source = "replay";
    }
    long expected = from;
    long replayed = 0;
    try (KafkaConsumer<String, byte[]> consumer = rawConsumer(bootstrap);
        LazySync sync = new LazySync(bootstrap)) {
      for (SnapshotManifest m : manifests.subMap(from, false, version, true).values()) {
        if (m.getPreviousVersion() != expected) {
          throw new ReplayImpossibleException(
              "snapshot "
                  + m.getVersion()
                  + " follows "
                  + m.getPreviousVersion()
                  + ", not "
                  + expected);
        }
        if (m.getRolledBackFrom() != null) {
          Rebuilt back = modelAt(manifests, m.getRolledBackFrom(), bootstrap);
          model = back.model();
          replayed += back.replayed();
        } else {
          replayed += replayOne(model, m, clock, consumer, sync);
        }
        clock = Math.max(clock, m.getMaxEventTime());
        model.drainChanges();
        expected = m.getVersion();
      }
    }
    return new Rebuilt(model, replayed, source);
  }

  private CandidateModel initialModel(ModelConfig modelConfig) throws IOException {
    String init = config.getString(TrainerConfig.INIT_CHECKPOINT);
    if (init.isBlank()) {
      return CandidateModel.create(modelConfig);
    }
    log.info("starting from offline checkpoint {}", init);
    return CandidateModel.load(Path.of(init));
  }

  /** Re-trains one snapshot's input in its recorded batches; returns the instances trained. */
  private long replayOne(
      CandidateModel model,
      SnapshotManifest m,
      long clock,
      KafkaConsumer<String, byte[]> consumer,
      LazySync sync)
      throws ReplayImpossibleException {
    long trained = replayBatches(model, m, clock, consumer);
    if (m.getSyncFrom() >= 0 && m.getSyncTo() > m.getSyncFrom()) {
      mergeRange(model, m, sync.get(m));
    }
    if (model.config().rowExpiryMillis() > 0) {
      model.expire(m.getMaxEventTime());
    }
    return trained;
  }

  /**
   * Merges what snapshot {@code m}'s leader merged: the contributions of other trainers at offsets
   * {@code [syncFrom, syncTo)} of {@code model-sync}, in order, leaders' own excluded.
   */
  private static void mergeRange(CandidateModel model, SnapshotManifest m, SyncLog sync)
      throws ReplayImpossibleException {
    try {
      for (SyncLog.Entry e : sync.read(m.getSyncFrom(), m.getSyncTo(), READ_TIMEOUT)) {
        if (e.header().leaderVersion() == null) {
          model.merge(e.contribution(), e.header().maxEventTime());
        }
      }
    } catch (IllegalStateException e) {
      throw new ReplayImpossibleException(e.getMessage());
    }
  }

  /** The {@code model-sync} reader of one replay, opened when a snapshot first needs it. */
  private final class LazySync implements AutoCloseable {
    private final String bootstrap;
    private SyncLog log;

    LazySync(String bootstrap) {
      this.bootstrap = bootstrap;
    }

    SyncLog get(SnapshotManifest m) throws ReplayImpossibleException {
      if (log == null) {
        String topic = config.getString(TrainerConfig.TOPIC_MODEL_SYNC);
        log =
            SyncLog.open(bootstrap, config.consumerProperties(), topic, contributionDeserializer())
                .orElseThrow(
                    () ->
                        new ReplayImpossibleException(
                            "snapshot "
                                + m.getVersion()
                                + " merged contributions but "
                                + topic
                                + " does not exist"));
      }
      return log;
    }

    @Override
    public void close() {
      if (log != null) {
        log.close();
      }
    }
  }

  /** The deserializer of {@code model-sync} records with this trainer's registry settings. */
  public Deserializer<ModelContribution> contributionDeserializer() {
    return AvroSerdes.specific(ModelContribution.class, config.serdeProperties(), false)
        .deserializer();
  }

  private long replayBatches(
      CandidateModel model, SnapshotManifest m, long clock, KafkaConsumer<String, byte[]> consumer)
      throws ReplayImpossibleException {
    List<TrainingInstance> input = read(consumer, m.getInputSegments());
    int at = 0;
    for (int size : m.getBatchSizes()) {
      if (at + size > input.size()) {
        throw new ReplayImpossibleException(
            "snapshot "
                + m.getVersion()
                + " has batches of "
                + m.getBatchSizes()
                + " but its segments hold "
                + input.size()
                + " usable instances");
      }
      List<Instance> batch = new ArrayList<>(size);
      for (TrainingInstance t : input.subList(at, at + size)) {
        batch.add(InstanceConverter.toInstance(t));
        clock = Math.max(clock, t.getEventTime().toEpochMilli());
      }
      model.train(batch, clock);
      at += size;
    }
    if (at != input.size()) {
      throw new ReplayImpossibleException(
          "snapshot "
              + m.getVersion()
              + " batches cover "
              + at
              + " of "
              + input.size()
              + " instances");
    }
    return at;
  }

  /**
   * The usable instances of {@code segments}, in segment order. Each partition is read once, from
   * its first segment's start to its last segment's end, all partitions together: a snapshot's
   * input interleaves short segments of every partition (a poll returns a few records of each), and
   * reading them one by one cost a metadata and offset round trip each — minutes for a few hundred
   * snapshots' worth on a loaded machine.
   */
  private List<TrainingInstance> read(
      KafkaConsumer<String, byte[]> consumer, List<InputSegment> segments)
      throws ReplayImpossibleException {
    Map<TopicPartition, long[]> ranges = new LinkedHashMap<>();
    for (InputSegment s : segments) {
      long[] r =
          ranges.computeIfAbsent(
              new TopicPartition(s.getTopic(), s.getPartition()),
              tp -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
      r[0] = Math.min(r[0], s.getFromOffset());
      r[1] = Math.max(r[1], s.getToOffset());
    }
    if (ranges.isEmpty()) {
      return List.of();
    }
    Map<TopicPartition, NavigableMap<Long, TrainingInstance>> records = new HashMap<>();
    consumer.assign(ranges.keySet());
    consumer.resume(ranges.keySet()); // assign keeps the pause of a partition read before
    Map<TopicPartition, Long> starts = consumer.beginningOffsets(ranges.keySet());
    for (Map.Entry<TopicPartition, long[]> e : ranges.entrySet()) {
      TopicPartition tp = e.getKey();
      long from = e.getValue()[0];
      if (starts.get(tp) > from) {
        throw new ReplayImpossibleException(
            tp + " starts at " + starts.get(tp) + " but snapshot input begins at " + from);
      }
      records.put(tp, new TreeMap<>());
      consumer.seek(tp, from);
    }
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    while (ranges.entrySet().stream()
        .anyMatch(e -> consumer.position(e.getKey()) < e.getValue()[1])) {
      if (System.nanoTime() > deadline) {
        throw new ReplayImpossibleException(
            "timed out reading the input segments " + ranges.keySet());
      }
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        if (r.offset() < ranges.get(tp)[1]) {
          records.get(tp).put(r.offset(), decode(r));
        }
      }
      // A partition read to its end needs no more fetches; pausing it keeps the others' polls
      // short.
      List<TopicPartition> done = new ArrayList<>();
      ranges.forEach(
          (tp, r) -> {
            if (consumer.position(tp) >= r[1]) {
              done.add(tp);
            }
          });
      consumer.pause(done);
    }
    List<TrainingInstance> out = new ArrayList<>();
    for (InputSegment s : segments) {
      TopicPartition tp = new TopicPartition(s.getTopic(), s.getPartition());
      for (TrainingInstance t :
          records.get(tp).subMap(s.getFromOffset(), true, s.getToOffset(), false).values()) {
        if (t != null) {
          out.add(t);
        }
      }
    }
    return out;
  }

  /** Decodes as the live trainer did; null for a record it dead-lettered. */
  private TrainingInstance decode(ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      return null;
    }
    try {
      TrainingInstance t = deserializer.deserialize(r.topic(), r.headers(), r.value());
      InstanceConverter.toInstance(t);
      return t;
    } catch (WireFormatException e) {
      if (!e.reason().isRecordAtFault()) {
        throw e;
      }
      return null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  CandidateModel importFromParams(ModelConfig modelConfig, String bootstrap) throws IOException {
    return importParams(readParams(bootstrap), modelConfig);
  }

  private ServingParams readParams(String bootstrap) throws IOException {
    return ParamLogReader.readAll(
        bootstrap,
        config.consumerProperties(),
        config.getString(TrainerConfig.TOPIC_MODEL_PARAMS),
        AvroSerdes.specific(ModelUpdate.class, config.serdeProperties(), false).deserializer(),
        READ_TIMEOUT);
  }

  private static CandidateModel importParams(ServingParams params, ModelConfig modelConfig) {
    CandidateModel model = CandidateModel.create(modelConfig);
    for (Table table : Table.values()) {
      Map<String, float[]> rows = table == Table.ITEM_OUTPUT ? params.items() : params.rows(table);
      rows.forEach((key, values) -> model.importRow(table, key, values));
    }
    params.dense().forEach(model::importDense);
    model.drainChanges();
    return model;
  }

  /** Every manifest on the snapshots topic, by version. */
  public NavigableMap<Long, SnapshotManifest> readManifests(String bootstrap) {
    String topic = config.getString(TrainerConfig.TOPIC_SNAPSHOTS);
    Deserializer<SnapshotManifest> d =
        AvroSerdes.specific(SnapshotManifest.class, config.serdeProperties(), false).deserializer();
    NavigableMap<Long, SnapshotManifest> out = new TreeMap<>();
    try (KafkaConsumer<String, byte[]> consumer = rawConsumer(bootstrap)) {
      List<PartitionInfo> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (parts == null || parts.isEmpty()) {
        return out;
      }
      List<TopicPartition> tps = new ArrayList<>();
      for (PartitionInfo p : parts) {
        tps.add(new TopicPartition(topic, p.partition()));
      }
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(tps));
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (!caughtUp(consumer, end)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("timed out reading " + topic);
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() != null) {
            SnapshotManifest m = d.deserialize(r.topic(), r.headers(), r.value());
            out.put(m.getVersion(), m);
          }
        }
      }
    }
    return out;
  }

  private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private KafkaConsumer<String, byte[]> rawConsumer(String bootstrap) {
    Map<String, Object> c = new HashMap<>(config.consumerProperties());
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
  }
}
