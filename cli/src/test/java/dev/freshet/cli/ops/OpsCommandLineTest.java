package dev.freshet.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Invalid input to the tools: a message saying what was wrong, exit code 2, nothing contacted. */
class OpsCommandLineTest {

  private static final String B = "--bootstrap-servers=127.0.0.1:1";
  private static final String R = "--schema-registry-url=http://127.0.0.1:1";

  @TempDir Path dir;

  @Test
  void shouldRejectProduceWithoutASource() {
    OpsRun run = OpsRun.run("produce", B, R);
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).contains("freshet produce:").contains("--jsonl");
  }

  @Test
  void shouldRejectProduceWithTwoSources() throws Exception {
    Path f = Files.writeString(dir.resolve("c.jsonl"), "");
    OpsRun run = OpsRun.run("produce", B, R, "--jsonl", f.toString(), "--tsv", f.toString());
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).contains("mutually exclusive");
  }

  @Test
  void shouldRejectAMissingFileAndABadRate() throws Exception {
    OpsRun missing = OpsRun.run("produce", B, R, "--jsonl", dir.resolve("nope.jsonl").toString());
    assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(2);
    assertThat(missing.err()).contains("--jsonl: no such file");

    Path f = Files.writeString(dir.resolve("c.jsonl"), "");
    OpsRun rate = OpsRun.run("produce", B, R, "--jsonl", f.toString(), "--rate", "fast");
    assertThat(rate.exitCode()).as(rate.toString()).isEqualTo(2);
    assertThat(rate.err()).contains("'fast' is not a rate");

    OpsRun ml = OpsRun.run("produce", B, R, "--movielens", dir.toString());
    assertThat(ml.exitCode()).as(ml.toString()).isEqualTo(2);
    assertThat(ml.err()).contains("holds no ratings.csv");
  }

  @Test
  void shouldRejectBadConsumeOptions() {
    OpsRun timeout = OpsRun.run("consume", B, R, "--topic", "recommendations", "--timeout", "soon");
    assertThat(timeout.exitCode()).as(timeout.toString()).isEqualTo(2);
    assertThat(timeout.err()).contains("'soon' is not a duration");

    OpsRun max = OpsRun.run("consume", B, R, "--topic", "recommendations", "--max", "0");
    assertThat(max.exitCode()).as(max.toString()).isEqualTo(2);
    assertThat(max.err()).contains("--max must be >= 1");
  }

  @Test
  void shouldRejectBadTopicsOptions() {
    OpsRun partitions = OpsRun.run("topics", B, "--partitions", "0");
    assertThat(partitions.exitCode()).as(partitions.toString()).isEqualTo(2);
    assertThat(partitions.err()).contains("--partitions must be >= 1");

    OpsRun retention = OpsRun.run("topics", B, "--click-retention", "a month");
    assertThat(retention.exitCode()).as(retention.toString()).isEqualTo(2);
    assertThat(retention.err()).contains("--click-retention");
  }

  @Test
  void shouldRejectBadReplayOptions() {
    OpsRun tag = OpsRun.run("replay", B, R, "--from-time", "2026-03-01", "--version-tag", "v-2");
    assertThat(tag.exitCode()).as(tag.toString()).isEqualTo(2);
    assertThat(tag.err()).contains("--version-tag").contains("letters, digits or '_'");

    OpsRun order =
        OpsRun.run(
            "replay",
            B,
            R,
            "--from-time",
            "2026-03-02",
            "--to-time",
            "2026-03-01",
            "--version-tag",
            "v2");
    assertThat(order.exitCode()).as(order.toString()).isEqualTo(2);
    assertThat(order.err()).contains("must be after --from-time");

    OpsRun config =
        OpsRun.run(
            "replay",
            B,
            R,
            "--from-time",
            "2026-03-01",
            "--version-tag",
            "v2",
            "-T",
            "batch.size=0");
    assertThat(config.exitCode()).as(config.toString()).isEqualTo(2);
    assertThat(config.err()).contains("batch.size");

    OpsRun time = OpsRun.run("replay", B, R, "--from-time", "noon", "--version-tag", "v2");
    assertThat(time.exitCode()).as(time.toString()).isEqualTo(2);
    assertThat(time.err()).contains("'noon' is not a time");
  }
}
