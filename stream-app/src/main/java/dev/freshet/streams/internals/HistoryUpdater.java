package dev.freshet.streams.internals;

import dev.freshet.avro.ClickEvent;
import dev.freshet.avro.ClickedItem;
import dev.freshet.avro.Judgement;
import dev.freshet.avro.RecommendedList;
import dev.freshet.avro.TrainingInstance;
import dev.freshet.avro.UserHistory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each user's last {@code window} clicks in event-time order and turns every click into a
 * training instance: the clicks before it (oldest first) → the clicked item.
 *
 * <p>A click older than the user's newest one is inserted at its event-time position if it is at
 * most {@code graceMs} older; the instance is then made from the clicks before that position.
 * Instances already emitted for later clicks are not revised. A click older than the grace period
 * becomes a {@link DeadLetterReason#TOO_LATE} dead letter. The profile fields (province, city,
 * phone) follow the newest click that carries them.
 *
 * <p>Every accepted click is also judged prequentially: was its item in the last list the app
 * emitted for the user? {@link Recommender} writes that list into its own store ({@code
 * last-recommended}) when it emits it; state from before that store existed keeps it in the
 * history's own {@code lastRecommended} fields, which are read when the store has no list for the
 * user. The judgement goes with the updated history ({@code lastJudgement}, null when the user had
 * no list yet) to the recommender, which puts it on the click's recommendations, and into the
 * {@link PrequentialMeter}. Clicks are judged in the order the topology processes them; a click
 * placed out of event-time order is judged against the last list all the same.
 *
 * <p>The history is written once per click, without the list, so emitting a list does not encode
 * the user's whole window a second time.
 *
 * <p>Deduplication lives in the same record: the event ids of the user's clicks within {@code
 * dedupWindowMs} of event time before the newest (at most {@code dedupMaxIds} of them, {@link
 * RecentIds}). A click whose id is among them is a producer's retry or a replay: it is counted
 * (metric {@code freshet/dedup/duplicate}) and dropped, before any other check, since it carries
 * nothing the first copy did not. With {@code dedupWindowMs} 0 no ids are kept.
 */
public final class HistoryUpdater implements Processor<String, ClickEvent, String, ClickOutcome> {

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final String storeName;
  private final String listStoreName;
  private final int window;
  private final long graceMs;
  private final long dedupWindowMs;
  private final int dedupMaxIds;
  private final Serializer<ClickEvent> serializer;
  private final PrequentialMeter meter;
  private ProcessorContext<String, ClickOutcome> context;
  private KeyValueStore<String, UserHistory> store;
  private KeyValueStore<String, RecommendedList> lists;
  private Sensor duplicates;

  public HistoryUpdater(
      String storeName,
      String listStoreName,
      int window,
      long graceMs,
      long dedupWindowMs,
      int dedupMaxIds,
      Serializer<ClickEvent> serializer,
      PrequentialMeter meter) {
    if (window < 1 || graceMs < 0 || dedupWindowMs < 0 || dedupMaxIds < 1) {
      throw new IllegalArgumentException(
          "window and dedupMaxIds must be >= 1, graceMs and dedupWindowMs >= 0, were "
              + window
              + ", "
              + dedupMaxIds
              + ", "
              + graceMs
              + " and "
              + dedupWindowMs);
    }
    this.dedupWindowMs = dedupWindowMs;
    this.dedupMaxIds = dedupMaxIds;
    this.storeName = Objects.requireNonNull(storeName, "storeName");
    this.listStoreName = Objects.requireNonNull(listStoreName, "listStoreName");
    this.window = window;
    this.graceMs = graceMs;
    this.serializer = Objects.requireNonNull(serializer, "serializer");
    this.meter = Objects.requireNonNull(meter, "meter");
  }

  @Override
  public void init(ProcessorContext<String, ClickOutcome> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    this.lists = context.getStateStore(listStoreName);
    this.duplicates =
        context
            .metrics()
            .addRateTotalSensor("freshet", "dedup", "duplicate", Sensor.RecordingLevel.INFO);
    meter.bind(context.metrics());
  }

  @Override
  public void process(Record<String, ClickEvent> record) {
    ClickEvent click = record.value();
    String userId = click.getUserId();
    UserHistory history = store.get(userId);
    byte[] id = dedupWindowMs > 0 ? RecentIds.utf8(click.getEventId()) : null;
    if (id != null && history != null && RecentIds.contains(history.getRecentEventIds(), id)) {
      duplicates.record();
      return;
    }
    List<ClickedItem> clicks =
        history == null ? new ArrayList<>() : new ArrayList<>(history.getClicks());
    long eventTime = click.getEventTime().toEpochMilli();
    long newest =
        clicks.isEmpty()
            ? Long.MIN_VALUE
            : clicks.get(clicks.size() - 1).getEventTime().toEpochMilli();

    if (!clicks.isEmpty() && eventTime < newest - graceMs) {
      context.forward(
          record.withValue(new ClickOutcome(click, null, null, tooLate(record, newest))));
      return;
    }
    int pos = clicks.size();
    while (pos > 0 && clicks.get(pos - 1).getEventTime().toEpochMilli() > eventTime) {
      pos--;
    }
    ClickedItem item =
        ClickedItem.newBuilder()
            .setVideoId(click.getVideoId())
            .setCategory(click.getCategory())
            .setTags(List.copyOf(click.getTags()))
            .setEventTime(click.getEventTime())
            .setSearchTokens(List.copyOf(click.getSearchTokens()))
            .build();
    TrainingInstance instance =
        TrainingInstance.newBuilder()
            .setEventId(click.getEventId())
            .setUserId(userId)
            .setProvince(click.getProvince())
            .setCity(click.getCity())
            .setPhone(click.getPhone())
            .setHistory(List.copyOf(clicks.subList(Math.max(0, pos - window), pos)))
            .setTarget(item)
            .setEventTime(click.getEventTime())
            .build();

    clicks.add(pos, item);
    if (clicks.size() > window) {
      clicks = new ArrayList<>(clicks.subList(clicks.size() - window, clicks.size()));
    }
    boolean isNewest = eventTime >= newest;
    // A list is written only after a click of the user, so a first click has none to read.
    Judgement judgement =
        judge(lastList(history == null ? null : lists.get(userId), history), click.getVideoId());
    if (judgement == null) {
      meter.recordNotJudged();
    } else {
      meter.record(judgement);
    }
    UserHistory updated =
        UserHistory.newBuilder()
            .setUserId(userId)
            .setProvince(
                pick(isNewest, click.getProvince(), history == null ? null : history.getProvince()))
            .setCity(pick(isNewest, click.getCity(), history == null ? null : history.getCity()))
            .setPhone(pick(isNewest, click.getPhone(), history == null ? null : history.getPhone()))
            .setClicks(clicks)
            .setTotalClicks((history == null ? 0 : history.getTotalClicks()) + 1)
            .setLastRecommended(List.of())
            .setLastRecommendedVersion(null)
            .setLastJudgement(judgement)
            .setRecentEventIds(
                id == null
                    ? EMPTY
                    : RecentIds.add(
                        history == null ? null : history.getRecentEventIds(),
                        id,
                        eventTime,
                        Math.max(newest, eventTime) - dedupWindowMs,
                        dedupMaxIds))
            .build();
    store.put(userId, updated);
    context.forward(record.withValue(new ClickOutcome(click, instance, updated, null)));
  }

  /**
   * The user's last list: the one in {@code last-recommended} ({@code stored}), else the one an
   * older history still carries in its own fields; null when no list was emitted for the user yet.
   */
  public static RecommendedList lastList(RecommendedList stored, UserHistory history) {
    if (stored != null) {
      return stored;
    }
    if (history != null && history.getLastRecommendedVersion() != null) {
      return new RecommendedList(history.getLastRecommended(), history.getLastRecommendedVersion());
    }
    return null;
  }

  /** The click against the user's last list; null when there is none. */
  static Judgement judge(RecommendedList last, String videoId) {
    if (last == null) {
      return null;
    }
    List<String> list = last.getItemIds();
    int rank = list.indexOf(videoId);
    return Judgement.newBuilder()
        .setHit(rank >= 0)
        .setRank(rank)
        .setModelVersion(last.getModelVersion())
        .setListSize(list.size())
        .build();
  }

  private static String pick(boolean preferNew, String fresh, String old) {
    if (preferNew) {
      return fresh != null ? fresh : old;
    }
    return old != null ? old : fresh;
  }

  private DeadLetter tooLate(Record<String, ClickEvent> record, long newest) {
    ClickEvent click = record.value();
    RecordMetadata meta = context.recordMetadata().orElse(null);
    String topic = meta == null ? null : meta.topic();
    return new DeadLetter(
        DeadLetterReason.TOO_LATE,
        "eventTime "
            + click.getEventTime()
            + " is "
            + (newest - click.getEventTime().toEpochMilli())
            + " ms before the user's newest click (late.grace.ms="
            + graceMs
            + ")",
        click.getUserId().getBytes(java.nio.charset.StandardCharsets.UTF_8),
        serializer.serialize(topic, click),
        topic,
        meta == null ? -1 : meta.partition(),
        meta == null ? -1 : meta.offset());
  }
}
