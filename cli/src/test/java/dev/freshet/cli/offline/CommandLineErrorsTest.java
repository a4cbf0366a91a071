package dev.freshet.cli.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Invalid input gives one clear line and a non-zero exit, never a stack trace. */
class CommandLineErrorsTest {

  @TempDir Path dir;

  private static void assertUsageError(CliRun run, String... fragments) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err().lines()).as(run.toString()).hasSize(1);
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
    for (String f : fragments) {
      assertThat(run.err()).contains(f);
    }
  }

  @Test
  void shouldRejectAMissingInputFileAsAUsageError() {
    assertUsageError(
        CliRun.run("train", "--train", dir.resolve("nope.tsv").toString(), "--out", "x"),
        "freshet train:",
        "--train",
        "no such file");
  }

  @Test
  void shouldRejectAMalformedNumber() throws IOException {
    Path file = Files.writeString(dir.resolve("f.tsv"), "u1\tp\tc\tv1:c1:t1\tph\n");
    assertUsageError(
        CliRun.run(
            "infer", "--model", file.toString(), "--infer", file.toString(), "--top-n", "ten"),
        "freshet infer:",
        "'ten' is not an int");
  }

  @Test
  void shouldNameAnUnknownOption() {
    assertUsageError(CliRun.run("item-vectors", "--bogus"), "--bogus");
  }

  @Test
  void shouldNameAMissingRequiredOption() {
    assertUsageError(CliRun.run("preprocess", "--out", "x"), "--train");
  }

  @Test
  void shouldRejectAnInvalidModelOptionNamingTheField() throws IOException {
    Path train = Files.writeString(dir.resolve("t.tsv"), "u1\tp\tc\tv1:c1:t1\tph\n");
    assertUsageError(
        CliRun.run(
            "train",
            "--train",
            train.toString(),
            "--out",
            dir.resolve("m").toString(),
            "--item-dim",
            "0"),
        "itemDim");
  }

  @Test
  void shouldRejectAnUnknownSplitAndAnOutOfRangeValue() {
    assertUsageError(CliRun.run("evaluate", "--synthetic", "--split", "random"), "per-user");
    assertUsageError(CliRun.run("evaluate", "--synthetic", "--k", "0"), "--k must be >= 1");
  }

  @Test
  void shouldRejectTwoDataSourcesAtOnce() throws IOException {
    Path data = Files.writeString(dir.resolve("d.tsv"), "u1\tp\tc\tv1:c1:t1\tph\n");
    assertUsageError(
        CliRun.run("evaluate", "--synthetic", "--data", data.toString()), "mutually exclusive");
  }

  @Test
  void shouldReportACorruptCheckpointInOneLineWithExitCodeOne() throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.ckpt"), "this is not a checkpoint");
    CliRun run =
        CliRun.run("item-vectors", "--model", bad.toString(), "--out", dir.resolve("o").toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("freshet item-vectors: error: ").doesNotContain("\tat ");
  }

  @Test
  void shouldRejectOptionsThatDoNotFitTheLeaveOneOutSplit() {
    assertUsageError(
        CliRun.run("evaluate", "--synthetic", "--split", "leave-one-out", "--k", "5"),
        "--k does not apply to --split leave-one-out");
    assertUsageError(
        CliRun.run("evaluate", "--synthetic", "--split", "leave-one-out", "--cutoffs", "10,0"),
        "--cutoffs must all be >= 1");
    assertUsageError(
        CliRun.run(
            "evaluate", "--synthetic", "--split", "leave-one-out", "--train-model", "--seeds", "0"),
        "--seeds must be >= 1");
    assertUsageError(
        CliRun.run("evaluate", "--synthetic", "--split", "leave-one-out", "--seeds", "3"),
        "need --train-model");
    assertUsageError(
        CliRun.run("evaluate", "--synthetic", "--cutoffs", "10"),
        "--cutoffs applies to --split leave-one-out only");
    assertUsageError(
        CliRun.run("evaluate", "--synthetic", "--split", "leave-one-out", "--cutoffs", "x"),
        "'x' is not an int");
  }

  @Test
  void shouldRejectAMissingSequenceOrAttributeFile() throws IOException {
    Path sequences = Files.writeString(dir.resolve("s.txt"), "1 2 3\n");
    assertUsageError(
        CliRun.run(
            "import-sequences",
            "--sequences",
            sequences.toString(),
            "--attributes",
            dir.resolve("nope.json").toString(),
            "--out",
            dir.resolve("o.tsv").toString()),
        "freshet import-sequences:",
        "--attributes",
        "no such file");
    assertUsageError(
        CliRun.run("import-sequences", "--sequences", sequences.toString()), "--attributes");
  }
}
