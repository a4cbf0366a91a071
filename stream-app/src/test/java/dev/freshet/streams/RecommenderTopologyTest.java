package dev.freshet.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.freshet.avro.ClickEvent;
import dev.freshet.avro.ClickedItem;
import dev.freshet.avro.RecommendationSource;
import dev.freshet.avro.Recommendations;
import dev.freshet.avro.RecommendedList;
import dev.freshet.avro.ScoredItem;
import dev.freshet.avro.UserHistory;
import dev.freshet.avro.UserVector;
import dev.freshet.model.CandidateModel;
import dev.freshet.model.Item;
import dev.freshet.model.UserContext;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.streams.serving.ServingModel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecommenderTopologyTest {

  private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

  private TopologyTestDriver driver;
  private ServingModel model;
  private Serde<ClickEvent> clickSerde;
  private TestInputTopic<byte[], byte[]> clicks;
  private TestOutputTopic<String, Recommendations> recs;
  private TestOutputTopic<String, UserVector> vectors;

  private void start(Map<String, String> overrides) {
    String registry = "mock://" + UUID.randomUUID();
    Map<String, Object> props = new HashMap<>();
    props.put(StreamAppConfig.BOOTSTRAP_SERVERS, "unused:9092");
    props.put(StreamAppConfig.SCHEMA_REGISTRY_URL, registry);
    props.put(StreamAppConfig.RECOMMENDATIONS_SIZE, "3");
    props.put(StreamAppConfig.BATCH_MAX_WAIT_MS, "5");
    props.putAll(overrides);
    StreamAppConfig config = new StreamAppConfig(props);
    model = new ServingModel(1000);
    driver =
        new TopologyTestDriver(FreshetTopology.build(config, model), config.streamsProperties());
    Map<String, Object> serde = Map.of("schema.registry.url", registry);
    clickSerde = AvroSerdes.specific(ClickEvent.class, serde, false);
    clicks =
        driver.createInputTopic(
            "clicks", Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
    recs =
        driver.createOutputTopic(
            "recommendations",
            Serdes.String().deserializer(),
            AvroSerdes.specific(Recommendations.class, serde, false).deserializer());
    vectors =
        driver.createOutputTopic(
            "user-vectors",
            Serdes.String().deserializer(),
            AvroSerdes.specific(UserVector.class, serde, false).deserializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
    model.close();
  }

  @Test
  void shouldRecommendPopularItemsMarkedAsSuchBeforeAnyModelExists() {
    start(Map.of());
    send("e1", "u1", "a", 1);
    send("e2", "u2", "a", 2);
    send("e3", "u2", "b", 3);
    send("e4", "u3", "c", 4);
    driver.advanceWallClockTime(Duration.ofMillis(10));

    List<Recommendations> out = recs.readValuesToList();
    assertThat(out).hasSize(4);
    Recommendations last = out.get(3);
    assertThat(last.getSource()).isEqualTo(RecommendationSource.POPULARITY);
    assertThat(last.getModelVersion()).isEqualTo(-1);
    assertThat(last.getItems()).extracting(ScoredItem::getVideoId).containsExactly("a", "b");
    assertThat(last.getEventTime()).isEqualTo(Instant.ofEpochMilli(T0 + 4));
    assertThat(last.getEventId()).isEqualTo("e4");
    assertThat(vectors.isEmpty()).isTrue();
  }

  @Test
  void shouldScoreWithTheNewestSnapshotStampItsVersionAndLeaveOutSeenItems() {
    start(Map.of());
    CandidateModel trained = TestSnapshots.trained(10);
    TestSnapshots.publish(trained, model, 7);

    send("e1", "u1", "v1", 1);
    send("e2", "u1", "v2", 2);
    driver.advanceWallClockTime(Duration.ofMillis(10));

    List<Recommendations> out = recs.readValuesToList();
    assertThat(out).hasSize(2);
    Recommendations r = out.get(1);
    assertThat(r.getSource()).isEqualTo(RecommendationSource.MODEL);
    assertThat(r.getModelVersion()).isEqualTo(7);
    assertThat(r.getItems()).hasSize(3);
    assertThat(r.getItems()).extracting(ScoredItem::getVideoId).doesNotContain("v1", "v2");
    assertThat(r.getItems().get(0).getScore())
        .isGreaterThanOrEqualTo(r.getItems().get(2).getScore());

    UserVector v = vectors.readValuesToList().get(1);
    assertThat(v.getModelVersion()).isEqualTo(7);
    assertThat(v.getVector().get(0)).isEqualTo(1f);
    float[] expected =
        trained
            .userVectors(
                List.of(
                    new UserContext(
                        "u1",
                        "p",
                        "c",
                        "ph",
                        List.of(
                            new Item("v1", "cat", List.of("t")),
                            new Item("v2", "cat", List.of("t"))))))[0];
    assertThat(v.getVector()).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat(v.getVector().get(i)).isCloseTo(expected[i], within(1e-5f));
    }
  }

  @Test
  void shouldScoreAFullBatchWithoutWaitingForTheClock() {
    start(Map.of(StreamAppConfig.BATCH_MAX_SIZE, "2", StreamAppConfig.BATCH_MAX_WAIT_MS, "60000"));
    send("e1", "u1", "a", 1);
    assertThat(recs.isEmpty()).isTrue();
    send("e2", "u2", "b", 2);
    assertThat(recs.readValuesToList()).hasSize(2);
  }

  @Test
  void shouldKeepRecommendingSeenItemsWhenTheFilterIsOff() {
    start(Map.of(StreamAppConfig.EXCLUDE_SEEN, "false"));
    send("e1", "u1", "a", 1);
    driver.advanceWallClockTime(Duration.ofMillis(10));
    assertThat(recs.readValue().getItems()).extracting(ScoredItem::getVideoId).containsExactly("a");
  }

  @Test
  void shouldReportHowFarBehindItsClicksItScores() {
    start(Map.of());
    long before = System.currentTimeMillis();
    send("e1", "u1", "a", before - 5_000 - T0);
    driver.advanceWallClockTime(Duration.ofMillis(10));
    long after = System.currentTimeMillis();

    assertThat(recs.readValuesToList()).hasSize(1);
    // computedAt minus the click's event time, which was 5 s before the test started
    assertThat(metric("click-to-scored-latency-max")).isBetween(5_000.0, after - before + 5_000.0);
    assertThat(metric("click-to-scored-total")).isEqualTo(1.0);
  }

  @Test
  void shouldJudgeEachClickAgainstTheLastListEmittedForItsUserAndExportHitRatioAndNdcg() {
    start(Map.of(StreamAppConfig.PREQUENTIAL_WINDOW, "1"));
    TestSnapshots.publish(TestSnapshots.trained(10), model, 7);

    send("e1", "u1", "v1", 1);
    driver.advanceWallClockTime(Duration.ofMillis(10));
    Recommendations first = recs.readValue();
    assertThat(first.getJudgement()).as("a user with no list yet is not judged").isNull();
    List<String> list = first.getItems().stream().map(ScoredItem::getVideoId).toList();
    assertThat(list).hasSize(3);

    send("e2", "u1", list.get(1), 2);
    driver.advanceWallClockTime(Duration.ofMillis(10));
    Recommendations second = recs.readValue();
    assertThat(second.getJudgement().getHit()).isTrue();
    assertThat(second.getJudgement().getRank()).isEqualTo(1);
    assertThat(second.getJudgement().getModelVersion()).isEqualTo(7);
    assertThat(second.getJudgement().getListSize()).isEqualTo(3);

    // v1 was clicked, so it is in no later list: a miss
    send("e3", "u1", "v1", 3);
    driver.advanceWallClockTime(Duration.ofMillis(10));
    Recommendations third = recs.readValue();
    assertThat(third.getJudgement().getHit()).isFalse();
    assertThat(third.getJudgement().getRank()).isEqualTo(-1);

    double hitAtRank1 = 1 / (Math.log(3) / Math.log(2));
    assertThat(metric("prequential-not-judged-total", "all")).isEqualTo(1.0);
    assertThat(metric("prequential-judged-total", "7")).isEqualTo(2.0);
    assertThat(metric("prequential-hits-total", "7")).isEqualTo(1.0);
    assertThat(metric("prequential-hit-ratio", "7")).isEqualTo(0.5);
    assertThat(metric("prequential-ndcg", "7")).isCloseTo(hitAtRank1 / 2, within(1e-6));
    assertThat(metric("prequential-hit-ratio", "all")).isEqualTo(0.5);
    // the window holds the last judged click only, the miss
    assertThat(metric("prequential-window-judged", "7")).isEqualTo(1.0);
    assertThat(metric("prequential-window-hit-ratio", "7")).isEqualTo(0.0);
    assertThat(metric("prequential-window-ndcg", "7")).isEqualTo(0.0);
  }

  @Test
  void shouldJudgeAgainstPopularityListsUnderVersionMinusOne() {
    start(Map.of());
    send("e1", "u1", "a", 1);
    send("e2", "u2", "b", 2);
    driver.advanceWallClockTime(Duration.ofMillis(10));
    recs.readValuesToList();
    send("e3", "u2", "a", 3);
    driver.advanceWallClockTime(Duration.ofMillis(10));

    Recommendations r = recs.readValue();
    assertThat(r.getJudgement().getHit()).isTrue();
    assertThat(r.getJudgement().getRank()).isZero();
    assertThat(r.getJudgement().getModelVersion()).isEqualTo(-1);
    assertThat(metric("prequential-hit-ratio", "-1")).isEqualTo(1.0);
    assertThat(metric("prequential-ndcg", "-1")).isEqualTo(1.0);
    assertThat(metric("prequential-not-judged-total", "all")).isEqualTo(2.0);
  }

  @Test
  void shouldNotJudgeAClickWhileItsUsersFirstListIsStillWaitingForItsBatch() {
    List<Recommendations> out = twoClicksOfOneUserInOneBatch();
    assertThat(out).hasSize(2);
    assertThat(out).allSatisfy(r -> assertThat(r.getJudgement()).isNull());
    assertThat(metric("prequential-not-judged-total", "all")).isEqualTo(2.0);
  }

  @Test
  void shouldKeepTheNewestHistoryAndListWhenOneBatchScoresTwoClicksOfAUser() {
    List<Recommendations> out = twoClicksOfOneUserInOneBatch();
    assertThat(out).extracting(Recommendations::getEventId).containsExactly("e1", "e2");
    List<String> second = out.get(1).getItems().stream().map(ScoredItem::getVideoId).toList();
    KeyValueStore<String, UserHistory> histories =
        driver.getKeyValueStore(FreshetTopology.HISTORY_STORE);
    UserHistory h = histories.get("u1");
    assertThat(h.getClicks()).extracting(ClickedItem::getVideoId).containsExactly("v1", "v2");
    assertThat(h.getTotalClicks()).isEqualTo(2);
    assertThat(h.getLastRecommended()).as("the history no longer carries the list").isEmpty();
    assertThat(h.getLastRecommendedVersion()).isNull();
    assertThat(h.getProvince()).isEqualTo("p");
    KeyValueStore<String, RecommendedList> lists =
        driver.getKeyValueStore(FreshetTopology.LAST_LIST_STORE);
    RecommendedList last = lists.get("u1");
    assertThat(last.getItemIds()).as("the list of the newest click").isEqualTo(second);
    assertThat(last.getModelVersion()).isEqualTo(7L);

    send("e3", "u1", second.get(2), 3);
    driver.advanceWallClockTime(Duration.ofMillis(60_001));
    Recommendations third = recs.readValue();
    assertThat(third.getJudgement().getHit()).isTrue();
    assertThat(third.getJudgement().getRank()).isEqualTo(2);
    assertThat(histories.get("u1").getClicks())
        .extracting(ClickedItem::getVideoId)
        .containsExactly("v1", "v2", second.get(2));
  }

  @Test
  void shouldJudgeTheFirstClickAfterAnUpgradeAgainstTheListAnOlderHistoryCarries() {
    start(Map.of());
    TestSnapshots.publish(TestSnapshots.trained(10), model, 7);
    KeyValueStore<String, UserHistory> histories =
        driver.getKeyValueStore(FreshetTopology.HISTORY_STORE);
    // State written before the list had its own store: the list inside the history record.
    histories.put(
        "u1",
        UserHistory.newBuilder()
            .setUserId("u1")
            .setClicks(
                List.of(
                    new ClickedItem(
                        "v1", "cat", List.of("t"), Instant.ofEpochMilli(T0), List.of())))
            .setTotalClicks(1)
            .setLastRecommended(List.of("v7", "v8", "v9"))
            .setLastRecommendedVersion(5L)
            .build());

    send("e2", "u1", "v8", 2);
    driver.advanceWallClockTime(Duration.ofMillis(10));
    Recommendations r = recs.readValue();
    assertThat(r.getJudgement().getHit()).isTrue();
    assertThat(r.getJudgement().getRank()).isEqualTo(1);
    assertThat(r.getJudgement().getModelVersion()).isEqualTo(5L);
    UserHistory h = histories.get("u1");
    assertThat(h.getLastRecommended()).as("the list leaves the history").isEmpty();
    assertThat(h.getLastRecommendedVersion()).isNull();
    KeyValueStore<String, RecommendedList> lists =
        driver.getKeyValueStore(FreshetTopology.LAST_LIST_STORE);
    assertThat(lists.get("u1").getItemIds())
        .as("the list emitted for the click, in its own store")
        .isEqualTo(r.getItems().stream().map(ScoredItem::getVideoId).toList());
  }

  /** Model version 7; clicks e1 (v1) and e2 (v2) of u1, scored in one batch; their lists. */
  private List<Recommendations> twoClicksOfOneUserInOneBatch() {
    start(Map.of(StreamAppConfig.BATCH_MAX_WAIT_MS, "60000"));
    TestSnapshots.publish(TestSnapshots.trained(10), model, 7);
    send("e1", "u1", "v1", 1);
    send("e2", "u1", "v2", 2);
    driver.advanceWallClockTime(Duration.ofMillis(60_001));
    return recs.readValuesToList();
  }

  private double metric(String name, String version) {
    return driver.metrics().entrySet().stream()
        .filter(
            e -> e.getKey().name().equals(name) && version.equals(e.getKey().tags().get("version")))
        .map(e -> ((Number) e.getValue().metricValue()).doubleValue())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name + "{version=" + version + "}"));
  }

  private double metric(String name) {
    return driver.metrics().entrySet().stream()
        .filter(e -> e.getKey().name().equals(name))
        .map(e -> ((Number) e.getValue().metricValue()).doubleValue())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name + " in " + driver.metrics()));
  }

  private void send(String eventId, String user, String video, long offsetMs) {
    ClickEvent c =
        ClickEvent.newBuilder()
            .setEventId(eventId)
            .setUserId(user)
            .setVideoId(video)
            .setCategory("cat")
            .setTags(List.of("t"))
            .setProvince("p")
            .setCity("c")
            .setPhone("ph")
            .setEventTime(Instant.ofEpochMilli(T0 + offsetMs))
            .build();
    clicks.pipeInput(
        user.getBytes(StandardCharsets.UTF_8),
        clickSerde.serializer().serialize("clicks", c),
        T0 + offsetMs);
  }
}
