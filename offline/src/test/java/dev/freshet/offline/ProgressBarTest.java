package dev.freshet.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

  private static String run(ProgressBar.Mode mode, long total) {
    StringWriter text = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(text), "pass 1", total, mode);
    for (long done = 1; done <= total; done++) {
      bar.update(done, "loss 1.0000");
    }
    bar.finish(total, "loss 0.5000");
    return text.toString();
  }

  @Test
  void shouldPrintALineEveryFivePercentAndNoCarriageReturnInAFileOrPipe() {
    String log = run(ProgressBar.Mode.LINES, 10_000);

    assertThat(log).doesNotContain("\r");
    List<String> lines = log.lines().toList();
    // 5 %, 10 %, ..., 95 % and the final line.
    assertThat(lines).hasSize(20);
    assertThat(lines.get(0))
        .startsWith("pass 1 [=")
        .contains("  5% 500/10000")
        .endsWith("loss 1.0000");
    assertThat(lines.get(18)).contains(" 95% 9500/10000");
    assertThat(lines.get(19)).contains("100% 10000/10000").endsWith("loss 0.5000");
  }

  @Test
  void shouldPrintOnlyTheFinalLineForAShortRunInAFileOrPipe() {
    String log = run(ProgressBar.Mode.LINES, 3);

    // 33 % and 66 % are steps; the final line is the only 100 %.
    assertThat(log.lines().toList()).hasSize(3);
    assertThat(log.lines().filter(l -> l.contains("100%")).count()).isEqualTo(1);
  }

  @Test
  void shouldRedrawInPlaceOncePerPercentOnATerminal() {
    String screen = run(ProgressBar.Mode.REDRAW, 10_000);

    // One frame per percent (0 to 100) and the final one.
    assertThat(screen.chars().filter(c -> c == '\r').count()).isEqualTo(102);
    assertThat(screen.chars().filter(c -> c == '\n').count()).isEqualTo(1);
    assertThat(screen)
        .contains("100% 10000/10000")
        .endsWith(", loss 0.5000" + System.lineSeparator());
  }

  @Test
  void shouldTreatPseudoTerminalsAndTtysAsTerminalsAndFilesAndPipesAsNot() {
    assertThat(ProgressBar.Mode.isTerminalDevice("/dev/pts/3")).isTrue();
    assertThat(ProgressBar.Mode.isTerminalDevice("/dev/tty1")).isTrue();
    assertThat(ProgressBar.Mode.isTerminalDevice("/tmp/evaluate.log")).isFalse();
    assertThat(ProgressBar.Mode.isTerminalDevice("pipe:[123456]")).isFalse();
    assertThat(ProgressBar.Mode.isTerminalDevice("/dev/null")).isFalse();
  }
}
