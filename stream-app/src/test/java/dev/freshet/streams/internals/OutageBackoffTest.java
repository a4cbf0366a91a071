package dev.freshet.streams.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OutageBackoffTest {

  private static final long S = TimeUnit.SECONDS.toNanos(1);

  @Test
  void shouldDoubleTheWaitForFailuresInARowUpToTheCap() {
    OutageBackoff b = new OutageBackoff();
    assertThat(b.next(0)).isEqualTo(1_000);
    assertThat(b.next(2 * S)).isEqualTo(2_000);
    assertThat(b.next(5 * S)).isEqualTo(4_000);
    assertThat(b.next(10 * S)).isEqualTo(8_000);
    assertThat(b.next(19 * S)).isEqualTo(10_000);
    assertThat(b.next(30 * S)).isEqualTo(10_000);
  }

  @Test
  void shouldStartAgainAfterAMinuteWithoutAFailure() {
    OutageBackoff b = new OutageBackoff();
    b.next(0);
    b.next(S);
    assertThat(b.next(62 * S)).isEqualTo(1_000);
  }
}
