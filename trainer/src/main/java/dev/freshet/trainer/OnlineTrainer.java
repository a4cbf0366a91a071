package dev.freshet.trainer;

import dev.freshet.avro.InputSegment;
import dev.freshet.avro.ItemVector;
import dev.freshet.avro.ModelContribution;
import dev.freshet.avro.ModelUpdate;
import dev.freshet.avro.Recommendations;
import dev.freshet.avro.SnapshotManifest;
import dev.freshet.avro.TrainerShare;
import dev.freshet.avro.TrainingInstance;
import dev.freshet.metrics.PrometheusMeters;
import dev.freshet.model.CandidateModel;
import dev.freshet.model.ChangeSet;
import dev.freshet.model.Contribution;
import dev.freshet.model.Instance;
import dev.freshet.model.TrainStats;
import dev.freshet.paramlog.ContributionCodec;
import dev.freshet.paramlog.InstanceConverter;
import dev.freshet.paramlog.ModelConfigCodec;
import dev.freshet.paramlog.ParamKeys;
import dev.freshet.paramlog.ParamRecords;
import dev.freshet.paramlog.ServingParams;
import dev.freshet.paramlog.SnapshotDeltas;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.serde.DeadLetterHeaders;
import dev.freshet.serde.WireFormatException;
import dev.freshet.trainer.internals.CheckpointStore;
import dev.freshet.trainer.internals.DeadLetters;
import dev.freshet.trainer.internals.InstanceValidator;
import dev.freshet.trainer.internals.JudgementReader;
import dev.freshet.trainer.internals.Publisher;
import dev.freshet.trainer.internals.RecallGuard;
import dev.freshet.trainer.internals.Recovery;
import dev.freshet.trainer.internals.SegmentTracker;
import dev.freshet.trainer.internals.SyncLog;
import dev.freshet.trainer.internals.TrainerMetrics;
import dev.freshet.trainer.internals.TransientFailure;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The online trainer: consumes training instances, updates the model in mini-batches, and publishes
 * what changed as a versioned snapshot — parameter deltas, item vectors and a manifest — in one
 * Kafka transaction together with the consumer offsets of the instances it reflects.
 *
 * <p>So after a crash the topics hold a consistent (model, offsets) pair: a restart {@linkplain
 * Recovery rebuilds} the model of the newest committed snapshot (newest local checkpoint plus a
 * replay of the later snapshots' input segments from the instance log, in their recorded batches)
 * and resumes from the committed offsets. No instance is lost or applied twice, and in {@linkplain
 * TrainerConfig#DETERMINISTIC deterministic} mode the model equals that of an uninterrupted run.
 *
 * <p>Several trainers with the same group share the training instances, one consumer group
 * spreading the partitions (docs/architecture.md, "Training on several trainers"). The one that
 * holds partition 0 leads: it publishes the snapshots as above, and before each it merges the
 * contributions of the others from {@code model-sync} and records their offsets in the manifest.
 * The others publish contributions — the deltas of their own training — in one transaction with
 * their offsets, and keep their replica current by merging everyone else's. One trainer alone is
 * the leader of a group of one: the same code, with nothing to merge. Trainers of one group are
 * told apart by {@code instance.id}; two with the same id fence each other through the
 * transactional id. {@link #run} blocks on the calling thread; {@link #close} (from another thread)
 * stops it after a final snapshot.
 */
public final class OnlineTrainer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OnlineTrainer.class);
  private static final Duration POLL = Duration.ofMillis(50);
  private static final long GUARD_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  private static final long RESTART_BACKOFF_MILLIS = 1_000;
  private static final long MAX_RESTART_BACKOFF_MILLIS = 30_000;

  private final TrainerConfig config;
  private final TrainerMetrics metrics = new TrainerMetrics();
  private final CheckpointStore checkpoints;
  private final Deserializer<TrainingInstance> instanceDeserializer;
  private final Serializer<ModelUpdate> updateSerializer;
  private final Serializer<ItemVector> itemSerializer;
  private final Serializer<SnapshotManifest> manifestSerializer;
  private final Serializer<ModelContribution> contributionSerializer;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch stopRequested = new CountDownLatch(1);

  private final List<Instance> pending = new ArrayList<>();
  private final List<Long> pendingProducedAt = new ArrayList<>();
  private final SegmentTracker segments = new SegmentTracker();
  private final List<Integer> batchSizes = new ArrayList<>();
  private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
  private final List<Long> producedSincePublish = new ArrayList<>();
  private final List<AutoCloseable> clientMeters = new ArrayList<>();

  private volatile boolean stopping;
  private PrometheusMeters meters;
  private boolean running;
  private KafkaConsumer<String, byte[]> consumer;
  private KafkaProducer<String, byte[]> producer;
  private String bootstrap;
  private Recovery recovery;
  private RecallGuard guard;
  private volatile JudgementReader judgements;
  private long lastGuardCheckNanos;
  private CandidateModel model;
  private long version;
  private long instancesApplied;
  private long maxEventTime;
  private long pendingSinceNanos;
  private double lossSum;
  private long lossCount;
  private Publisher publisher;
  // Dead letters since the last publication: they go out in the next one's transaction.
  private final List<ProducerRecord<String, byte[]>> deadLetterRecords = new ArrayList<>();
  private long lastPublishNanos;
  private long consumedSincePublish;
  private long lastCheckpointNanos;

  // Several trainers (see the class comment).
  private SyncLog sync; // null while the model-sync topic does not exist
  private boolean leader;
  private boolean alone; // leads and holds every partition: nobody needs its contributions
  private boolean closing;
  private long replicaVersion; // not leading: the published version the replica was built from
  private final long catchUpNanos;
  private String incarnation = "";
  private long contributionSequence;
  private long syncPosition = -1; // leading: model-sync is merged up to here
  private final List<SyncLog.Entry> syncBuffer = new ArrayList<>();
  private final Map<String, long[]> shares = new TreeMap<>(); // trainer → {instances, merged}

  public OnlineTrainer(TrainerConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    Map<String, Object> serde = config.serdeProperties();
    this.instanceDeserializer =
        AvroSerdes.specific(TrainingInstance.class, serde, false).deserializer();
    this.updateSerializer = AvroSerdes.specific(ModelUpdate.class, serde, false).serializer();
    this.itemSerializer = AvroSerdes.specific(ItemVector.class, serde, false).serializer();
    this.manifestSerializer =
        AvroSerdes.specific(SnapshotManifest.class, serde, false).serializer();
    this.contributionSerializer =
        AvroSerdes.specific(ModelContribution.class, serde, false).serializer();
    this.checkpoints =
        new CheckpointStore(
            Path.of(config.getString(TrainerConfig.CHECKPOINT_DIR)),
            config.getInt(TrainerConfig.CHECKPOINTS_KEPT));
    this.catchUpNanos =
        TimeUnit.MILLISECONDS.toNanos(config.getLong(TrainerConfig.SYNC_CATCHUP_MAX_MS));
  }

  /** Live figures: instances/s, loss, version, publish latency. */
  public TrainerMetrics metrics() {
    return metrics;
  }

  /**
   * Binds the Kafka client metrics of this trainer's producer and consumer to {@code meters} when
   * {@link #run} creates them (call before {@code run}).
   */
  public synchronized void meters(PrometheusMeters meters) {
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  /** Waits until recovery finished and the loop runs; false on timeout. */
  public boolean awaitStarted(Duration timeout) throws InterruptedException {
    return started.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Recovers, then trains and publishes until {@link #close}; publishes a final snapshot.
   *
   * <p>An outage — the schema registry unreachable, the broker restarting, a transaction the broker
   * aborted ({@link TransientFailure}) — does not end the run: the trainer drops what it has not
   * committed, waits (1 s, doubling up to 30 s), and recovers from the newest committed snapshot
   * and offsets, as a restarted process would. Anything else ends it with the exception.
   */
  public void run() {
    synchronized (this) {
      if (running) {
        throw new IllegalStateException("already running");
      }
      running = true;
    }
    bootstrap = String.join(",", config.getList(TrainerConfig.BOOTSTRAP_SERVERS));
    if (config.getBoolean(TrainerConfig.DETERMINISTIC)) {
      // Products computed on two threads round differently from products on one: the same model
      // needs the same thread count wherever it is trained or replayed.
      CandidateModel.useOneArithmeticThread();
    }
    long backoff = RESTART_BACKOFF_MILLIS;
    try {
      while (true) {
        try {
          runOnce();
          return;
        } catch (RuntimeException e) {
          Optional<String> outage = TransientFailure.describe(e);
          if (stopping || outage.isEmpty()) {
            throw e;
          }
          metrics.restarted();
          log.warn(
              "{}; restarting from the newest committed snapshot in {} ms (what was not committed"
                  + " is trained again; nothing is lost)",
              outage.get(),
              backoff);
          closeClients();
          forgetUncommitted();
          if (stopRequested.await(backoff, TimeUnit.MILLISECONDS) || stopping) {
            return;
          }
          backoff = Math.min(backoff * 2, MAX_RESTART_BACKOFF_MILLIS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeClients();
      stopped.countDown();
    }
  }

  private void runOnce() {
    closing = false;
    try {
      producer =
          new KafkaProducer<>(
              producerConfig(bootstrap), new StringSerializer(), new ByteArraySerializer());
      producer.initTransactions();
      publisher = new Publisher(producer);
      if (meters != null) {
        clientMeters.add(
            meters.bind(
                new KafkaClientMetrics(
                    producer,
                    List.of(),
                    PrometheusMeters.kafkaScheduler("trainer-producer"),
                    PrometheusMeters.KAFKA_REFRESH)));
      }
      recovery = new Recovery(config, checkpoints, instanceDeserializer);
      sync =
          SyncLog.open(
                  bootstrap,
                  config.consumerProperties(),
                  config.getString(TrainerConfig.TOPIC_MODEL_SYNC),
                  recovery.contributionDeserializer())
              .orElse(null);
      consumer =
          new KafkaConsumer<>(
              consumerConfig(bootstrap), new StringDeserializer(), new ByteArrayDeserializer());
      // The model is recovered when the group assigns this trainer its partitions (and again when
      // it starts or stops leading): see Rebalance.
      consumer.subscribe(
          List.of(config.getString(TrainerConfig.TOPIC_TRAINING_INSTANCES)), new Rebalance());
      if (meters != null) {
        clientMeters.add(
            meters.bind(
                new KafkaClientMetrics(
                    consumer,
                    List.of(),
                    PrometheusMeters.kafkaScheduler("trainer-consumer"),
                    PrometheusMeters.KAFKA_REFRESH)));
      }
      lastPublishNanos = System.nanoTime();
      lastCheckpointNanos = System.nanoTime();
      loop();
      if (model != null) {
        trainPending();
        if (!segments.isEmpty() || !deadLetterRecords.isEmpty()) {
          publish();
        }
        publisher.await();
      }
    } finally {
      closing = true; // closing the consumer revokes its partitions: nothing more to publish
    }
  }

  /**
   * Publishes before partitions go (so another trainer continues exactly after this one's committed
   * offsets) and rebuilds the model for the new assignment.
   */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (model == null || closing || partitions.isEmpty()) {
        return;
      }
      trainPending();
      if (!segments.isEmpty() || !deadLetterRecords.isEmpty() || !syncBuffer.isEmpty()) {
        publish();
      }
      publisher.await();
      // Their offsets are the next owner's to commit from now on.
      offsets.keySet().removeAll(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      if (model == null || closing) {
        return;
      }
      // Another trainer owns them already, so nothing consumed here may commit: start again from
      // what is committed, as after an outage.
      throw new KafkaException(
          "partitions "
              + partitions
              + " were lost (this trainer was dropped from the group, e.g. after a long pause)");
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (closing) {
        return;
      }
      try {
        assigned(partitions);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Takes up a new assignment. The trainer holding partition 0 leads: when it starts leading it
   * recovers the newest snapshot exactly (checkpoint and replay, as a single trainer does) and
   * reads {@code model-sync} from the offset that snapshot merged up to. Any other trainer rebuilds
   * its replica from the newest published snapshot and the contributions committed after it, so it
   * trains on the current model; a new replica is a new incarnation.
   */
  private void assigned(Collection<TopicPartition> partitions) throws IOException {
    String topic = config.getString(TrainerConfig.TOPIC_TRAINING_INSTANCES);
    boolean leads = partitions.contains(new TopicPartition(topic, 0));
    int total = consumer.partitionsFor(topic).size();
    boolean everything = partitions.size() >= total;
    if (!everything && sync == null) {
      throw new IllegalStateException(
          "this trainer shares "
              + topic
              + " with other trainers of group '"
              + config.getString(TrainerConfig.GROUP_ID)
              + "' but topic '"
              + config.getString(TrainerConfig.TOPIC_MODEL_SYNC)
              + "' does not exist: create it (one partition; 'freshet topics' does) before"
              + " starting more than one trainer");
    }
    boolean rebuild = model == null || !leads || !leader;
    if (rebuild) {
      syncBuffer.clear();
      shares.clear();
      incarnation = UUID.randomUUID().toString();
      contributionSequence = 0;
      Recovery.Result r = leads ? recovery.recover(bootstrap) : recovery.importPublished(bootstrap);
      model = r.model();
      version = r.version();
      replicaVersion = r.version();
      instancesApplied = r.instancesApplied();
      maxEventTime = r.maxEventTime();
      if (r.manifest() != null) {
        for (TrainerShare t : r.manifest().getTrainers()) {
          shares.put(t.getTrainer(), new long[] {t.getInstances(), t.getContributions()});
        }
      }
      if (shares.isEmpty() && instancesApplied > 0) {
        shares.put(config.trainerName(), new long[] {instancesApplied, 0});
      }
      if (sync != null) {
        sync.seek(r.syncTo());
        syncPosition = sync.position();
      } else {
        syncPosition = -1;
      }
      metrics.recovered(version, instancesApplied, r.replayedInstances());
    }
    leader = leads;
    alone = leads && everything;
    // Only a replica others merge from records its own training. A leader stops being alone only
    // through a rebalance, whose revocation published everything it trained (onPartitionsRevoked),
    // so recording from here leaves nothing of its training out of the contributions.
    if (alone) {
      model.stopTrackingContributions();
    } else if (!model.tracksContributions()) {
      model.trackContributions();
    }
    metrics.leader(leads);
    log.info(
        "assigned {} of {} partitions of {}: {}{}",
        partitions.size(),
        total,
        topic,
        leads ? (alone ? "leading alone" : "leading") : "following snapshot " + replicaVersion,
        rebuild ? "" : " (model kept)");
    if (leads && version == 0) {
      publish(); // version 1: the initial parameters, so readers can build a tower at once
      publisher.await();
    }
    if (leads && guard == null && config.getBoolean(TrainerConfig.GUARDRAIL_ENABLED)) {
      startGuardrail();
    } else if (!leads && guard != null) {
      stopGuardrail();
    }
    started.countDown();
  }

  private void closeClients() {
    closing = true;
    stopGuardrail();
    if (sync != null) {
      try {
        sync.close();
      } catch (RuntimeException e) {
        log.debug("closing the model-sync reader: {}", e.toString());
      }
      sync = null;
    }
    for (AutoCloseable b : clientMeters) {
      try {
        b.close();
      } catch (Exception e) {
        log.debug("closing client metrics: {}", e.toString());
      }
    }
    clientMeters.clear();
    if (publisher != null) {
      publisher.close();
      publisher = null;
    }
    if (consumer != null) {
      try {
        consumer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        log.debug("closing the consumer: {}", e.toString());
      }
      consumer = null;
    }
    if (producer != null) {
      try {
        producer.close(Duration.ofSeconds(10));
      } catch (RuntimeException e) {
        log.debug("closing the producer: {}", e.toString());
      }
      producer = null;
    }
  }

  /** Drops what was consumed or trained but not committed; recovery rebuilds it. */
  private void forgetUncommitted() {
    pending.clear();
    pendingProducedAt.clear();
    segments.drain();
    batchSizes.clear();
    offsets.clear();
    producedSincePublish.clear();
    consumedSincePublish = 0;
    deadLetterRecords.clear();
    lossSum = 0;
    lossCount = 0;
    model = null;
    leader = false;
    syncBuffer.clear();
    shares.clear();
  }

  private void loop() {
    boolean deterministic = config.getBoolean(TrainerConfig.DETERMINISTIC);
    int batchSize = config.getInt(TrainerConfig.BATCH_SIZE);
    long maxWaitNanos =
        TimeUnit.MILLISECONDS.toNanos(config.getLong(TrainerConfig.BATCH_MAX_WAIT_MS));
    long publishNanos =
        TimeUnit.MILLISECONDS.toNanos(config.getLong(TrainerConfig.PUBLISH_INTERVAL_MS));
    int publishEvery = config.getInt(TrainerConfig.PUBLISH_EVERY_BATCHES);
    int publishEveryInstances = config.getInt(TrainerConfig.PUBLISH_EVERY_INSTANCES);
    boolean byInstances = publishEveryInstances > 0;
    while (!stopping) {
      ConsumerRecords<String, byte[]> records;
      try {
        records = consumer.poll(POLL);
      } catch (WakeupException e) {
        if (stopping) {
          break;
        }
        throw e;
      }
      if (model == null) {
        continue; // not assigned yet: nothing arrives before the assignment's recovery
      }
      pollSync();
      for (ConsumerRecord<String, byte[]> r : records) {
        accept(r);
        consumedSincePublish++;
        if (pending.size() >= batchSize) {
          trainPending();
          if (deterministic && !byInstances && batchSizes.size() >= publishEvery) {
            publish();
          }
        }
        if (byInstances && consumedSincePublish >= publishEveryInstances) {
          trainPending();
          publish();
        }
      }
      if (byInstances) {
        // Counts only: nothing is trained or published because time passed or input ran dry.
        metrics.lag(totalLag());
        continue;
      }
      if (deterministic) {
        if (records.isEmpty() && drained() && (!pending.isEmpty() || !segments.isEmpty())) {
          trainPending();
          publish();
        }
      } else {
        long now = System.nanoTime();
        if (!pending.isEmpty() && now - pendingSinceNanos >= maxWaitNanos) {
          trainPending();
        }
        // A leader publishes for others' contributions too, so theirs reach serving without its
        // own.
        if ((!segments.isEmpty() || !deadLetterRecords.isEmpty() || !syncBuffer.isEmpty())
            && now - lastPublishNanos >= publishNanos) {
          trainPending();
          publish();
        }
        if (guard != null && leader && now - lastGuardCheckNanos >= GUARD_CHECK_NANOS) {
          lastGuardCheckNanos = now;
          guard();
        }
      }
      metrics.lag(totalLag());
      publisher.rethrowIfFailed();
    }
  }

  /**
   * Starts the rollback guardrail: the guard resumes after the newest rollback on the snapshots
   * topic (counting only its lineage, holding off until its hold-off ends), and a reader feeds it
   * the stream app's judgements from now on.
   */
  private void startGuardrail() {
    RecallGuard.Settings settings = config.guardrailSettings();
    guard = new RecallGuard(settings);
    NavigableMap<Long, SnapshotManifest> manifests = recovery.readManifests(bootstrap);
    for (SnapshotManifest m : manifests.descendingMap().values()) {
      if (m.getRolledBackFrom() != null) {
        guard.resume(m.getVersion(), m.getCreatedAt().toEpochMilli() + settings.holdoffMillis());
        break;
      }
    }
    judgements =
        new JudgementReader(
                bootstrap,
                config.consumerProperties(),
                config.getString(TrainerConfig.TOPIC_RECOMMENDATIONS),
                AvroSerdes.specific(Recommendations.class, config.serdeProperties(), false)
                    .deserializer(),
                guard)
            .start();
  }

  private void stopGuardrail() {
    JudgementReader j = judgements;
    judgements = null;
    guard = null;
    if (j != null) {
      j.close();
    }
  }

  /**
   * Not leading: reads {@code model-sync} up to its committed end before a step, for at most {@code
   * sync.catchup.max.ms}, so that the step sees every contribution the others have committed. The
   * training loop's own reads do not wait, so without this a contribution committed a moment ago
   * would reach the replica only after the step. A leader merges only at its snapshots (so that a
   * replay merges the same after the same batches) and does not catch up here.
   */
  private void catchUpSync() {
    if (leader || sync == null || catchUpNanos <= 0) {
      return;
    }
    SyncLog.CatchUp c = sync.readToCommittedEnd(Duration.ofNanos(catchUpNanos));
    c.entries().forEach(this::takeSync);
    if (!c.complete()) {
      metrics.catchUpCut(); // the step goes ahead on what has arrived
    }
  }

  /** Reads what other trainers committed to {@code model-sync} since the last call, not waiting. */
  private void pollSync() {
    if (sync != null) {
      sync.poll(Duration.ZERO).forEach(this::takeSync);
    }
  }

  /**
   * Takes one contribution read from {@code model-sync}. Leading, it keeps it for the next
   * snapshot, which merges them all at once (so a replay of the snapshot merges exactly the same,
   * after the same batches). Not leading, it merges it now.
   */
  private void takeSync(SyncLog.Entry e) {
    if (leader) {
      if (e.header().leaderVersion() == null) {
        syncBuffer.add(e); // a leader's own contributions are in the snapshots already
      }
    } else {
      ContributionCodec.Header h = e.header();
      boolean own = h.incarnation().equals(incarnation);
      boolean inReplica = h.leaderVersion() != null && h.leaderVersion() <= replicaVersion;
      if (!own && !inReplica) {
        mergeContribution(e, System.currentTimeMillis());
      }
    }
  }

  /**
   * Leading: merges the other trainers' contributions read since the previous snapshot (a leader's
   * own contributions are already in the snapshots) and returns the offset it merged up to.
   */
  private long mergeSync() {
    if (sync == null) {
      return -1;
    }
    pollSync();
    long now = System.currentTimeMillis();
    for (SyncLog.Entry e : syncBuffer) {
      ContributionCodec.Header h = e.header();
      mergeContribution(e, now);
      instancesApplied += h.instances();
      long[] share = shares.computeIfAbsent(h.trainer(), k -> new long[2]);
      share[0] += h.instances();
      share[1]++;
    }
    syncBuffer.clear();
    return sync.position();
  }

  /** Adds another trainer's contribution to the model; its clock moves this trainer's. */
  private void mergeContribution(SyncLog.Entry e, long nowMillis) {
    ContributionCodec.Header h = e.header();
    model.merge(e.contribution(), h.maxEventTime());
    maxEventTime = Math.max(maxEventTime, h.maxEventTime());
    metrics.merged(e.bytes(), nowMillis - h.createdAt());
  }

  /** Asks the guard; carries out the rollback it decides. */
  private void guard() {
    Optional<RecallGuard.Decision> decision = guard.check(System.currentTimeMillis());
    List<RecallGuard.Block> blocks = guard.lastBlocks();
    double best = Double.NaN;
    for (RecallGuard.Block b : blocks.subList(Math.min(1, blocks.size()), blocks.size())) {
      best = Double.isNaN(best) ? b.recall() : Math.max(best, b.recall());
    }
    metrics.guardrail(guard.judged(), blocks.isEmpty() ? Double.NaN : blocks.get(0).recall(), best);
    decision.ifPresent(this::rollBack);
  }

  /**
   * Republishes {@code d.toVersion()} as the next version through the rollback path ({@link
   * Rollback#publish}), in this trainer's own transactional sequence, and continues training from
   * that model. What was consumed before stays consumed: the pending batch is published first, and
   * its offsets with it.
   */
  private void rollBack(RecallGuard.Decision d) {
    trainPending();
    if (!segments.isEmpty() || !deadLetterRecords.isEmpty()) {
      publish();
    }
    publisher.await();
    long t0 = System.nanoTime();
    long from = version;
    CandidateModel target;
    ServingParams current;
    NavigableMap<Long, SnapshotManifest> manifests;
    try {
      manifests = recovery.readManifests(bootstrap);
      if (!manifests.containsKey(d.toVersion())
          || !manifests.containsKey(version)
          || d.toVersion() >= version) {
        throw new IOException(
            "version " + d.toVersion() + " is not an earlier published version of " + version);
      }
      target = Rollback.rebuild(recovery, manifests, d.toVersion(), bootstrap);
      current = Rollback.readPublished(config, bootstrap);
    } catch (IOException | RuntimeException e) {
      guard.failed(System.currentTimeMillis());
      metrics.rollbackFailed();
      log.warn(
          "guardrail: recall of {} is below {} (z={}), but rolling back to version {} failed;"
              + " holding off: {}",
          d.newest(),
          d.best(),
          String.format("%.1f", d.z()),
          d.toVersion(),
          e.toString());
      return;
    }
    producer.beginTransaction();
    SnapshotManifest m =
        Rollback.publish(
            producer,
            config,
            manifests.get(d.toVersion()),
            manifests.get(version),
            target,
            current);
    producer.commitTransaction();
    target.drainChanges();
    if (!alone) {
      target.trackContributions();
    }
    model = target;
    version = m.getVersion();
    lastPublishNanos = System.nanoTime();
    guard.rolledBack(version, System.currentTimeMillis());
    metrics.rolledBack(m);
    log.warn(
        "guardrail: recall of {} is below {} by more than {}% (z={}): rolled back to version {},"
            + " published as version {} (was {}), in {} ms",
        d.newest(),
        d.best(),
        Math.round(config.getDouble(TrainerConfig.GUARDRAIL_MARGIN) * 100),
        String.format("%.1f", d.z()),
        d.toVersion(),
        version,
        from,
        (System.nanoTime() - t0) / 1_000_000);
    try {
      checkpoints.save(version, model);
      lastCheckpointNanos = System.nanoTime();
    } catch (IOException e) {
      log.warn("could not write checkpoint of version {}: {}", version, e.toString());
      metrics.checkpointFailed();
    }
  }

  private void accept(ConsumerRecord<String, byte[]> r) {
    segments.add(r.topic(), r.partition(), r.offset());
    offsets.put(
        new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
    TrainingInstance t;
    Instance instance;
    try {
      if (r.value() == null) {
        throw new IllegalArgumentException("value is null (tombstone)");
      }
      t = instanceDeserializer.deserialize(r.topic(), r.headers(), r.value());
      instance = InstanceConverter.toInstance(t);
    } catch (WireFormatException e) {
      if (!e.reason().isRecordAtFault()) {
        throw e; // registry down: run() restarts from the committed offsets; do not dead-letter
      }
      deadLetter(r, e);
      return;
    } catch (RuntimeException e) {
      deadLetter(r, e);
      return;
    }
    Optional<String> unsafe = InstanceValidator.problem(t);
    if (unsafe.isPresent()) {
      deadLetter(r, InstanceValidator.INVALID_VALUE, unsafe.get());
      return;
    }
    if (pending.isEmpty()) {
      pendingSinceNanos = System.nanoTime();
    }
    pending.add(instance);
    pendingProducedAt.add(r.timestamp());
    maxEventTime = Math.max(maxEventTime, t.getEventTime().toEpochMilli());
  }

  private void deadLetter(ConsumerRecord<String, byte[]> r, RuntimeException e) {
    deadLetter(r, "UNDESERIALIZABLE", DeadLetterHeaders.describe(e));
  }

  private void deadLetter(ConsumerRecord<String, byte[]> r, String reason, String detail) {
    deadLetterRecords.add(
        DeadLetters.record(config.getString(TrainerConfig.TOPIC_INSTANCES_DLQ), r, reason, detail));
    metrics.deadLetter();
    log.warn(
        "training instance {}-{}@{} dead-lettered: {} {}",
        r.topic(),
        r.partition(),
        r.offset(),
        reason,
        detail);
  }

  private void trainPending() {
    if (pending.isEmpty()) {
      return;
    }
    catchUpSync();
    long t0 = System.nanoTime();
    // The batch's clock is the newest event time seen so far: a replay computes the same value.
    TrainStats stats = model.train(List.copyOf(pending), maxEventTime);
    metrics.batch(pending.size(), stats, System.nanoTime() - t0);
    if (stats.trained() > 0 && Double.isFinite(stats.loss())) {
      lossSum += stats.loss() * stats.trained();
      lossCount += stats.trained();
    }
    batchSizes.add(pending.size());
    instancesApplied += pending.size();
    producedSincePublish.addAll(pendingProducedAt);
    pending.clear();
    pendingProducedAt.clear();
  }

  /**
   * Publishes everything that changed as the next version, with the offsets and the dead letters
   * since the last one, in one transaction. The records are built here, from the model as it is
   * now; the {@link Publisher} commits them on its own thread while training goes on (it waits for
   * the previous publication first). A checkpoint, when one is due, waits for the commit, so it is
   * the model of exactly this version.
   */
  private void publish() {
    if (!leader) {
      contribute();
      return;
    }
    long t0 = System.nanoTime();
    long syncFrom = syncPosition;
    syncPosition = mergeSync();
    long ownInstances = trainedSincePublish();
    if (ownInstances > 0) {
      shares.computeIfAbsent(config.trainerName(), k -> new long[2])[0] += ownInstances;
    }
    if (model.config().rowExpiryMillis() > 0) {
      model.expire(maxEventTime);
    }
    ChangeSet changes = model.drainChanges();
    long v = version + 1;
    long now = System.currentTimeMillis();
    String params = config.getString(TrainerConfig.TOPIC_MODEL_PARAMS);
    String itemsTopic = config.getString(TrainerConfig.TOPIC_ITEM_VECTORS);
    SnapshotDeltas deltas = SnapshotDeltas.of(model, changes, v, now);
    List<ProducerRecord<String, byte[]>> deadLetters = List.copyOf(deadLetterRecords);
    deadLetterRecords.clear();
    int rows = deltas.rows();
    int items = deltas.items();
    SnapshotManifest manifest =
        SnapshotManifest.newBuilder()
            .setVersion(v)
            .setPreviousVersion(version)
            .setInstancesApplied(instancesApplied)
            .setLoss(lossCount == 0 ? null : lossSum / lossCount)
            .setMaxItemNorm(model.maxItemNorm())
            .setItemCount(model.itemCount())
            .setItemVectorsChanged(items)
            .setRowsChanged(rows)
            .setDenseChanged(changes.denseChanged())
            .setModelConfig(ModelConfigCodec.toJson(model.config()))
            .setInputSegments(segments.drain())
            .setBatchSizes(List.copyOf(batchSizes))
            .setMaxEventTime(maxEventTime)
            .setCreatedAt(Instant.ofEpochMilli(now))
            .setSyncFrom(syncFrom)
            .setSyncTo(syncPosition)
            .setTrainers(trainerShares())
            .build();
    // The others' replicas need this trainer's own training too; a leader holding every partition
    // has nobody to tell (a trainer that joins later starts from the snapshots).
    Contribution own = alone ? null : model.drainContribution();
    ProducerRecord<String, byte[]> contribution =
        own == null || (ownInstances == 0 && own.isEmpty())
            ? null
            : contributionRecord(own, v, ownInstances, now, List.of());
    String snapshots = config.getString(TrainerConfig.TOPIC_SNAPSHOTS);
    // Everything below reads copies: the records may be serialized on the publishing thread.
    Supplier<List<ProducerRecord<String, byte[]>>> records =
        () -> {
          List<ProducerRecord<String, byte[]>> out = new ArrayList<>(deadLetters);
          for (SnapshotDeltas.KeyedUpdate u : deltas.paramRecords()) {
            out.add(update(params, u.key(), u.value()));
          }
          deltas
              .itemVectors()
              .forEach(
                  (id, iv) ->
                      out.add(
                          new ProducerRecord<>(
                              itemsTopic,
                              id,
                              iv == null ? null : itemSerializer.serialize(itemsTopic, iv))));
          out.add(update(params, ParamKeys.MANIFEST, ParamRecords.manifest(manifest)));
          out.add(
              new ProducerRecord<>(
                  snapshots, Long.toString(v), manifestSerializer.serialize(snapshots, manifest)));
          if (contribution != null) {
            out.add(contribution);
          }
          return out;
        };
    int syncBytes = contribution == null ? 0 : contribution.value().length;
    List<Long> produced = List.copyOf(producedSincePublish);
    boolean dense = changes.denseChanged();
    handOver(
        records,
        syncBytes,
        () -> {
          metrics.published(manifest, System.nanoTime() - t0, produced, System.currentTimeMillis());
          log.debug("published snapshot {}: {} items, {} rows, dense {}", v, items, rows, dense);
        });
    version = v;
    maybeCheckpoint();
    metrics.publishBlocked(System.nanoTime() - t0);
  }

  /**
   * Hands one transaction's records to the {@link Publisher} with the offsets consumed so far,
   * waits for its commit unless {@code publish.overlap} is on, and starts the next interval's
   * figures. {@code syncBytes} of the records are a contribution; {@code committed} runs once the
   * transaction committed.
   */
  private void handOver(
      Supplier<List<ProducerRecord<String, byte[]>>> records, int syncBytes, Runnable committed) {
    publisher.submit(
        new Publisher.Publication(
            records,
            offsets,
            offsets.isEmpty() ? null : consumer.groupMetadata(),
            commitNanos -> {
              metrics.publishCommitted(commitNanos);
              if (syncBytes > 0) {
                metrics.contributed(syncBytes);
              }
              committed.run();
            }));
    if (!config.getBoolean(TrainerConfig.PUBLISH_OVERLAP)) {
      publisher.await();
    }
    batchSizes.clear();
    producedSincePublish.clear();
    lossSum = 0;
    lossCount = 0;
    lastPublishNanos = System.nanoTime();
    consumedSincePublish = 0;
  }

  /** Instances in the batches trained since the last publication. */
  private long trainedSincePublish() {
    long n = 0;
    for (int b : batchSizes) {
      n += b;
    }
    return n;
  }

  /**
   * Not leading: commits the deltas of this trainer's own training since the last contribution to
   * {@code model-sync}, with the offsets of the instances behind them and the dead letters, in one
   * transaction. The leader merges it into its next snapshot.
   */
  private void contribute() {
    long t0 = System.nanoTime();
    long own = trainedSincePublish();
    Contribution c = model.drainContribution();
    long now = System.currentTimeMillis();
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>(deadLetterRecords);
    deadLetterRecords.clear();
    List<InputSegment> consumed = segments.drain();
    ProducerRecord<String, byte[]> record =
        own > 0 || !c.isEmpty() || !consumed.isEmpty()
            ? contributionRecord(c, null, own, now, consumed)
            : null;
    if (record != null) {
      records.add(record);
    }
    if (records.isEmpty()) {
      return; // nothing consumed since the last one: no offset moved either
    }
    handOver(() -> records, record == null ? 0 : record.value().length, () -> {});
    metrics.publishBlocked(System.nanoTime() - t0);
  }

  private ProducerRecord<String, byte[]> contributionRecord(
      Contribution c,
      Long leaderVersion,
      long ownInstances,
      long now,
      List<InputSegment> consumed) {
    String topic = config.getString(TrainerConfig.TOPIC_MODEL_SYNC);
    ModelContribution m =
        ContributionCodec.toAvro(
            new ContributionCodec.Header(
                config.trainerName(),
                incarnation,
                ++contributionSequence,
                leaderVersion,
                ownInstances,
                maxEventTime,
                now),
            c);
    m.setInputSegments(consumed);
    return new ProducerRecord<>(
        topic, 0, config.trainerName(), contributionSerializer.serialize(topic, m));
  }

  private List<TrainerShare> trainerShares() {
    List<TrainerShare> out = new ArrayList<>(shares.size());
    shares.forEach((t, s) -> out.add(new TrainerShare(t, s[0], s[1])));
    return out;
  }

  private void maybeCheckpoint() {
    long interval =
        TimeUnit.MILLISECONDS.toNanos(config.getLong(TrainerConfig.CHECKPOINT_INTERVAL_MS));
    if (System.nanoTime() - lastCheckpointNanos < interval && !stopping) {
      return;
    }
    // The checkpoint of a version is written once the version committed, from the model of exactly
    // that version: nothing is trained between handing the publication over and this wait.
    publisher.await();
    try {
      checkpoints.save(version, model);
      lastCheckpointNanos = System.nanoTime();
    } catch (IOException e) {
      // A checkpoint only shortens the next restart; the topics still hold everything.
      log.warn("could not write checkpoint of version {}: {}", version, e.toString());
      metrics.checkpointFailed();
    }
  }

  private ProducerRecord<String, byte[]> update(String topic, String key, ModelUpdate value) {
    return new ProducerRecord<>(
        topic, 0, key, value == null ? null : updateSerializer.serialize(topic, value));
  }

  private boolean drained() {
    for (TopicPartition tp : consumer.assignment()) {
      OptionalLong lag = consumer.currentLag(tp);
      if (lag.isEmpty() || lag.getAsLong() > 0) {
        return false;
      }
    }
    return !consumer.assignment().isEmpty();
  }

  private long totalLag() {
    long sum = 0;
    for (TopicPartition tp : consumer.assignment()) {
      sum += consumer.currentLag(tp).orElse(0);
    }
    return sum;
  }

  /** The producer's settings: the trainer's transactional ones always, its tunables unless set. */
  Map<String, Object> producerConfig(String bootstrap) {
    Map<String, Object> c = config.producerProperties();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    putProducerTunables(c);
    c.put(ProducerConfig.CLIENT_ID_CONFIG, "freshet-trainer-producer" + clientSuffix());
    return c;
  }

  /**
   * The trainer's producer tunables, as defaults under what the configuration sets: {@code
   * linger.ms} 5, {@code compression.type} lz4, {@code max.request.size} 16 MiB, {@code
   * buffer.memory} 64 MiB and {@code batch.size} 1 MiB. A snapshot is megabytes for one partition,
   * and a producer sends one batch per partition per request, so with Kafka's 16 KiB batches each
   * commit took hundreds of round trips (docs/benchmarks.md, "Trainer").
   */
  static void putProducerTunables(Map<String, Object> c) {
    c.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    c.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    c.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
    c.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
    c.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 1024 * 1024);
  }

  /**
   * The consumer's settings. A killed trainer's partitions go to its replacement (or to the other
   * trainers) once the group stops hearing from it, so the session is 6 s (Kafka's default is 45 s,
   * which held a restarted trainer idle for most of a minute); 6 s is the least a broker with
   * default settings allows ({@code group.min.session.timeout.ms}). The configuration may set both.
   */
  Map<String, Object> consumerConfig(String bootstrap) {
    Map<String, Object> c = config.consumerProperties();
    c.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000);
    c.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_500);
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, config.getString(TrainerConfig.GROUP_ID));
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.getInt(TrainerConfig.BATCH_SIZE));
    // Members are ordered by client id, so the range assignor gives partition 0 (and the lead) to
    // the trainer with the smallest instance id.
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "freshet-trainer-consumer" + clientSuffix());
    c.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        List.of(RangeAssignor.class.getName()));
    return c;
  }

  private String clientSuffix() {
    String instance = config.getString(TrainerConfig.INSTANCE_ID);
    return instance.isEmpty() ? "" : "-" + instance;
  }

  /** Stops the loop, publishes a final snapshot and waits (at most 60 s) for that to finish. */
  @Override
  public void close() {
    stopping = true;
    stopRequested.countDown();
    synchronized (this) {
      if (!running) {
        return;
      }
    }
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      if (!stopped.await(60, TimeUnit.SECONDS)) {
        log.warn("trainer did not stop within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
