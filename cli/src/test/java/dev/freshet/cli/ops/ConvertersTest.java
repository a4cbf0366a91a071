package dev.freshet.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConvertersTest {

  @Test
  void shouldParseDurationsWithUnits() {
    assertThat(Converters.duration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Converters.duration("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Converters.duration("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Converters.duration("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Converters.duration("30d")).isEqualTo(Duration.ofDays(30));
    assertThat(Converters.duration("250")).isEqualTo(Duration.ofMillis(250));
    assertThat(Converters.duration("PT1M")).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void shouldRejectMalformedDurations() {
    assertThatThrownBy(() -> Converters.duration("ten seconds"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a duration");
    assertThatThrownBy(() -> Converters.duration("PT-1S"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
  }

  @Test
  void shouldParseInstantsDatesAndEpochMillis() {
    Instant t = Instant.parse("2026-03-01T00:00:00Z");
    assertThat(Converters.instant("2026-03-01T00:00:00Z")).isEqualTo(t);
    assertThat(Converters.instant("2026-03-01T02:00:00+02:00")).isEqualTo(t);
    assertThat(Converters.instant("2026-03-01")).isEqualTo(t);
    assertThat(Converters.instant(Long.toString(t.toEpochMilli()))).isEqualTo(t);
    assertThatThrownBy(() -> Converters.instant("yesterday"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a time");
  }

  @Test
  void shouldParseRates() {
    assertThat(Converters.rate("500")).isEqualTo(500.0);
    assertThat(Converters.rate("2.5/s")).isEqualTo(2.5);
    assertThat(Converters.rate("0")).isZero();
    assertThatThrownBy(() -> Converters.rate("-3")).isInstanceOf(IllegalArgumentException.class);
  }
}
