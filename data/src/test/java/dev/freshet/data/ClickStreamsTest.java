package dev.freshet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClickStreamsTest {

  @Test
  void shouldFlattenSequencesIntoOneTimeOrderedStreamAndBack() {
    UserSequence a =
        new UserSequence(
            "a",
            "p",
            null,
            null,
            List.of(
                new ClickedItem("v1", "x", List.of(), 10),
                new ClickedItem("v2", "x", List.of(), 30),
                new ClickedItem("v3", "y", List.of("t"), 30, List.of("q1", "q2"))));
    UserSequence b =
        new UserSequence("b", null, "c", "ph", List.of(new ClickedItem("v9", null, List.of(), 20)));

    List<ClickEvent> stream = ClickStreams.toClickStream(List.of(a, b));

    assertThat(stream).extracting(ClickEvent::videoId).containsExactly("v1", "v9", "v2", "v3");
    assertThat(stream).extracting(ClickEvent::eventId).containsExactly("a#0", "b#0", "a#1", "a#2");
    assertThat(stream.get(1).city()).isEqualTo("c");
    assertThat(stream.get(3).searchTokens()).containsExactly("q1", "q2");
    assertThat(stream.get(0).searchTokens()).isEmpty();
    assertThat(ClickStreams.toSequences(stream)).containsExactly(a, b);
  }

  @Test
  void shouldRefuseToFlattenClicksWithoutTimes() {
    UserSequence noTimes =
        new UserSequence("a", null, null, null, List.of(new ClickedItem("v1", null, List.of())));
    assertThatThrownBy(() -> ClickStreams.toClickStream(List.of(noTimes)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no event time");
  }

  @Test
  void shouldTakeTheProfileFromTheUsersLatestClick() {
    ClickEvent first = new ClickEvent("u", "p1", null, null, "v1", null, List.of(), 1, "e1");
    ClickEvent moved = new ClickEvent("u", "p2", "p2c1", "ph", "v2", null, List.of(), 2, "e2");

    UserSequence user = ClickStreams.toSequences(List.of(first, moved)).get(0);

    assertThat(user.province()).isEqualTo("p2");
    assertThat(user.clicks()).extracting(ClickedItem::eventTimeMillis).containsExactly(1L, 2L);
  }
}
