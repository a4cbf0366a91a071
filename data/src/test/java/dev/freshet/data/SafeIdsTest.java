package dev.freshet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SafeIdsTest {

  @Test
  void shouldNameTheFieldTheKindTheCodePointAndTheIndex() {
    assertThat(SafeIds.problem("userId", "abc\u0007d"))
        .contains("userId contains control character U+0007 at index 3");
  }

  @ParameterizedTest
  @CsvSource({
    "0000, control character",
    "0009, control character",
    "001F, control character",
    "007F, control character",
    "0080, control character",
    "009F, control character",
    "2028, line separator",
    "2029, paragraph separator",
    "061C, bidirectional control",
    "200E, bidirectional control",
    "200F, bidirectional control",
    "202A, bidirectional control",
    "202E, bidirectional control",
    "2066, bidirectional control",
    "2069, bidirectional control",
    "200B, invisible character",
    "2060, invisible character",
    "FEFF, invisible character",
    "FDD0, noncharacter",
    "FFFE, noncharacter",
    "FFFF, noncharacter",
    "FFFD, replacement character"
  })
  void shouldRejectUnsafeCodePointsAnywhereInTheValue(String hex, String kind) {
    String c = new String(Character.toChars(Integer.parseInt(hex, 16)));

    assertThat(SafeIds.problem("videoId", c + "v1"))
        .contains("videoId contains " + kind + " U+" + hex + " at index 0" + suffix(hex));
    assertThat(SafeIds.problem("videoId", "v1" + c))
        .contains("videoId contains " + kind + " U+" + hex + " at index 2" + suffix(hex));
  }

  @Test
  void shouldRejectUnpairedSurrogatesAndNoncharactersOutsideTheBasicPlane() {
    assertThat(SafeIds.problem("tag", "a\uD800"))
        .contains("tag contains unpaired surrogate U+D800 at index 1");
    assertThat(SafeIds.problem("tag", "\uDC00a"))
        .contains("tag contains unpaired surrogate U+DC00 at index 0");
    assertThat(SafeIds.problem("tag", "a\uDC00\uD800"))
        .contains("tag contains unpaired surrogate U+DC00 at index 1");
    assertThat(SafeIds.problem("tag", "x" + new String(Character.toChars(0x1FFFF))))
        .contains("tag contains noncharacter U+1FFFF at index 1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "u42",
        "user@example.com",
        "Zoë",
        "東京",
        "مستخدم",
        "सिंह",
        "می\u200Cخواهم",
        "\uD83D\uDC69\u200D\uD83D\uDCBB",
        "sci-fi|drama",
        "a b",
        "\uE000private"
      })
  void shouldAcceptPrintableTextInAnyScriptWithJoinersAndEmoji(String value) {
    assertThat(SafeIds.problem("category", value)).isEmpty();
  }

  @Test
  void shouldTreatNullAsNothingToCheck() {
    assertThat(SafeIds.problem("city", (String) null)).isEmpty();
    assertThat(SafeIds.problem("tags", (List<String>) null)).isEmpty();
    assertThat(SafeIds.require("city", null)).isNull();
  }

  @Test
  void shouldNameTheListEntryThatIsUnsafe() {
    assertThat(SafeIds.problem("tags", List.of("ok", "fine", "b\u202Ead")))
        .contains("tags[2] contains bidirectional control U+202E at index 1");
  }

  @Test
  void shouldThrowTheSameSentenceFromRequire() {
    assertThatThrownBy(() -> SafeIds.require("eventId", "e\u0000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("eventId contains control character U+0000 at index 1");
    assertThat(SafeIds.require("eventId", "e-1")).isEqualTo("e-1");
  }

  private static String suffix(String hex) {
    return hex.equals("FFFD") ? " (the bytes were not valid UTF-8)" : "";
  }
}
