package dev.freshet.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.cli.Freshet;
import dev.freshet.data.ClickEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {

  @TempDir Path tmp;

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Freshet.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void shouldRejectInvalidInputWithAOneLineMessageNamingTheProblem() {
    assertThat(run("demo", "--rate", "-3"))
        .satisfies(r -> assertThat(r[0]).isEqualTo("2"))
        .satisfies(r -> assertThat(r[2]).contains("--rate must be a positive number"));
    assertThat(run("demo", "--duration", "5x")[2]).contains("not a duration: '5x'");
    assertThat(run("demo", "--from-tsv", tmp.resolve("missing.tsv").toString())[2])
        .contains("--from-tsv: no such file");
    assertThat(run("demo", "--rate", "10", "--as-fast-as-possible")[2])
        .contains("mutually exclusive");
    assertThat(run("demo", "--model-size", "huge")[2]).contains("unknown model size 'huge'");
    assertThat(run("demo", "--partitions", "0")[2]).contains("partitions must be in [1, 64]");
    for (String[] r : List.of(run("demo", "--rate", "-3"), run("demo", "--model-size", "huge"))) {
      assertThat(r[2].strip().lines()).hasSize(1);
    }
  }

  @Test
  void shouldParseShortDurations() {
    DemoCommand.DurationConverter c = new DemoCommand.DurationConverter();
    assertThat(c.convert("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.convert("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(c.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(c.convert("PT5M")).isEqualTo(Duration.ofMinutes(5));
    assertThatThrownBy(() -> c.convert("5")).hasMessageContaining("not a duration");
  }

  @Test
  void shouldKeepOrderAndRelativeSpacingCompressedToTheRequestedRate() {
    List<ClickEvent> clicks = new ArrayList<>();
    long[] times = {0, 1_000, 3_000, 3_000, 10_000, 1_000_000_000L, 1_000_001_000L};
    for (int i = 0; i < times.length; i++) {
      clicks.add(
          new ClickEvent("u" + i, null, null, null, "v" + i, null, List.of(), times[i], "e" + i));
    }
    double rate = 2;
    double[] at = ClickFeeder.schedule(clicks, rate, 1000);
    assertThat(at[0]).isZero();
    for (int i = 1; i < at.length; i++) {
      assertThat(at[i]).isGreaterThanOrEqualTo(at[i - 1]);
    }
    // average rate as requested: (n - 1) / rate seconds in total
    assertThat(at[at.length - 1])
        .isCloseTo((times.length - 1) / rate * 1000, org.assertj.core.data.Offset.offset(1.0));
    // equal source times stay together; uncut gaps keep their ratio (1 s : 2 s)
    assertThat(at[3]).isEqualTo(at[2]);
    assertThat((at[2] - at[1]) / (at[1] - at[0]))
        .isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-6));
    // the huge gap is cut, so the run does not sit idle for it
    assertThat(at[5] - at[4]).isLessThanOrEqualTo(at[at.length - 1] * 0.7);
    assertThat(ClickFeeder.schedule(clicks, 0, 1000)).containsOnly(0.0);
  }

  @Test
  void shouldInterleaveUntimedTsvUsersKeepingEachUsersOrder() throws Exception {
    Path tsv = tmp.resolve("ref.tsv");
    Files.writeString(
        tsv,
        "u1\tp1\tc1\tv1:cat1:t1;v2:cat1:t2;v3:cat2:t3\tph1\n" + "u2\tp2\tc2\tv4:cat1:t1\tph2\n");
    ClickSources.Loaded l = ClickSources.tsv(tsv);
    assertThat(l.clicks()).extracting(ClickEvent::videoId).containsExactly("v1", "v4", "v2", "v3");
    assertThat(l.clicks())
        .extracting(ClickEvent::eventTimeMillis)
        .isSorted()
        .doesNotHaveDuplicates();
  }

  @Test
  void shouldRefuseToWipeADirectoryAnEarlierDemoDidNotMake() throws Exception {
    Path foreign = Files.createDirectories(tmp.resolve("foreign"));
    Files.writeString(foreign.resolve("precious.txt"), "keep me");
    assertThatThrownBy(() -> Demo.prepareDirectory(foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was not made by an earlier demo");
    assertThat(foreign.resolve("precious.txt")).exists();

    Path mine = tmp.resolve("mine");
    Demo.prepareDirectory(mine);
    Files.writeString(mine.resolve("old-state"), "x");
    Demo.prepareDirectory(mine);
    assertThat(mine.resolve("old-state")).doesNotExist();
    assertThat(mine.resolve(".freshet-demo")).exists();
  }
}
