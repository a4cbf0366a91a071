package dev.freshet.streams.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.avro.ClickEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClickValidatorTest {

  private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

  private final ClickValidator validator = new ClickValidator(64, 4, 60_000);

  private static ClickEvent.Builder click() {
    return ClickEvent.newBuilder()
        .setEventId("e-1")
        .setUserId("u1")
        .setVideoId("v1")
        .setEventTime(Instant.ofEpochMilli(T0))
        .setProvince("p1")
        .setCity("c1")
        .setPhone("android")
        .setCategory("drama")
        .setTags(List.of("t1", "t2"))
        .setSearchTokens(List.of("cats"));
  }

  private Optional<ClickValidator.Rejection> validate(ClickEvent.Builder b) {
    return validator.validate(b.build(), T0);
  }

  @Test
  void shouldAcceptAWellFormedClickInAnyScript() {
    assertThat(validate(click())).isEmpty();
    assertThat(validate(click().setUserId("東京-ユーザー").setTags(List.of("Zoë", "می\u200Cخواهم"))))
        .isEmpty();
  }

  @Test
  void shouldRejectAUserIdWithAControlCharacterNamingTheCodePointAndIndex() {
    assertThat(validate(click().setUserId("ali\u0007ce")))
        .contains(
            new ClickValidator.Rejection(
                DeadLetterReason.INVALID_VALUE,
                "userId contains control character U+0007 at index 3"));
    assertThat(validate(click().setUserId("\u0000\u0007")))
        .map(ClickValidator.Rejection::detail)
        .contains("userId contains control character U+0000 at index 0");
  }

  @Test
  void shouldRejectUnsafeCodePointsInEveryIdentifierField() {
    assertThat(validate(click().setEventId("e\u2028")).map(ClickValidator.Rejection::detail))
        .contains("eventId contains line separator U+2028 at index 1");
    assertThat(validate(click().setVideoId("v\u202E1")).map(ClickValidator.Rejection::detail))
        .contains("videoId contains bidirectional control U+202E at index 1");
    assertThat(validate(click().setProvince("p\u007F")).map(ClickValidator.Rejection::detail))
        .contains("province contains control character U+007F at index 1");
    assertThat(validate(click().setCity("\uFEFFc")).map(ClickValidator.Rejection::detail))
        .contains("city contains invisible character U+FEFF at index 0");
    assertThat(validate(click().setPhone("ph\u0085")).map(ClickValidator.Rejection::detail))
        .contains("phone contains control character U+0085 at index 2");
    assertThat(validate(click().setCategory("dr\uD800ama")).map(ClickValidator.Rejection::detail))
        .contains("category contains unpaired surrogate U+D800 at index 2");
    assertThat(
            validate(click().setTags(List.of("ok", "t\u2067")))
                .map(ClickValidator.Rejection::detail))
        .contains("tags[1] contains bidirectional control U+2067 at index 1");
    assertThat(
            validate(click().setSearchTokens(List.of("x\u200B")))
                .map(ClickValidator.Rejection::detail))
        .contains("searchTokens[0] contains invisible character U+200B at index 1");
    assertThat(validate(click().setVideoId("v\uFFFD")).map(ClickValidator.Rejection::reason))
        .contains(DeadLetterReason.INVALID_VALUE);
  }

  @Test
  void shouldStillReportAMissingFieldBeforeItsCodePoints() {
    assertThat(validate(click().setUserId(" ")).map(ClickValidator.Rejection::reason))
        .contains(DeadLetterReason.MISSING_FIELD);
  }

  @Test
  void shouldRejectAnOverLongIdWithoutScanningItsCodePoints() {
    String huge = "\u0000".repeat(100_000);
    assertThat(validate(click().setUserId(huge)).map(ClickValidator.Rejection::detail))
        .contains("userId is 100000 chars, longer than max.id.length=64");
  }
}
