package dev.freshet.trainer;

import dev.freshet.avro.ItemVector;
import dev.freshet.avro.ModelUpdate;
import dev.freshet.avro.SnapshotManifest;
import dev.freshet.avro.TrainingInstance;
import dev.freshet.model.CandidateModel;
import dev.freshet.model.ItemVectors;
import dev.freshet.model.Table;
import dev.freshet.model.UserTower;
import dev.freshet.paramlog.ModelConfigCodec;
import dev.freshet.paramlog.ParamKeys;
import dev.freshet.paramlog.ParamLogReader;
import dev.freshet.paramlog.ParamRecords;
import dev.freshet.paramlog.ServingParams;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.trainer.internals.CheckpointStore;
import dev.freshet.trainer.internals.Recovery;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Republishes an earlier snapshot as the newest version ({@code freshet rollback --to-version N}).
 *
 * <p>The model of version N is rebuilt exactly (checkpoint + replay, as in recovery). Then one
 * transaction publishes every row, item vector and dense tensor of N, tombstones for what exists
 * now but did not in N, and a manifest {@code L+1} with {@code rolledBackFrom = N}. The instance
 * counter and the clock carry on from {@code L}: the instances since N were consumed and stay
 * consumed, their effect is discarded. The producer uses the trainer's transactional id, so a
 * running trainer is fenced; restart it afterwards and it continues from the rolled-back model
 * (recovery resets to N when it meets the rollback manifest).
 */
public final class Rollback {

  private static final Logger log = LoggerFactory.getLogger(Rollback.class);

  private Rollback() {}

  /**
   * Rolls back to {@code toVersion}; returns the new manifest.
   *
   * @throws IllegalArgumentException if {@code toVersion} is not an earlier published version
   */
  public static SnapshotManifest run(TrainerConfig config, long toVersion) throws IOException {
    Objects.requireNonNull(config, "config");
    String bootstrap = String.join(",", config.getList(TrainerConfig.BOOTSTRAP_SERVERS));
    Map<String, Object> serde = config.serdeProperties();
    CheckpointStore checkpoints =
        new CheckpointStore(
            Path.of(config.getString(TrainerConfig.CHECKPOINT_DIR)),
            config.getInt(TrainerConfig.CHECKPOINTS_KEPT));
    Recovery recovery =
        new Recovery(
            config,
            checkpoints,
            AvroSerdes.specific(TrainingInstance.class, serde, false).deserializer());
    Map<String, Object> p = config.producerProperties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.getString(TrainerConfig.TRANSACTIONAL_ID));
    OnlineTrainer.putProducerTunables(p);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      producer.initTransactions(); // fences a running trainer before we read the log
      NavigableMap<Long, SnapshotManifest> manifests = recovery.readManifests(bootstrap);
      if (manifests.isEmpty()) {
        throw new IllegalArgumentException("no snapshot has been published yet");
      }
      SnapshotManifest latest = manifests.lastEntry().getValue();
      if (!manifests.containsKey(toVersion) || toVersion >= latest.getVersion()) {
        throw new IllegalArgumentException(
            "--to-version must be an earlier published version (1.."
                + (latest.getVersion() - 1)
                + "), was "
                + toVersion);
      }
      CandidateModel target = rebuild(recovery, manifests, toVersion, bootstrap);
      ServingParams current = readPublished(config, bootstrap);
      producer.beginTransaction();
      SnapshotManifest manifest =
          publish(producer, config, manifests.get(toVersion), latest, target, current);
      producer.commitTransaction();
      target.drainChanges();
      checkpoints.save(manifest.getVersion(), target);
      log.info(
          "published snapshot {} = snapshot {} ({} items, {} rows)",
          manifest.getVersion(),
          toVersion,
          manifest.getItemCount(),
          manifest.getRowsChanged());
      return manifest;
    }
  }

  /**
   * The model exactly as snapshot {@code toVersion} published it (checkpoint + replay).
   *
   * @throws IOException if the instance log no longer holds what the rebuild must replay
   */
  static CandidateModel rebuild(
      Recovery recovery,
      NavigableMap<Long, SnapshotManifest> manifests,
      long toVersion,
      String bootstrap)
      throws IOException {
    try {
      return recovery.modelAt(manifests, toVersion, bootstrap).model();
    } catch (Recovery.ReplayImpossibleException e) {
      throw new IOException("cannot rebuild snapshot " + toVersion + ": " + e.getMessage(), e);
    }
  }

  /** The parameters published now (the newest complete snapshot on the parameter log). */
  static ServingParams readPublished(TrainerConfig config, String bootstrap) throws IOException {
    return ParamLogReader.readAll(
        bootstrap,
        config.consumerProperties(),
        config.getString(TrainerConfig.TOPIC_MODEL_PARAMS),
        AvroSerdes.specific(ModelUpdate.class, config.serdeProperties(), false).deserializer(),
        Duration.ofMinutes(2));
  }

  /**
   * Sends, in the producer's open transaction, snapshot {@code latest + 1} = {@code target}: every
   * row, item vector and dense tensor of the target, tombstones for what {@code current} holds and
   * the target does not, and the manifest with {@code rolledBackFrom = from}. The caller commits.
   * The instance counter and the clock carry on from {@code latest}.
   *
   * @return the new manifest
   */
  static SnapshotManifest publish(
      KafkaProducer<String, byte[]> producer,
      TrainerConfig config,
      SnapshotManifest from,
      SnapshotManifest latest,
      CandidateModel target,
      ServingParams current) {
    Map<String, Object> serde = config.serdeProperties();
    long v = latest.getVersion() + 1;
    long now = System.currentTimeMillis();
    String params = config.getString(TrainerConfig.TOPIC_MODEL_PARAMS);
    String items = config.getString(TrainerConfig.TOPIC_ITEM_VECTORS);
    Serializer<ModelUpdate> us = AvroSerdes.specific(ModelUpdate.class, serde, false).serializer();
    Serializer<ItemVector> is = AvroSerdes.specific(ItemVector.class, serde, false).serializer();
    Serializer<SnapshotManifest> ms =
        AvroSerdes.specific(SnapshotManifest.class, serde, false).serializer();
    int rows = 0;
    for (Table table : Table.values()) {
      if (table == Table.ITEM_OUTPUT) {
        continue;
      }
      Set<String> keep = new HashSet<>();
      List<String> keys = new ArrayList<>(target.keys(table));
      if (target.exportRow(table, UserTower.UNK) != null) {
        keys.add(UserTower.UNK); // keys() lists admitted values only; the tower needs <unk> too
      }
      for (String key : keys) {
        float[] row = target.exportRow(table, key);
        send(
            producer,
            params,
            ParamKeys.row(table, key),
            us.serialize(params, ParamRecords.row(v, table, key, row)));
        keep.add(key);
        rows++;
      }
      for (String key : List.copyOf(current.rows(table).keySet())) {
        if (!keep.contains(key)) {
          send(producer, params, ParamKeys.row(table, key), null);
          rows++;
        }
      }
    }
    ItemVectors all = target.itemVectors();
    Set<String> keptItems = new HashSet<>(all.ids());
    for (int i = 0; i < all.size(); i++) {
      ItemVector iv = ParamRecords.itemVector(v, all.id(i), all.vector(i), now);
      send(
          producer, params, ParamKeys.item(all.id(i)), us.serialize(params, ParamRecords.item(iv)));
      producer.send(new ProducerRecord<>(items, all.id(i), is.serialize(items, iv)));
    }
    int removedItems = 0;
    for (String id : List.copyOf(current.items().keySet())) {
      if (!keptItems.contains(id)) {
        send(producer, params, ParamKeys.item(id), null);
        producer.send(new ProducerRecord<>(items, id, null));
        removedItems++;
      }
    }
    send(
        producer,
        params,
        ParamKeys.DENSE,
        us.serialize(params, ParamRecords.dense(v, target.exportDense())));
    SnapshotManifest manifest =
        SnapshotManifest.newBuilder()
            .setVersion(v)
            .setPreviousVersion(latest.getVersion())
            .setInstancesApplied(latest.getInstancesApplied())
            .setLoss(from.getLoss())
            .setMaxItemNorm(from.getMaxItemNorm())
            .setItemCount(all.size())
            .setItemVectorsChanged(all.size() + removedItems)
            .setRowsChanged(rows)
            .setDenseChanged(true)
            .setModelConfig(ModelConfigCodec.toJson(target.config()))
            .setMaxEventTime(latest.getMaxEventTime())
            .setCreatedAt(Instant.ofEpochMilli(now))
            .setRolledBackFrom(from.getVersion())
            // Other trainers' contributions up to here count as consumed, like the instances: a
            // leader continues merging after them.
            .setSyncFrom(latest.getSyncTo())
            .setSyncTo(latest.getSyncTo())
            .setTrainers(latest.getTrainers())
            .build();
    send(
        producer,
        params,
        ParamKeys.MANIFEST,
        us.serialize(params, ParamRecords.manifest(manifest)));
    String snapshots = config.getString(TrainerConfig.TOPIC_SNAPSHOTS);
    producer.send(
        new ProducerRecord<>(snapshots, Long.toString(v), ms.serialize(snapshots, manifest)));
    return manifest;
  }

  private static void send(
      KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value) {
    producer.send(new ProducerRecord<>(topic, 0, key, value));
  }
}
