package dev.freshet.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.avro.Judgement;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveFiguresTest {

  private static Judgement verdict(boolean hit) {
    return new Judgement(hit, hit ? 0 : -1, 3L, 2);
  }

  @Test
  void shouldCountTheStreamAppsVerdictsAndPairThemWithTheFrozenListOfTheSameClick() {
    LiveFigures f = new LiveFigures(2, 0);
    f.click("e1", "a", null); // no frozen copy yet
    f.judged("e1", null); // first click of the user: not judged
    f.click("e2", "b", List.of("b", "x")); // frozen hit
    f.click("e3", "c", List.of("x", "y")); // frozen miss
    f.click("e4", "d", List.of("z", "y", "d")); // d beyond K = 2: a frozen miss
    f.judged("e3", verdict(true)); // verdicts come back in any order
    f.judged("e2", verdict(false));
    f.judged("e4", verdict(true));
    f.click("e5", "e", null);
    f.judged("e5", verdict(false)); // judged online, not paired

    assertThat(f.clicks()).isEqualTo(5);
    assertThat(f.notJudged()).isEqualTo(1);
    assertThat(f.onlineRecallOverall()).isEqualTo(2.0 / 4);
    assertThat(f.pairedRecallOverall()).containsExactly(2.0 / 3, 1.0 / 3, 3.0);
  }
}
