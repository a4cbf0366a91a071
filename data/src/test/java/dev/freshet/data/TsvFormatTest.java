package dev.freshet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TsvFormatTest {

  private static final UserSequence ALICE =
      new UserSequence(
          "alice",
          "p1",
          "p1c2",
          "ph3",
          List.of(
              new ClickedItem("v1", "news", List.of("politics", "europe"), 1_000L),
              new ClickedItem("v2", null, List.of(), 2_000L),
              new ClickedItem("v3", "sport", List.of("football"), 3_000L)));
  private static final UserSequence BOB =
      new UserSequence(
          "bob", null, null, null, List.of(new ClickedItem("v9", "music", List.of("jazz"))));
  private static final UserSequence CAROL = new UserSequence("carol", "p2", null, "ph1", List.of());

  @Test
  void shouldWriteExactlyTheReferenceFormatWhenTimesAreOff() {
    assertThat(TsvFormat.format(ALICE, false))
        .isEqualTo("alice\tp1\tp1c2\tv1:news:politics_europe;v2:NULL:NULL;v3:sport:football\tph3");
    assertThat(TsvFormat.format(BOB, false)).isEqualTo("bob\tNULL\tNULL\tv9:music:jazz\tNULL");
  }

  @Test
  void shouldAppendEventTimesAsFourthColonFieldWhenAsked() {
    assertThat(TsvFormat.format(ALICE, true))
        .isEqualTo(
            "alice\tp1\tp1c2\tv1:news:politics_europe:1000;v2:NULL:NULL:2000;v3:sport:football:3000\tph3");
  }

  private static final UserSequence DAVE =
      new UserSequence(
          "dave",
          null,
          null,
          "ph2",
          List.of(
              new ClickedItem("v1", "news", List.of("politics"), 1_000L, List.of("election")),
              new ClickedItem("v2", null, List.of(), 2_000L, List.of("cats", "funny", "cats2")),
              new ClickedItem("v3", "sport", List.of("football"), 3_000L),
              new ClickedItem("v4", "music", List.of(), ClickedItem.NO_TIME, List.of("jazz"))));

  @Test
  void shouldAppendSearchTokensAsFifthColonFieldOnlyForTimedClicksThatHaveThem() {
    assertThat(TsvFormat.format(DAVE, true))
        .isEqualTo(
            "dave\tNULL\tNULL\tv1:news:politics:1000:election;v2:NULL:NULL:2000:cats_funny_cats2;"
                + "v3:sport:football:3000;v4:music:NULL\tph2");
    assertThat(TsvFormat.format(DAVE, false))
        .isEqualTo(
            "dave\tNULL\tNULL\tv1:news:politics;v2:NULL:NULL;v3:sport:football;v4:music:NULL\tph2");
  }

  @Test
  void shouldRoundTripSearchTokens() throws IOException {
    UserSequence timed =
        new UserSequence(
            DAVE.userId(), DAVE.province(), DAVE.city(), DAVE.phone(), DAVE.clicks().subList(0, 3));
    StringWriter text = new StringWriter();
    try (TsvWriter writer = new TsvWriter(text, true)) {
      writer.writeAll(List.of(timed, ALICE, BOB));
    }
    List<UserSequence> read = new ArrayList<>();
    try (TsvReader reader = new TsvReader(new StringReader(text.toString()), "mem")) {
      reader.forEach(read::add);
      assertThat(reader.summary().badLineCount()).isZero();
    }

    assertThat(read).containsExactly(timed, ALICE, BOB);
    assertThat(read.get(0).clicks().get(1).searchTokens())
        .containsExactly("cats", "funny", "cats2");
    assertThat(TsvFormat.parse("u\tp\tc\tv1:a:t:5:NULL\tph").clicks().get(0))
        .isEqualTo(new ClickedItem("v1", "a", List.of("t"), 5L));
  }

  @Test
  void shouldRejectMalformedSearchTokenFields() {
    assertThatThrownBy(() -> TsvFormat.parse("u\tp\tc\tv1:a:t::q\tph"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("click 1 has search tokens but no event time");
    assertThatThrownBy(() -> TsvFormat.parse("u\tp\tc\tv0:a:t;v1:a:t:NULL:q\tph"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("click 2 has search tokens but no event time");
    assertThatThrownBy(() -> TsvFormat.parse("u\tp\tc\tv1:a:t:5:q__r\tph"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty search token in 'q__r'");
    assertThatThrownBy(() -> TsvFormat.parse("u\tp\tc\tv1:a:t:5:q_\tph"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty search token");
    assertThatThrownBy(() -> TsvFormat.parse("u\tp\tc\tv1:a:t:5:q_NULL\tph"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty search token");
    assertThatThrownBy(() -> TsvFormat.parse("u\tp\tc\tv1:a:t:5:\tph"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty search-token field");
    assertThatThrownBy(() -> TsvFormat.parse("u\tp\tc\tv1:a:t:x:q\tph"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed event time");
    assertThatThrownBy(() -> TsvFormat.parse("u\tp\tc\tv1:a:t:5:q:r\tph"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be video:category:tags");
    assertThatThrownBy(() -> TsvFormat.parse("u\tp\tc\tv1:a:t:5:q\u200B\tph"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("search token contains invisible character U+200B");
  }

  @Test
  void shouldValidateAndKeepSearchTokensOnClicks() {
    ClickedItem click = new ClickedItem("v1", "a", List.of("t"), 5L, List.of("q1", "q2"));
    assertThat(click.withEventTime(7L).searchTokens()).containsExactly("q1", "q2");
    assertThat(click.withEventTime(7L).eventTimeMillis()).isEqualTo(7L);
    assertThat(click.withSearchTokens(List.of()))
        .isEqualTo(new ClickedItem("v1", "a", List.of("t"), 5L));
    assertThat(new ClickedItem("v1", null, List.of()).searchTokens()).isEmpty();
    List<String> mutable = new ArrayList<>(List.of("q"));
    ClickedItem copied = click.withSearchTokens(mutable);
    mutable.add("r");
    assertThat(copied.searchTokens()).containsExactly("q");
    assertThatThrownBy(() -> copied.searchTokens().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    for (String bad : new String[] {"", "NULL", "a_b", "a:b", "a;b", "a\tb"}) {
      assertThatThrownBy(() -> click.withSearchTokens(List.of(bad)))
          .as("token '%s'", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("search token");
    }
    assertThatThrownBy(() -> click.withSearchTokens(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(
            () ->
                new ClickEvent(
                    "u", null, null, null, "v", null, List.of(), 1L, "e", List.of("a_b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("search token must not contain '_'");
    ClickEvent event = new ClickEvent("u", null, null, null, "v", "c", List.of(), 1L, "e");
    assertThat(event.searchTokens()).isEmpty();
    assertThat(
            new ClickEvent("u", null, null, null, "v", "c", List.of(), 1L, "e", List.of("q"))
                .toClickedItem())
        .isEqualTo(new ClickedItem("v", "c", List.of(), 1L, List.of("q")));
  }

  @Test
  void shouldRoundTripThroughWriterAndReaderWithAndWithoutTimes() throws IOException {
    for (boolean withTimes : new boolean[] {true, false}) {
      StringWriter text = new StringWriter();
      try (TsvWriter writer = new TsvWriter(text, withTimes)) {
        writer.writeAll(List.of(ALICE, BOB, CAROL));
        assertThat(writer.written()).isEqualTo(3);
      }
      List<UserSequence> read = new ArrayList<>();
      try (TsvReader reader = new TsvReader(new StringReader(text.toString()), "mem")) {
        reader.forEach(read::add);
        assertThat(reader.summary().badLineCount()).isZero();
        assertThat(reader.summary().records()).isEqualTo(3);
      }
      UserSequence expectedAlice = withTimes ? ALICE : withoutTimes(ALICE);
      assertThat(read).containsExactly(expectedAlice, BOB, CAROL);
    }
  }

  private static UserSequence withoutTimes(UserSequence s) {
    List<ClickedItem> clicks = new ArrayList<>();
    for (ClickedItem c : s.clicks()) {
      clicks.add(new ClickedItem(c.videoId(), c.category(), c.tags()));
    }
    return new UserSequence(s.userId(), s.province(), s.city(), s.phone(), clicks);
  }

  @Test
  void shouldReportBadLinesWithLineNumbersAndReasonsWithoutThrowing() throws IOException {
    String input =
        String.join(
            "\n",
            "u1\tp\tc\tv1:a:t1\tph", // 1 good
            "u2\tp\tc\tv1:a:t1", // 2 four fields
            "", // 3 blank, skipped silently
            "u3\tp\tc\tv1:a\tph", // 4 click with two parts
            "\tp\tc\tv1:a:t\tph", // 5 no user
            "u4\tp\tc\tv1:a:t:notatime\tph", // 6 bad time
            "u5\tp\tc\tv1:a:x__y\tph", // 7 empty tag
            "u6\tp\tc\t:a:t\tph", // 8 no video id
            "u7\tNULL\tNULL\tv2:NULL:NULL;v3:b:t2_t3\tNULL\r"); // 9 good, CRLF
    List<UserSequence> good = new ArrayList<>();
    ReadSummary summary;
    try (TsvReader reader = new TsvReader(new StringReader(input), "clicks.tsv")) {
      reader.stream().forEach(good::add);
      summary = reader.summary();
    }
    assertThat(good).extracting(UserSequence::userId).containsExactly("u1", "u7");
    assertThat(good.get(1).clicks().get(1).tags()).containsExactly("t2", "t3");
    assertThat(summary.linesRead()).isEqualTo(9);
    assertThat(summary.records()).isEqualTo(2);
    assertThat(summary.badLineCount()).isEqualTo(6);
    assertThat(summary.badLines())
        .extracting(BadLine::lineNumber)
        .containsExactly(2L, 4L, 5L, 6L, 7L, 8L);
    assertThat(summary.badLines().get(0).reason()).contains("expected 5", "found 4");
    assertThat(summary.badLines().get(3).reason()).contains("event time");
    assertThat(summary.badLines().get(0).source()).isEqualTo("clicks.tsv");
    assertThat(summary.toString()).contains("6 bad lines", "clicks.tsv:2");
  }

  @Test
  void shouldRejectValuesThatTheFormatCannotCarry() {
    assertThatThrownBy(() -> new ClickedItem("v:1", null, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("videoId");
    assertThatThrownBy(() -> new ClickedItem("v1", "a;b", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ClickedItem("v1", null, List.of("a_b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'_'");
    assertThatThrownBy(() -> new UserSequence("NULL", null, null, null, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new UserSequence("u", "", null, null, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new UserSequence("u\t", null, null, null, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldReportIdsWithUnsafeCodePointsAsBadLinesNamingFieldAndCodePoint() throws IOException {
    String input =
        String.join(
            "\n",
            "u\u0000x\tp\tc\tv1:a:t\tph",
            "ok\tp\tc\tv1:a:t\tph",
            "u2\tp\u202E\tc\tv1:a:t\tph",
            "u3\tp\tc\tv\u2028:a:t\tph",
            "u4\tp\tc\tv1:a:t\u200B\tph",
            "u5\tp\tc\tv1:a:t\tph\u0085",
            "");
    ReadSummary summary;
    List<UserSequence> good = new ArrayList<>();
    try (TsvReader reader = new TsvReader(new StringReader(input), "clicks.tsv")) {
      reader.forEach(good::add);
      summary = reader.summary();
    }

    assertThat(good).extracting(UserSequence::userId).containsExactly("ok");
    assertThat(summary.badLines())
        .extracting(BadLine::reason)
        .containsExactly(
            "userId contains control character U+0000 at index 1",
            "province contains bidirectional control U+202E at index 1",
            "videoId contains line separator U+2028 at index 1",
            "tag contains invisible character U+200B at index 1",
            "phone contains control character U+0085 at index 2");
  }

  @Test
  void shouldAllowOnlyOneIteration() throws IOException {
    try (TsvReader reader = new TsvReader(new StringReader("u\tp\tc\tv:a:t\tph\n"), "mem")) {
      assertThat(reader.iterator().next().userId()).isEqualTo("u");
      assertThatThrownBy(reader::iterator).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void shouldGiveHistoryPrefixes() {
    assertThat(ALICE.prefix(0).clicks()).isEmpty();
    assertThat(ALICE.prefix(2).lastClick().videoId()).isEqualTo("v2");
    assertThat(ALICE.prefix(3)).isSameAs(ALICE);
    assertThatThrownBy(() -> ALICE.prefix(4)).isInstanceOf(IllegalArgumentException.class);
  }
}
