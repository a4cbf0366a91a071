package dev.freshet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvaluateOnlineCommandTest {

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
  void shouldRejectBadOptionsWithAOneLineUsageError() {
    String[] r = run("evaluate-online", "--movielens", tmp.toString(), "--frozen-after", "1.5");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("frozenAfter must be in [0, 1), was 1.5");
    assertThat(run("evaluate-online", "--movielens", tmp.toString(), "--k", "0")[2])
        .contains("k must be in [1, 10000], was 0");
    assertThat(run("evaluate-online", "--movielens", tmp.toString(), "--max-clicks", "-1")[2])
        .contains("--max-clicks must be >= 0");
    assertThat(run("evaluate-online")[2]).contains("--data").contains("--movielens");
    String[] serial =
        run(
            "evaluate-online",
            "--movielens",
            tmp.toString(),
            "--trainers",
            "2",
            "--serial-partitions",
            "3");
    assertThat(serial[0]).isEqualTo("2");
    assertThat(serial[2])
        .contains("serialPartitions must be 0 or the number of trainers (2), was 3");
    assertThat(
            run("evaluate-online", "--movielens", tmp.toString(), "--serial-partitions", "-1")[2])
        .contains("serialPartitions must be in [0, 16], was -1");
  }

  @Test
  void shouldRefuseATsvWithoutClickTimes() throws Exception {
    Path tsv = tmp.resolve("untimed.tsv");
    Files.writeString(tsv, "u1\tp\tc\tv1:cat:t1;v2:cat:t2\tphone\n");
    String[] r = run("evaluate-online", "--data", tsv.toString());
    assertThat(r[0]).isEqualTo("1");
    assertThat(r[2]).contains("needs the TSV with click times");
  }
}
