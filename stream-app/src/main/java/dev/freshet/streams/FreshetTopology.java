package dev.freshet.streams;

import dev.freshet.avro.ClickEvent;
import dev.freshet.avro.Recommendations;
import dev.freshet.avro.RecommendedList;
import dev.freshet.avro.TrainingInstance;
import dev.freshet.avro.UserHistory;
import dev.freshet.avro.UserVector;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.streams.internals.ClickOutcome;
import dev.freshet.streams.internals.ClickParser;
import dev.freshet.streams.internals.ClickValidator;
import dev.freshet.streams.internals.DeadLetter;
import dev.freshet.streams.internals.DeadLetterWriter;
import dev.freshet.streams.internals.HistoryUpdater;
import dev.freshet.streams.internals.LastEncodedSerde;
import dev.freshet.streams.internals.ParsedClick;
import dev.freshet.streams.internals.PrequentialMeter;
import dev.freshet.streams.internals.Recommender;
import dev.freshet.streams.internals.ScoredClick;
import dev.freshet.streams.serving.ServingModel;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The stream app's topology, in one place. {@code main} and the TopologyTestDriver tests both call
 * {@link #build}.
 *
 * <pre>
 * clicks (bytes) → parse+validate ─┬─ invalid ─────────────────────────────→ clicks-dlq
 *                                  └─ valid ─ (re-key by user if needed) → history (and dedup)
 *                                                 history ─┬─ too late ─→ clicks-dlq
 *                                                          ├─ instance ─→ training-instances
 *                                                          └─ recommender (batched) ─┬→ user-vectors
 *                                                                                    └→ recommendations
 * </pre>
 *
 * <p>State: {@code user-history} (written once per click by the history updater; it also keeps the
 * event ids that deduplication checks), {@code last-recommended} (the last list emitted per user,
 * written by the recommender, read by the history updater to judge the next click) and {@code
 * pending-scores} (clicks waiting for their batch; shares the history's encoding through a {@link
 * LastEncodedSerde}).
 *
 * <p>The recommender scores with the {@link ServingModel} the caller keeps up to date from the
 * parameter log.
 */
public final class FreshetTopology {

  public static final String PARSER = "click-parser";
  public static final String HISTORY_UPDATER = "history-updater";
  public static final String REKEY_TOPIC = "clicks-by-user";
  public static final String HISTORY_STORE = "user-history";
  public static final String PENDING_STORE = "pending-scores";
  public static final String LAST_LIST_STORE = "last-recommended";
  public static final String RECOMMENDER = "recommender";

  private FreshetTopology() {}

  /** Builds the topology for {@code config}; serdes talk to its schema registry. */
  public static Topology build(StreamAppConfig config, ServingModel model) {
    Map<String, Object> serdeConfig = config.serdeProperties();
    Serde<ClickEvent> clickSerde = AvroSerdes.specific(ClickEvent.class, serdeConfig, false);
    Serde<TrainingInstance> instanceSerde =
        AvroSerdes.specific(TrainingInstance.class, serdeConfig, false);
    // One serde for the history and pending stores: a waiting click's copy is the history object
    // just written, and its bytes are reused instead of encoded again.
    Serde<UserHistory> historySerde =
        new LastEncodedSerde<>(AvroSerdes.specific(UserHistory.class, serdeConfig, false));
    Serde<RecommendedList> listSerde =
        AvroSerdes.specific(RecommendedList.class, serdeConfig, false);
    Serde<UserVector> vectorSerde = AvroSerdes.specific(UserVector.class, serdeConfig, false);
    Serde<Recommendations> recsSerde =
        AvroSerdes.specific(Recommendations.class, serdeConfig, false);
    String dlq = config.getString(StreamAppConfig.TOPIC_CLICKS_DLQ);
    ClickValidator validator =
        new ClickValidator(
            config.getInt(StreamAppConfig.MAX_ID_LENGTH),
            config.getInt(StreamAppConfig.MAX_TAGS),
            config.getLong(StreamAppConfig.MAX_FUTURE_MS));

    // One meter per instance: every task's judged clicks count towards the same figures.
    PrequentialMeter meter =
        new PrequentialMeter(
            config.getInt(StreamAppConfig.PREQUENTIAL_WINDOW),
            config.getInt(StreamAppConfig.PREQUENTIAL_VERSIONS));

    // The app's own settings, not the builder's defaults (whose StreamsConfig warns about them).
    StreamsBuilder builder =
        new StreamsBuilder(new TopologyConfig(new StreamsConfig(config.streamsProperties())));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(HISTORY_STORE), Serdes.String(), historySerde)
            // Written once per click; the cache folds a user's writes between two commits into
            // one before they reach RocksDB and the changelog.
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(LAST_LIST_STORE), Serdes.String(), listSerde)
            // Written once per emitted list, read once per click; cached like the history.
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PENDING_STORE), Serdes.String(), historySerde)
            // A click normally waits a few ms for its batch and is deleted again before the next
            // commit. The record cache absorbs that put/delete pair: a key written and deleted
            // between two commits never reaches RocksDB or the changelog. Only the clicks still
            // waiting at a commit are written, which is exactly what a restore needs.
            .withCachingEnabled());

    KStream<String, ParsedClick> parsed =
        builder.stream(
                config.getString(StreamAppConfig.TOPIC_CLICKS),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
            .process(() -> new ClickParser(clickSerde.deserializer(), validator), Named.as(PARSER));

    Map<String, KStream<String, ParsedClick>> parsedBranches =
        parsed
            .split(Named.as("parsed-"))
            .branch((k, v) -> !v.isValid(), Branched.as("invalid"))
            .branch((k, v) -> v.keyedByUser(), Branched.as("keyed"))
            .defaultBranch(Branched.as("mis-keyed"));
    writeDeadLetters(parsedBranches.get("parsed-invalid").mapValues(ParsedClick::deadLetter), dlq);
    KStream<String, ClickEvent> byUser =
        parsedBranches
            .get("parsed-keyed")
            .mapValues(ParsedClick::click)
            .merge(
                parsedBranches
                    .get("parsed-mis-keyed")
                    .mapValues(ParsedClick::click)
                    .repartition(
                        Repartitioned.with(Serdes.String(), clickSerde).withName(REKEY_TOPIC)));

    KStream<String, ClickOutcome> outcomes =
        byUser.process(
            () ->
                new HistoryUpdater(
                    HISTORY_STORE,
                    LAST_LIST_STORE,
                    config.getInt(StreamAppConfig.HISTORY_SIZE),
                    config.getLong(StreamAppConfig.LATE_GRACE_MS),
                    config.getLong(StreamAppConfig.DEDUP_WINDOW_MS),
                    config.getInt(StreamAppConfig.DEDUP_MAX_IDS),
                    clickSerde.serializer(),
                    meter),
            Named.as(HISTORY_UPDATER),
            HISTORY_STORE,
            LAST_LIST_STORE);

    Map<String, KStream<String, ClickOutcome>> outcomeBranches =
        outcomes
            .split(Named.as("outcome-"))
            .branch((k, v) -> !v.accepted(), Branched.as("late"))
            .defaultBranch(Branched.as("accepted"));
    writeDeadLetters(outcomeBranches.get("outcome-late").mapValues(ClickOutcome::deadLetter), dlq);
    KStream<String, ClickOutcome> accepted = outcomeBranches.get("outcome-accepted");
    accepted
        .mapValues(ClickOutcome::instance)
        .to(
            config.getString(StreamAppConfig.TOPIC_TRAINING_INSTANCES),
            Produced.with(Serdes.String(), instanceSerde));

    KStream<String, ScoredClick> scored =
        accepted.process(
            () ->
                new Recommender(
                    model,
                    PENDING_STORE,
                    LAST_LIST_STORE,
                    config.getInt(StreamAppConfig.RECOMMENDATIONS_SIZE),
                    config.getBoolean(StreamAppConfig.EXCLUDE_SEEN),
                    config.getInt(StreamAppConfig.BATCH_MAX_SIZE),
                    config.getLong(StreamAppConfig.BATCH_MAX_WAIT_MS)),
            Named.as(RECOMMENDER),
            PENDING_STORE,
            LAST_LIST_STORE);
    scored
        .filter((k, v) -> v.userVector() != null)
        .mapValues(ScoredClick::userVector)
        .to(
            config.getString(StreamAppConfig.TOPIC_USER_VECTORS),
            Produced.with(Serdes.String(), vectorSerde));
    scored
        .mapValues(ScoredClick::recommendations)
        .to(
            config.getString(StreamAppConfig.TOPIC_RECOMMENDATIONS),
            Produced.with(Serdes.String(), recsSerde));
    return builder.build();
  }

  private static void writeDeadLetters(KStream<String, DeadLetter> deadLetters, String topic) {
    deadLetters
        .process(DeadLetterWriter::new)
        .to(topic, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
  }
}
