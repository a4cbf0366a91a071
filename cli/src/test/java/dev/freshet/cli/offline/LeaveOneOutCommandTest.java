package dev.freshet.cli.offline;

import static dev.freshet.cli.offline.OfflineCommandsTest.TINY;
import static dev.freshet.cli.offline.OfflineCommandsTest.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import-sequences} and {@code evaluate --split leave-one-out} end to end, in process, on a
 * small generated sequence file: import, baselines, then the tiny model over two seeds with early
 * stopping and the JSON report parsed back.
 */
class LeaveOneOutCommandTest {

  @TempDir Path dir;

  /** 80 users over 30 items in a few chains, so that the next item is learnable. */
  private Path sequences() throws IOException {
    Random random = new Random(7);
    List<String> lines = new ArrayList<>();
    for (int u = 1; u <= 80; u++) {
      StringBuilder line = new StringBuilder("u" + u);
      int item = random.nextInt(30);
      int length = 4 + random.nextInt(6);
      for (int i = 0; i < length; i++) {
        line.append(' ').append(item);
        item = (item + 1 + random.nextInt(2)) % 30;
      }
      lines.add(line.toString());
    }
    return Files.write(dir.resolve("seq.txt"), lines);
  }

  private Path attributes() throws IOException {
    StringBuilder json = new StringBuilder("{");
    for (int i = 0; i < 30; i++) {
      json.append(i == 0 ? "" : ",\n").append('"').append(i).append("\": [");
      json.append(i % 5).append(", ").append(100 + i % 3).append(']');
    }
    return Files.writeString(dir.resolve("attr.json"), json.append("}").toString());
  }

  private Path imported() throws IOException {
    Path out = dir.resolve("seq.tsv");
    CliRun run =
        CliRun.run(
            "import-sequences",
            "--sequences",
            sequences().toString(),
            "--attributes",
            attributes().toString(),
            "--out",
            out.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return out;
  }

  @Test
  void shouldImportSequencesAndSummariseUsersClicksItemsAndBadLines() throws IOException {
    Path sequences = Files.writeString(dir.resolve("s.txt"), "1 10 11\n2\n1 12\n3 11 99\n");
    Path attributes = Files.writeString(dir.resolve("a.json"), "{\"10\": [1, 2], \"11\": 5}");
    Path out = dir.resolve("o.tsv");

    CliRun run =
        CliRun.run(
            "import-sequences",
            "--sequences",
            sequences.toString(),
            "--attributes",
            attributes.toString(),
            "--out",
            out.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("wrote 2 users, 4 clicks, 3 items (2 without attributes), 3 bad lines");
    assertThat(run.err())
        .contains(sequences + ":2: user '2' has no items")
        .contains(sequences + ":3: user '1' already given on line 1")
        .contains(attributes + ":1: item '11'");
    assertThat(Files.readAllLines(out))
        .containsExactly(
            "1\tNULL\tNULL\t10:1:2;11:NULL:NULL\tNULL",
            "3\tNULL\tNULL\t11:NULL:NULL;99:NULL:NULL\tNULL");
  }

  @Test
  void shouldPrintEveryBaselineAtBothCutOffsInOneTable() throws IOException {
    Path json = dir.resolve("baselines.json");
    CliRun run =
        CliRun.run(
            "evaluate",
            "--data",
            imported().toString(),
            "--split",
            "leave-one-out",
            "--json",
            json.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("validation events = 80, test events = 80")
        .contains("HR@10")
        .contains("NDCG@20")
        .containsPattern("(?m)^popularity(\\s+[01]\\.\\d{4}){5}\\s+1$")
        .containsPattern("(?m)^co-occurrence(\\s+[01]\\.\\d{4}){5}\\s+1$")
        .containsPattern("(?m)^session-knn(\\s+[01]\\.\\d{4}){5}\\s+1$");
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertThat(report.get("recommenders").fieldNames())
        .toIterable()
        .containsExactly("popularity", "co-occurrence", "session-knn");
    assertThat(report.get("seeds").size()).isZero();
  }

  @Test
  void shouldTurnTheSearchTokenInputOnExactlyWhenTheClicksCarrySearchesUnlessTold() {
    String[] small = {
      "evaluate",
      "--synthetic",
      "--users",
      "40",
      "--items",
      "60",
      "--clicks-per-user",
      "6",
      "--split",
      "leave-one-out",
      "--train-model",
      "--passes",
      "1"
    };
    CliRun searched = CliRun.run(concat(small, TINY));
    assertThat(searched.exitCode()).as(searched.toString()).isZero();
    assertThat(searched.out())
        .containsPattern("(?m)^\\d+ clicks carry search tokens: search-token input width 16$")
        .contains("searchDim=16");

    CliRun off = CliRun.run(concat(concat(small, TINY), new String[] {"--search-dim", "0"}));
    assertThat(off.exitCode()).as(off.toString()).isZero();
    assertThat(off.out())
        .contains("search-token input off (--search-dim 0)")
        .contains("searchDim=0");

    CliRun none =
        CliRun.run(concat(concat(small, TINY), new String[] {"--search-probability", "0"}));
    assertThat(none.exitCode()).as(none.toString()).isZero();
    assertThat(none.out()).doesNotContain("carry search tokens").contains("searchDim=0");
  }

  @Test
  void shouldTrainOncePerSeedKeepTheBestValidationPassAndReportMeanAndSpread() throws IOException {
    Path json = dir.resolve("model.json");
    CliRun run =
        CliRun.run(
            concat(
                new String[] {
                  "evaluate",
                  "--data",
                  imported().toString(),
                  "--split",
                  "leave-one-out",
                  "--train-model",
                  "--passes",
                  "3",
                  "--seeds",
                  "2",
                  "--seed",
                  "11",
                  "--json",
                  json.toString()
                },
                TINY));

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("early stopping on the validation events")
        .contains("chosen pass: ")
        .containsPattern("(?m)^model(\\s+[01]\\.\\d{4} ± 0\\.\\d{4}){5}\\s+2$")
        .containsPattern("(?m)^popularity(\\s+[01]\\.\\d{4}){5}\\s+1$");
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertThat(report.get("seeds").toString()).isEqualTo("[11,12]");
    JsonNode model = report.get("recommenders").get("model");
    assertThat(model.get("runs").size()).isEqualTo(2);
    for (JsonNode r : model.get("runs")) {
      assertThat(r.get("pass").asInt()).isBetween(1, 3);
    }
    double a = model.get("runs").get(0).get("HR@20").asDouble();
    double b = model.get("runs").get(1).get("HR@20").asDouble();
    assertThat(model.get("HR@20").asDouble()).isEqualTo((a + b) / 2);
    assertThat(model.get("HR@20_std").asDouble())
        .isCloseTo(Math.abs(a - b) / Math.sqrt(2), within(1e-12));
    assertThat(report.get("recommenders").get("session-knn").get("HR@20_std").asDouble()).isZero();
  }

  @Test
  void shouldScoreTheLastPassWithoutEarlyStoppingAndGiveTheSameRowForItsSavedCheckpoint()
      throws IOException {
    Path data = imported();
    Path checkpoint = dir.resolve("last.ckpt");
    CliRun run =
        CliRun.run(
            concat(
                new String[] {
                  "evaluate",
                  "--data",
                  data.toString(),
                  "--split",
                  "leave-one-out",
                  "--train-model",
                  "--passes",
                  "2",
                  "--no-early-stop",
                  "--keep-seen",
                  "--refit-baselines",
                  "--save-model",
                  checkpoint.toString()
                },
                TINY));
    CliRun scored =
        CliRun.run(
            "evaluate",
            "--data",
            data.toString(),
            "--split",
            "leave-one-out",
            "--keep-seen",
            "--refit-baselines",
            "--model",
            checkpoint.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("(seen items kept)")
        .contains("baselines fitted on the training and validation clicks")
        .doesNotContain("validation HR@10")
        .contains("chosen passes: [2]");
    assertThat(scored.exitCode()).as(scored.toString()).isZero();
    assertThat(modelRow(scored.out())).isEqualTo(modelRow(run.out()));
  }

  private static String modelRow(String out) {
    return out.lines().filter(l -> l.startsWith("model ")).findFirst().orElseThrow();
  }
}
