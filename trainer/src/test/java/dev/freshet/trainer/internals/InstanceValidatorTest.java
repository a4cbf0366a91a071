package dev.freshet.trainer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.avro.ClickedItem;
import dev.freshet.avro.TrainingInstance;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceValidatorTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static ClickedItem item(String videoId, String category, List<String> tags) {
    return ClickedItem.newBuilder()
        .setVideoId(videoId)
        .setCategory(category)
        .setTags(tags)
        .setEventTime(T0)
        .build();
  }

  private static TrainingInstance.Builder instance() {
    return TrainingInstance.newBuilder()
        .setEventId("e1")
        .setUserId("u1")
        .setProvince("p1")
        .setCity(null)
        .setPhone("android")
        .setHistory(List.of(item("v1", "c1", List.of("t1")), item("v2", null, List.of())))
        .setTarget(item("v3", "c2", List.of("t2", "t3")))
        .setEventTime(T0);
  }

  @Test
  void shouldAcceptAnInstanceWhoseIdsAreAllSafe() {
    assertThat(InstanceValidator.problem(instance().build())).isEmpty();
  }

  @Test
  void shouldNameTheProfileFieldWithTheUnsafeCodePoint() {
    assertThat(InstanceValidator.problem(instance().setUserId("u\u0000").build()))
        .contains("userId contains control character U+0000 at index 1");
    assertThat(InstanceValidator.problem(instance().setEventId("\u2029").build()))
        .contains("eventId contains paragraph separator U+2029 at index 0");
    assertThat(InstanceValidator.problem(instance().setPhone("a\u202Db").build()))
        .contains("phone contains bidirectional control U+202D at index 1");
  }

  @Test
  void shouldNameTheTargetOrHistoryItemFieldWithTheUnsafeCodePoint() {
    assertThat(
            InstanceValidator.problem(
                instance().setTarget(item("v\u0007", "c", List.of())).build()))
        .contains("target.videoId contains control character U+0007 at index 1");
    assertThat(
            InstanceValidator.problem(
                instance()
                    .setHistory(
                        List.of(item("v1", null, List.of()), item("v2", "c\u009F", List.of())))
                    .build()))
        .contains("history[1].category contains control character U+009F at index 1");
    assertThat(
            InstanceValidator.problem(
                instance().setTarget(item("v3", null, List.of("ok", "\uFEFFt"))).build()))
        .contains("target.tags[1] contains invisible character U+FEFF at index 0");
  }
}
