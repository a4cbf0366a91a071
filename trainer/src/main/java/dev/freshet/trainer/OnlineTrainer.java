package dev.freshet.trainer;

import dev.freshet.avro.ItemVector;
import dev.freshet.avro.ModelUpdate;
import dev.freshet.avro.Recommendations;
import dev.freshet.avro.SnapshotManifest;
import dev.freshet.avro.TrainingInstance;
import dev.freshet.metrics.PrometheusMeters;
import dev.freshet.model.CandidateModel;
import dev.freshet.model.ChangeSet;
import dev.freshet.model.Instance;
import dev.freshet.model.TrainStats;
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
import dev.freshet.trainer.internals.TrainerMetrics;
import dev.freshet.trainer.internals.TransientFailure;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * <p>One trainer per consumer group: a second one fences the first through the transactional id.
 * {@link #run} blocks on the calling thread; {@link #close} (from another thread) stops it after a
 * final snapshot.
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

  public OnlineTrainer(TrainerConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    Map<String, Object> serde = config.serdeProperties();
    this.instanceDeserializer =
        AvroSerdes.specific(TrainingInstance.class, serde, false).deserializer();
    this.updateSerializer = AvroSerdes.specific(ModelUpdate.class, serde, false).serializer();
    this.itemSerializer = AvroSerdes.specific(ItemVector.class, serde, false).serializer();
    this.manifestSerializer =
        AvroSerdes.specific(SnapshotManifest.class, serde, false).serializer();
    this.checkpoints =
        new CheckpointStore(
            Path.of(config.getString(TrainerConfig.CHECKPOINT_DIR)),
            config.getInt(TrainerConfig.CHECKPOINTS_KEPT));
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
      Recovery.Result recovered = recovery.recover(bootstrap);
      model = recovered.model();
      version = recovered.version();
      instancesApplied = recovered.instancesApplied();
      maxEventTime = recovered.maxEventTime();
      metrics.recovered(version, instancesApplied, recovered.replayedInstances());
      consumer =
          new KafkaConsumer<>(
              consumerConfig(bootstrap), new StringDeserializer(), new ByteArrayDeserializer());
      consumer.subscribe(List.of(config.getString(TrainerConfig.TOPIC_TRAINING_INSTANCES)));
      if (meters != null) {
        clientMeters.add(
            meters.bind(
                new KafkaClientMetrics(
                    consumer,
                    List.of(),
                    PrometheusMeters.kafkaScheduler("trainer-consumer"),
                    PrometheusMeters.KAFKA_REFRESH)));
      }
      if (version == 0) {
        publish(); // version 1: the initial parameters, so readers can build a tower at once
        publisher.await();
      }
      if (config.getBoolean(TrainerConfig.GUARDRAIL_ENABLED)) {
        startGuardrail();
      }
      lastPublishNanos = System.nanoTime();
      lastCheckpointNanos = System.nanoTime();
      started.countDown();
      loop();
      trainPending();
      if (!segments.isEmpty() || !deadLetterRecords.isEmpty()) {
        publish();
      }
      publisher.await();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void closeClients() {
    JudgementReader j = judgements;
    judgements = null;
    if (j != null) {
      j.close();
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
        if ((!segments.isEmpty() || !deadLetterRecords.isEmpty())
            && now - lastPublishNanos >= publishNanos) {
          trainPending();
          publish();
        }
        if (guard != null && now - lastGuardCheckNanos >= GUARD_CHECK_NANOS) {
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
                config.clientProperties(),
                config.getString(TrainerConfig.TOPIC_RECOMMENDATIONS),
                AvroSerdes.specific(Recommendations.class, config.serdeProperties(), false)
                    .deserializer(),
                guard)
            .start();
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
    long t0 = System.nanoTime();
    if (model.config().rowExpiryMillis() > 0) {
      model.expire(maxEventTime);
    }
    ChangeSet changes = model.drainChanges();
    long v = version + 1;
    long now = System.currentTimeMillis();
    String params = config.getString(TrainerConfig.TOPIC_MODEL_PARAMS);
    String itemsTopic = config.getString(TrainerConfig.TOPIC_ITEM_VECTORS);
    SnapshotDeltas deltas = SnapshotDeltas.of(model, changes, v, now);
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>(deadLetterRecords);
    deadLetterRecords.clear();
    for (SnapshotDeltas.KeyedUpdate u : deltas.paramRecords()) {
      records.add(update(params, u.key(), u.value()));
    }
    deltas
        .itemVectors()
        .forEach(
            (id, iv) ->
                records.add(
                    new ProducerRecord<>(
                        itemsTopic,
                        id,
                        iv == null ? null : itemSerializer.serialize(itemsTopic, iv))));
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
            .build();
    records.add(update(params, ParamKeys.MANIFEST, ParamRecords.manifest(manifest)));
    String snapshots = config.getString(TrainerConfig.TOPIC_SNAPSHOTS);
    records.add(
        new ProducerRecord<>(
            snapshots, Long.toString(v), manifestSerializer.serialize(snapshots, manifest)));
    List<Long> produced = List.copyOf(producedSincePublish);
    boolean dense = changes.denseChanged();
    publisher.submit(
        new Publisher.Publication(
            records,
            offsets,
            offsets.isEmpty() ? null : consumer.groupMetadata(),
            commitNanos -> {
              metrics.publishCommitted(commitNanos);
              metrics.published(
                  manifest, System.nanoTime() - t0, produced, System.currentTimeMillis());
              log.debug(
                  "published snapshot {}: {} items, {} rows, dense {}", v, items, rows, dense);
            }));
    if (!config.getBoolean(TrainerConfig.PUBLISH_OVERLAP)) {
      publisher.await();
    }
    version = v;
    batchSizes.clear();
    producedSincePublish.clear();
    lossSum = 0;
    lossCount = 0;
    lastPublishNanos = System.nanoTime();
    consumedSincePublish = 0;
    maybeCheckpoint();
    metrics.publishBlocked(System.nanoTime() - t0);
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

  private Map<String, Object> producerConfig(String bootstrap) {
    Map<String, Object> c = new HashMap<>(config.clientProperties());
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.getString(TrainerConfig.TRANSACTIONAL_ID));
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
    c.put(ProducerConfig.CLIENT_ID_CONFIG, "freshet-trainer-producer");
    return c;
  }

  private Map<String, Object> consumerConfig(String bootstrap) {
    Map<String, Object> c = new HashMap<>(config.clientProperties());
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, config.getString(TrainerConfig.GROUP_ID));
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.getInt(TrainerConfig.BATCH_SIZE));
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "freshet-trainer-consumer");
    return c;
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
