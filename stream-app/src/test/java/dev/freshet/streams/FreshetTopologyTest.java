package dev.freshet.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.avro.ClickEvent;
import dev.freshet.avro.ClickedItem;
import dev.freshet.avro.TrainingInstance;
import dev.freshet.avro.UserHistory;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.streams.internals.DeadLetter;
import dev.freshet.streams.internals.DeadLetterReason;
import dev.freshet.streams.serving.ServingModel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FreshetTopologyTest {

  private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

  private String registry;
  private TopologyTestDriver driver;
  private ServingModel model;
  private Serde<ClickEvent> clickSerde;
  private TestInputTopic<byte[], byte[]> clicks;
  private TestOutputTopic<String, TrainingInstance> instances;
  private TestOutputTopic<byte[], byte[]> dlq;

  @BeforeEach
  void setUp() {
    start(Map.of(StreamAppConfig.HISTORY_SIZE, "3"));
  }

  private void start(Map<String, String> overrides) {
    if (driver != null) {
      driver.close();
    }
    registry = "mock://" + UUID.randomUUID();
    Map<String, Object> props = new HashMap<>();
    props.put(StreamAppConfig.BOOTSTRAP_SERVERS, "unused:9092");
    props.put(StreamAppConfig.SCHEMA_REGISTRY_URL, registry);
    props.put(StreamAppConfig.APPLICATION_ID, "test");
    props.put(StreamAppConfig.LATE_GRACE_MS, "60000");
    props.putAll(overrides);
    StreamAppConfig config = new StreamAppConfig(props);
    model = new ServingModel(1000);
    driver =
        new TopologyTestDriver(FreshetTopology.build(config, model), config.streamsProperties());
    clickSerde =
        AvroSerdes.specific(ClickEvent.class, Map.of("schema.registry.url", registry), false);
    Serde<TrainingInstance> instanceSerde =
        AvroSerdes.specific(TrainingInstance.class, Map.of("schema.registry.url", registry), false);
    clicks =
        driver.createInputTopic(
            "clicks", Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
    instances =
        driver.createOutputTopic(
            "training-instances", Serdes.String().deserializer(), instanceSerde.deserializer());
    dlq =
        driver.createOutputTopic(
            "clicks-dlq", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  private double metricTotal(String name) {
    return driver.metrics().entrySet().stream()
        .filter(
            e ->
                e.getKey().name().equals(name)
                    && "stream-freshet-metrics".equals(e.getKey().group()))
        .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
        .sum();
  }

  @Test
  void shouldEmitInstanceWithEmptyHistoryOnFirstClick() {
    send(click("e1", "u1", "v1", 0));

    TrainingInstance instance = instances.readValue();
    assertThat(instance.getHistory()).isEmpty();
    assertThat(instance.getTarget().getVideoId()).isEqualTo("v1");
    assertThat(instance.getUserId()).isEqualTo("u1");
    assertThat(instance.getEventId()).isEqualTo("e1");
    assertThat(instances.isEmpty()).isTrue();
  }

  @Test
  void shouldEmitInstanceWhoseHistoryIsTheLastWindowClicksBeforeIt() {
    for (int i = 1; i <= 5; i++) {
      send(click("e" + i, "u1", "v" + i, i * 1000L));
    }

    List<TrainingInstance> out = instances.readValuesToList();
    assertThat(out).hasSize(5);
    assertThat(videoIds(out.get(1).getHistory())).containsExactly("v1");
    assertThat(videoIds(out.get(4).getHistory())).containsExactly("v2", "v3", "v4");
    assertThat(out.get(4).getTarget().getVideoId()).isEqualTo("v5");
  }

  @Test
  void shouldKeepEachClicksSearchTokensWithItInTheHistoryAndTheInstance() {
    send(
        ClickEvent.newBuilder(click("e1", "u1", "v1", 1000L))
            .setSearchTokens(List.of("red", "car"))
            .build());
    send(click("e2", "u1", "v2", 2000L));
    send(
        ClickEvent.newBuilder(click("e3", "u1", "v3", 3000L))
            .setSearchTokens(List.of("truck"))
            .build());
    send(click("e4", "u1", "v4", 4000L));

    List<TrainingInstance> out = instances.readValuesToList();
    assertThat(out.get(0).getTarget().getSearchTokens()).containsExactly("red", "car");
    assertThat(out.get(3).getHistory())
        .extracting(ClickedItem::getSearchTokens)
        .containsExactly(List.of("red", "car"), List.of(), List.of("truck"));
  }

  @Test
  void shouldKeepHistoriesOfDifferentUsersApart() {
    send(click("e1", "u1", "a", 1000));
    send(click("e2", "u2", "b", 2000));
    send(click("e3", "u1", "c", 3000));

    List<TrainingInstance> out = instances.readValuesToList();
    assertThat(videoIds(out.get(1).getHistory())).isEmpty();
    assertThat(videoIds(out.get(2).getHistory())).containsExactly("a");
  }

  @Test
  void shouldDropARetriedClickWithTheSameEventId() {
    send(click("e1", "u1", "v1", 1000));
    send(click("e1", "u1", "v1", 1000));
    send(click("e2", "u1", "v2", 2000));

    List<TrainingInstance> out = instances.readValuesToList();
    assertThat(out).extracting(i -> i.getTarget().getVideoId()).containsExactly("v1", "v2");
    assertThat(videoIds(out.get(1).getHistory())).containsExactly("v1");
  }

  @Test
  void shouldDropARepeatOfAnyRecentClickOfTheUserAndCountIt() {
    send(click("e1", "u1", "v1", 1000));
    send(click("e2", "u1", "v2", 2000));
    send(click("e3", "u1", "v3", 3000));
    send(click("e1", "u1", "v1", 1000)); // a replay of the first, two clicks later
    send(click("e2", "u2", "v2", 2500)); // the same id from another user is not this user's

    List<TrainingInstance> out = instances.readValuesToList();
    assertThat(out)
        .extracting(TrainingInstance::getEventId)
        .containsExactly("e1", "e2", "e3", "e2");
    assertThat(dlq.isEmpty()).as("a duplicate is not a dead letter").isTrue();
    assertThat(metricTotal("duplicate-total")).isEqualTo(1.0);
  }

  @Test
  void shouldForgetIdsOlderThanTheDedupWindowBeforeTheNewestClick() {
    start(Map.of(StreamAppConfig.DEDUP_WINDOW_MS, "10000", StreamAppConfig.LATE_GRACE_MS, "60000"));
    send(click("e1", "u1", "v1", 1000));
    send(click("e2", "u1", "v2", 20_000)); // e1 is now 19 s before the newest: forgotten
    send(click("e1", "u1", "v1", 1000)); // within the grace period, so placed again

    assertThat(instances.readValuesToList())
        .extracting(TrainingInstance::getEventId)
        .containsExactly("e1", "e2", "e1");
  }

  @Test
  void shouldKeepNoMoreThanDedupMaxIds() {
    start(Map.of(StreamAppConfig.DEDUP_MAX_IDS, "2"));
    send(click("e1", "u1", "v1", 1000));
    send(click("e2", "u1", "v2", 2000));
    send(click("e3", "u1", "v3", 3000));
    send(click("e3", "u1", "v3", 3000)); // among the last two: dropped
    send(click("e1", "u1", "v1", 1000)); // beyond them: taken as a new click

    assertThat(instances.readValuesToList())
        .extracting(TrainingInstance::getEventId)
        .containsExactly("e1", "e2", "e3", "e1");
  }

  @Test
  void shouldKeepNoIdsWhenDeduplicationIsOff() {
    start(Map.of(StreamAppConfig.DEDUP_WINDOW_MS, "0"));
    send(click("e1", "u1", "v1", 1000));
    send(click("e1", "u1", "v1", 1000));

    assertThat(instances.readValuesToList()).hasSize(2);
    KeyValueStore<String, UserHistory> histories =
        driver.getKeyValueStore(FreshetTopology.HISTORY_STORE);
    assertThat(histories.get("u1").getRecentEventIds().remaining()).isZero();
  }

  @Test
  void shouldInsertAnOutOfOrderClickInEventTimeOrderWithinTheGracePeriod() {
    send(click("e1", "u1", "v1", 10_000));
    send(click("e3", "u1", "v3", 30_000));
    send(click("e2", "u1", "v2", 20_000)); // late by 10 s, grace is 60 s
    send(click("e4", "u1", "v4", 40_000));

    List<TrainingInstance> out = instances.readValuesToList();
    assertThat(out.get(2).getTarget().getVideoId()).isEqualTo("v2");
    assertThat(videoIds(out.get(2).getHistory())).containsExactly("v1");
    assertThat(videoIds(out.get(3).getHistory())).containsExactly("v1", "v2", "v3");
    assertThat(dlq.isEmpty()).isTrue();
  }

  @Test
  void shouldSendAClickOlderThanTheGracePeriodToTheDeadLetterTopic() {
    send(click("e1", "u1", "v1", 200_000));
    send(click("e2", "u1", "v2", 100_000)); // 100 s late, grace 60 s

    assertThat(instances.readValuesToList()).hasSize(1);
    TestRecord<byte[], byte[]> dead = dlq.readRecord();
    assertThat(header(dead, DeadLetter.HEADER_REASON)).isEqualTo(DeadLetterReason.TOO_LATE.name());
    assertThat(header(dead, DeadLetter.HEADER_DETAIL)).contains("late.grace.ms");
    assertThat(clickSerde.deserializer().deserialize("clicks", dead.value()).getEventId())
        .isEqualTo("e2");
  }

  @Test
  void shouldSendBytesThatAreNotAvroToTheDeadLetterTopicWithReasonAndSource() {
    byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
    clicks.pipeInput("u1".getBytes(StandardCharsets.UTF_8), garbage, T0);
    send(click("e1", "u1", "v1", 1000));

    TestRecord<byte[], byte[]> dead = dlq.readRecord();
    assertThat(dead.value()).isEqualTo(garbage);
    assertThat(header(dead, DeadLetter.HEADER_REASON))
        .isEqualTo(DeadLetterReason.UNDESERIALIZABLE.name());
    assertThat(header(dead, DeadLetter.HEADER_DETAIL)).contains("WRONG_MAGIC_BYTE");
    assertThat(header(dead, DeadLetter.HEADER_SOURCE_TOPIC)).isEqualTo("clicks");
    assertThat(header(dead, DeadLetter.HEADER_SOURCE_OFFSET)).isEqualTo("0");
    assertThat(instances.readValuesToList()).hasSize(1); // the thread kept going
  }

  @Test
  void shouldSendAClickWithAnEmptyUserIdToTheDeadLetterTopic() {
    send(click("e1", "", "v1", 1000));

    TestRecord<byte[], byte[]> dead = dlq.readRecord();
    assertThat(header(dead, DeadLetter.HEADER_REASON))
        .isEqualTo(DeadLetterReason.MISSING_FIELD.name());
    assertThat(header(dead, DeadLetter.HEADER_DETAIL)).contains("userId");
    assertThat(instances.isEmpty()).isTrue();
  }

  @Test
  void shouldSendAClickFarInTheFutureOrWithTooManyTagsToTheDeadLetterTopic() {
    ClickEvent future = click("e1", "u1", "v1", 1000);
    future.setEventTime(Instant.ofEpochMilli(T0 + 1000 + 7_200_000L));
    clicks.pipeInput(key("u1"), clickSerde.serializer().serialize("clicks", future), T0 + 1000);
    ClickEvent manyTags = click("e2", "u1", "v2", 2000);
    manyTags.setTags(java.util.Collections.nCopies(100, "t"));
    send(manyTags);

    List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
    assertThat(dead).hasSize(2);
    assertThat(header(dead.get(0), DeadLetter.HEADER_DETAIL)).contains("max.future.ms");
    assertThat(header(dead.get(1), DeadLetter.HEADER_DETAIL)).contains("max.tags");
    assertThat(dead)
        .allSatisfy(
            r ->
                assertThat(header(r, DeadLetter.HEADER_REASON))
                    .isEqualTo(DeadLetterReason.INVALID_VALUE.name()));
  }

  @Test
  void shouldReKeyClicksThatAProducerKeyedByAnotherKey() {
    ClickEvent c1 = click("e1", "u1", "v1", 1000);
    ClickEvent c2 = click("e2", "u1", "v2", 2000);
    clicks.pipeInput(key("session-9"), clickSerde.serializer().serialize("clicks", c1), T0 + 1000);
    clicks.pipeInput(null, clickSerde.serializer().serialize("clicks", c2), T0 + 2000);

    List<org.apache.kafka.streams.KeyValue<String, TrainingInstance>> out =
        instances.readKeyValuesToList();
    assertThat(out).extracting(kv -> kv.key).containsExactly("u1", "u1");
    assertThat(videoIds(out.get(1).value.getHistory())).containsExactly("v1");
  }

  private void send(ClickEvent click) {
    clicks.pipeInput(
        key(click.getUserId()),
        clickSerde.serializer().serialize("clicks", click),
        click.getEventTime().toEpochMilli());
  }

  private static byte[] key(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static ClickEvent click(String eventId, String user, String video, long offsetMs) {
    return ClickEvent.newBuilder()
        .setEventId(eventId)
        .setUserId(user)
        .setVideoId(video)
        .setCategory("cat-" + video)
        .setTags(List.of("t1", "t2"))
        .setProvince("p")
        .setCity("c")
        .setPhone("ph")
        .setEventTime(Instant.ofEpochMilli(T0 + offsetMs))
        .build();
  }

  private static List<String> videoIds(List<ClickedItem> items) {
    return items.stream().map(ClickedItem::getVideoId).toList();
  }

  private static String header(TestRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
