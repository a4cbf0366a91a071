package dev.freshet.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.avro.ClickedItem;
import dev.freshet.avro.RecommendationSource;
import dev.freshet.avro.Recommendations;
import dev.freshet.avro.RecommendedList;
import dev.freshet.avro.ScoredItem;
import dev.freshet.avro.UserHistory;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.streams.internals.Recommender;
import dev.freshet.streams.internals.ScoredClick;
import dev.freshet.streams.serving.ServingModel;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The recommender's restore path: a click that waited for its batch in the pending store when the
 * task stopped is re-queued by the next owner of the task, scored with the history it waited with,
 * and its list is written to the user's last list.
 */
class RecommenderRestoreTest {

  private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

  private final ServingModel model = new ServingModel(1000);

  @AfterEach
  void tearDown() {
    model.close();
  }

  @Test
  void shouldScoreAClickReQueuedFromThePendingStoreAndRememberItsList() {
    TestSnapshots.publish(TestSnapshots.trained(10), model, 7);
    MockProcessorContext<String, ScoredClick> context = new MockProcessorContext<>();
    Serde<UserHistory> serde =
        AvroSerdes.specific(
            UserHistory.class, Map.of("schema.registry.url", "mock://" + UUID.randomUUID()), false);
    KeyValueStore<String, UserHistory> pending = store("pending", serde, context);
    KeyValueStore<String, RecommendedList> lists =
        store(
            "lists",
            AvroSerdes.specific(
                RecommendedList.class,
                Map.of("schema.registry.url", "mock://" + UUID.randomUUID()),
                false),
            context);

    ClickedItem v1 =
        new ClickedItem("v1", "cat1", List.of("t1"), Instant.ofEpochMilli(T0), List.of());
    // As the stores held them when the task stopped: the list emitted before the click, and the
    // waiting click's copy of its history.
    lists.put("u1", new RecommendedList(List.of("v5", "v6", "v7"), 3L));
    pending.put("u1\u0000e1\u0000" + T0, history(List.of(v1)));

    Recommender recommender = new Recommender(model, "pending", "lists", 3, true, 64, 5);
    recommender.init(context);
    assertThat(context.forwarded()).as("nothing is scored before the batch is due").isEmpty();
    context.scheduledPunctuators().get(0).getPunctuator().punctuate(T0 + 10);

    assertThat(context.forwarded()).hasSize(1);
    Recommendations recs = context.forwarded().get(0).record().value().recommendations();
    assertThat(recs.getEventId()).isEqualTo("e1");
    assertThat(recs.getSource()).isEqualTo(RecommendationSource.MODEL);
    assertThat(recs.getModelVersion()).isEqualTo(7);
    List<String> ids = recs.getItems().stream().map(ScoredItem::getVideoId).toList();
    assertThat(ids).hasSize(3).doesNotContain("v1");

    RecommendedList after = lists.get("u1");
    assertThat(after.getItemIds()).isEqualTo(ids);
    assertThat(after.getModelVersion()).isEqualTo(7L);
    try (var it = pending.all()) {
      assertThat(it.hasNext()).as("the scored click leaves the pending store").isFalse();
    }
  }

  private static UserHistory history(List<ClickedItem> clicks) {
    return UserHistory.newBuilder()
        .setUserId("u1")
        .setProvince("p")
        .setCity("c")
        .setPhone("ph")
        .setClicks(clicks)
        .setTotalClicks(4)
        .build();
  }

  private static <V> KeyValueStore<String, V> store(
      String name, Serde<V> serde, MockProcessorContext<String, ScoredClick> context) {
    KeyValueStore<String, V> store =
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), serde)
            .withLoggingDisabled()
            .build();
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
    return store;
  }
}
