package dev.freshet.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.avro.ClickEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonClickParserTest {

  private final JsonClickParser parser = new JsonClickParser();

  @Test
  void shouldReadEveryFieldOfClickEvent() {
    ClickEvent c =
        parser.parse(
            "{\"eventId\":\"e1\",\"userId\":\"u1\",\"videoId\":\"m9\","
                + "\"eventTime\":\"2026-03-01T12:00:00Z\",\"province\":\"p\",\"city\":\"c\","
                + "\"phone\":\"ph\",\"category\":\"drama\",\"tags\":[\"a\",\"b\"],"
                + "\"watchTimeMs\":93000,\"searchTokens\":[\"q\"]}");
    assertThat(c.getEventId()).isEqualTo("e1");
    assertThat(c.getUserId()).isEqualTo("u1");
    assertThat(c.getVideoId()).isEqualTo("m9");
    assertThat(c.getEventTime()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
    assertThat(c.getProvince()).isEqualTo("p");
    assertThat(c.getCity()).isEqualTo("c");
    assertThat(c.getPhone()).isEqualTo("ph");
    assertThat(c.getCategory()).isEqualTo("drama");
    assertThat(c.getTags()).containsExactly("a", "b");
    assertThat(c.getWatchTimeMs()).isEqualTo(93000L);
    assertThat(c.getSearchTokens()).containsExactly("q");
  }

  @Test
  void shouldDeriveTheSameIdFromTheSameContent() {
    String line = "{\"userId\":\"u1\",\"videoId\":\"m9\",\"eventTime\":1772366400000}";
    ClickEvent a = parser.parse(line);
    ClickEvent b = parser.parse(line);
    ClickEvent other =
        parser.parse("{\"userId\":\"u1\",\"videoId\":\"m9\",\"eventTime\":1772366400001}");
    assertThat(a.getEventId()).isEqualTo(b.getEventId()).isNotEqualTo(other.getEventId());
    assertThat(a.getEventId()).isEqualTo(JsonClickParser.contentId("u1", "m9", 1772366400000L));
    assertThat(a.getProvince()).isNull();
    assertThat(a.getTags()).isEmpty();
  }

  @Test
  void shouldSayWhatIsWrongWithABadLine() {
    List.of(
            new String[] {"not json", "not JSON"},
            new String[] {"[1,2]", "not a JSON object"},
            new String[] {"{\"videoId\":\"m\",\"eventTime\":1}", "missing userId"},
            new String[] {"{\"userId\":\"u\",\"videoId\":\"m\"}", "missing eventTime"},
            new String[] {
              "{\"userId\":\"u\",\"videoId\":\"m\",\"eventTime\":\"noon\"}", "not an ISO-8601"
            },
            new String[] {
              "{\"userId\":\"u\",\"videoId\":\"m\",\"eventTime\":1,\"userid\":\"x\"}",
              "unknown field 'userid'"
            },
            new String[] {
              "{\"userId\":\"u\",\"videoId\":\"m\",\"eventTime\":1,\"tags\":\"a\"}",
              "tags must be an array"
            },
            new String[] {"{\"userId\":7,\"videoId\":\"m\",\"eventTime\":1}", "userId must be"})
        .forEach(
            c ->
                assertThatThrownBy(() -> parser.parse(c[0]))
                    .as(c[0])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(c[1]));
  }

  @Test
  void shouldRejectIdsWithUnsafeCodePointsNamingFieldAndCodePoint() {
    List.of(
            new String[] {
              "{\"userId\":\"u\\u0000\\u0007\",\"videoId\":\"m\",\"eventTime\":1}",
              "userId contains control character U+0000 at index 1"
            },
            new String[] {
              "{\"userId\":\"u\",\"videoId\":\"m\\u202e\",\"eventTime\":1}",
              "videoId contains bidirectional control U+202E at index 1"
            },
            new String[] {
              "{\"userId\":\"u\",\"videoId\":\"m\",\"eventTime\":1,\"eventId\":\"\\u2028\"}",
              "eventId contains line separator U+2028 at index 0"
            },
            new String[] {
              "{\"userId\":\"u\",\"videoId\":\"m\",\"eventTime\":1,\"city\":\"\\ud800\"}",
              "city contains unpaired surrogate U+D800 at index 0"
            },
            new String[] {
              "{\"userId\":\"u\",\"videoId\":\"m\",\"eventTime\":1,\"tags\":[\"a\",\"\\u200b\"]}",
              "tags[1] contains invisible character U+200B at index 0"
            })
        .forEach(
            c ->
                assertThatThrownBy(() -> parser.parse(c[0]))
                    .as(c[0])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(c[1]));
  }
}
