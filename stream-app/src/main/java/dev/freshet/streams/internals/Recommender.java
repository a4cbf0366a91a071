package dev.freshet.streams.internals;

import dev.freshet.avro.ClickedItem;
import dev.freshet.avro.RecommendationSource;
import dev.freshet.avro.Recommendations;
import dev.freshet.avro.RecommendedList;
import dev.freshet.avro.ScoredItem;
import dev.freshet.avro.UserHistory;
import dev.freshet.avro.UserVector;
import dev.freshet.model.UserContext;
import dev.freshet.paramlog.InstanceConverter;
import dev.freshet.paramlog.ParamRecords;
import dev.freshet.streams.retrieval.ItemScore;
import dev.freshet.streams.serving.Popularity;
import dev.freshet.streams.serving.ServingModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Recomputes the user's vector and top-N after every accepted click, in batches: clicks are
 * collected for at most {@code maxWaitMs} (wall clock) or {@code maxBatch} clicks and scored with
 * one forward pass of the user tower, because one pass over a batch costs little more than one pass
 * over a single user.
 *
 * <p>The wall clock is used here on purpose, and only for latency: it decides when a batch is
 * scored, never what a result is. Clicks waiting for their batch are also written to a changelogged
 * store in the same transaction as the input offsets, and re-queued on restore, so a crash between
 * a commit and a flush loses no recommendation under exactly-once (and at most repeats one under
 * at-least-once).
 *
 * <p>A waiting click's copy in that store is the history object {@link HistoryUpdater} just wrote
 * to its own store; the two stores share a {@link LastEncodedSerde}, so the copy costs no second
 * encoding.
 *
 * <p>Each emitted list is also written to its own store ({@code last-recommended}: ids and model
 * version), where {@link HistoryUpdater} judges the user's next click against it; the click's own
 * judgement, which came with its history, goes on its recommendations. Both stores are written in
 * the same transaction as the input offsets, so the judged list survives a restore.
 *
 * <p>Before any model snapshot exists, recommendations are the most clicked items this task has
 * seen, marked {@link RecommendationSource#POPULARITY} with model version -1.
 */
public final class Recommender implements Processor<String, ClickOutcome, String, ScoredClick> {

  private static final char SEP = '\u0000';

  private final ServingModel model;
  private final String storeName;
  private final String listStoreName;
  private final int topN;
  private final boolean excludeSeen;
  private final int maxBatch;
  private final long maxWaitMs;
  private final Popularity popularity = new Popularity();
  private final List<Pending> buffer = new ArrayList<>();

  private ProcessorContext<String, ScoredClick> context;
  private KeyValueStore<String, UserHistory> pending;
  private KeyValueStore<String, RecommendedList> lists;
  private Sensor modelScored;
  private Sensor popularityScored;
  private Sensor clickToScored;

  private record Pending(
      String key, String userId, String eventId, long eventTime, UserHistory history) {}

  public Recommender(
      ServingModel model,
      String storeName,
      String listStoreName,
      int topN,
      boolean excludeSeen,
      int maxBatch,
      long maxWaitMs) {
    this.model = Objects.requireNonNull(model, "model");
    this.storeName = Objects.requireNonNull(storeName, "storeName");
    this.listStoreName = Objects.requireNonNull(listStoreName, "listStoreName");
    if (topN < 1 || maxBatch < 1 || maxWaitMs < 0) {
      throw new IllegalArgumentException(
          "topN and maxBatch must be >= 1 and maxWaitMs >= 0, were "
              + topN
              + ", "
              + maxBatch
              + ", "
              + maxWaitMs);
    }
    this.topN = topN;
    this.excludeSeen = excludeSeen;
    this.maxBatch = maxBatch;
    this.maxWaitMs = maxWaitMs;
  }

  @Override
  public void init(ProcessorContext<String, ScoredClick> context) {
    this.context = context;
    this.pending = context.getStateStore(storeName);
    this.lists = context.getStateStore(listStoreName);
    this.modelScored =
        context
            .metrics()
            .addRateTotalSensor("freshet", "recommendations", "model", Sensor.RecordingLevel.INFO);
    this.popularityScored =
        context
            .metrics()
            .addRateTotalSensor(
                "freshet", "recommendations", "popularity", Sensor.RecordingLevel.INFO);
    // How far behind its input the app scores, in ms: the recommendation's computedAt minus the
    // click's event time (producer clock), so it includes the time from the producer to the app.
    this.clickToScored =
        context
            .metrics()
            .addLatencyRateTotalSensor(
                "freshet", "recommendations", "click-to-scored", Sensor.RecordingLevel.INFO);
    try (KeyValueIterator<String, UserHistory> it = pending.all()) {
      while (it.hasNext()) {
        KeyValue<String, UserHistory> kv = it.next();
        buffer.add(parse(kv.key, kv.value));
      }
    }
    context.schedule(
        Duration.ofMillis(Math.max(1, maxWaitMs)), PunctuationType.WALL_CLOCK_TIME, t -> flush());
  }

  @Override
  public void process(Record<String, ClickOutcome> record) {
    ClickOutcome outcome = record.value();
    String eventId = outcome.click().getEventId();
    long eventTime = outcome.click().getEventTime().toEpochMilli();
    String key = outcome.click().getUserId() + SEP + eventId + SEP + eventTime;
    // The very object HistoryUpdater wrote: its bytes are reused (LastEncodedSerde).
    UserHistory waiting = outcome.history();
    pending.put(key, waiting);
    buffer.add(new Pending(key, outcome.click().getUserId(), eventId, eventTime, waiting));
    popularity.record(outcome.click().getVideoId());
    if (buffer.size() >= maxBatch) {
      flush();
    }
  }

  private void flush() {
    if (buffer.isEmpty()) {
      return;
    }
    List<UserContext> users = new ArrayList<>(buffer.size());
    List<Set<String>> exclude = new ArrayList<>(buffer.size());
    for (Pending p : buffer) {
      UserHistory h = p.history();
      users.add(
          InstanceConverter.toContext(
              p.userId(), h.getProvince(), h.getCity(), h.getPhone(), h.getClicks()));
      exclude.add(excludeSeen ? seen(h) : Set.of());
    }
    // Each user's records go out as soon as its chunk is scored, while the pool scores the next.
    boolean scored =
        model.score(
            users,
            exclude,
            topN,
            (i, version, s) -> {
              Instant computedAt = Instant.now();
              Pending p = buffer.get(i);
              List<ScoredItem> items = new ArrayList<>(s.items().size());
              for (ItemScore is : s.items()) {
                items.add(new ScoredItem(is.itemId(), is.score()));
              }
              emit(
                  p,
                  new ScoredClick(
                      new UserVector(
                          p.userId(),
                          ParamRecords.toList(s.userVector()),
                          version,
                          Instant.ofEpochMilli(p.eventTime()),
                          computedAt,
                          p.eventId()),
                      recommendations(p, items, RecommendationSource.MODEL, version, computedAt)),
                  computedAt);
              modelScored.record();
            });
    if (!scored) {
      Instant computedAt = Instant.now();
      for (int i = 0; i < buffer.size(); i++) {
        Pending p = buffer.get(i);
        List<ScoredItem> items = new ArrayList<>(topN);
        for (Map.Entry<String, Long> e : popularity.top(topN, exclude.get(i))) {
          items.add(new ScoredItem(e.getKey(), e.getValue().floatValue()));
        }
        emit(
            p,
            new ScoredClick(
                null, recommendations(p, items, RecommendationSource.POPULARITY, -1, computedAt)),
            computedAt);
        popularityScored.record();
      }
    }
    buffer.clear();
  }

  /** Sends a scored click on, remembers its list and takes it off the pending store. */
  private void emit(Pending p, ScoredClick out, Instant computedAt) {
    context.forward(new Record<>(p.userId(), out, p.eventTime()));
    remember(out.recommendations());
    // A put of null deletes as delete() does, without reading back the old value.
    pending.put(p.key(), null);
    long computedMs = computedAt.toEpochMilli();
    clickToScored.record(computedMs - p.eventTime(), computedMs);
  }

  /** Writes the emitted list to the user's last list: the next click is judged against it. */
  private void remember(Recommendations recs) {
    List<String> ids = new ArrayList<>(recs.getItems().size());
    for (ScoredItem item : recs.getItems()) {
      ids.add(item.getVideoId());
    }
    lists.put(recs.getUserId(), new RecommendedList(ids, recs.getModelVersion()));
  }

  private static Recommendations recommendations(
      Pending p,
      List<ScoredItem> items,
      RecommendationSource source,
      long version,
      Instant computedAt) {
    return Recommendations.newBuilder()
        .setUserId(p.userId())
        .setItems(items)
        .setSource(source)
        .setModelVersion(version)
        .setEventTime(Instant.ofEpochMilli(p.eventTime()))
        .setComputedAt(computedAt)
        .setEventId(p.eventId())
        .setJudgement(p.history().getLastJudgement())
        .build();
  }

  private static Set<String> seen(UserHistory h) {
    Set<String> s = new HashSet<>();
    for (ClickedItem c : h.getClicks()) {
      s.add(c.getVideoId());
    }
    return s;
  }

  private static Pending parse(String key, UserHistory history) {
    int a = key.indexOf(SEP);
    int b = key.lastIndexOf(SEP);
    if (a < 0 || b <= a) {
      throw new IllegalStateException("corrupt pending-score key: " + key.replace(SEP, '|'));
    }
    return new Pending(
        key,
        key.substring(0, a),
        key.substring(a + 1, b),
        Long.parseLong(key.substring(b + 1)),
        history);
  }

  @Override
  public void close() {
    // Clicks still buffered stay in the store; the next owner of this task re-queues them.
    buffer.clear();
  }
}
