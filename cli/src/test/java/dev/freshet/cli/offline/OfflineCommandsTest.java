package dev.freshet.cli.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline commands end to end, in process, on a tiny synthetic log: generate, preprocess, train
 * (2 passes, tiny sizes), then infer, user-vectors, item-vectors, infer-user and evaluate against
 * the trained checkpoint.
 */
class OfflineCommandsTest {

  /** A tiny model: every size small, short window, so a pass takes a second or two with -ea. */
  static final String[] TINY = {
    "--user-dim", "4", "--province-dim", "2", "--city-dim", "2", "--phone-dim", "2",
    "--item-dim", "7", "--category-dim", "2", "--tag-dim", "4", "--lstm-hidden", "8",
    "--hidden-dim", "16", "--user-vector-dim", "7", "--window", "5", "--batch-size", "64",
    "--feat-appear-limit", "2", "--lr", "0.1", "--dense-lr", "0.01"
  };

  @TempDir static Path dir;
  static Path data;
  static Path trainFile;
  static Path testFile;
  static Path modelDir;
  static CliRun trainRun;

  @BeforeAll
  static void generateAndTrain() throws IOException {
    data = dir.resolve("clicks.tsv");
    CliRun gen =
        CliRun.run(
            "generate",
            "--out",
            data.toString(),
            "--users",
            "60",
            "--items",
            "80",
            "--clicks-per-user",
            "10",
            "--days",
            "5",
            "--new-items-per-day",
            "4");
    assertThat(gen.exitCode()).as(gen.toString()).isZero();
    List<String> lines = Files.readAllLines(data);
    trainFile = dir.resolve("train.tsv");
    testFile = dir.resolve("test.tsv");
    Files.write(trainFile, lines.subList(0, 50));
    Files.write(testFile, lines.subList(50, lines.size()));
    modelDir = dir.resolve("model");
    trainRun =
        CliRun.run(
            concat(
                new String[] {
                  "train",
                  "--train",
                  trainFile.toString(),
                  "--test",
                  testFile.toString(),
                  "--out",
                  modelDir.toString(),
                  "--passes",
                  "2",
                  "--seed",
                  "7"
                },
                TINY));
    assertThat(trainRun.exitCode()).as(trainRun.toString()).isZero();
  }

  static String[] concat(String[] a, String[] b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static Path checkpoint() {
    return modelDir.resolve("latest.ckpt");
  }

  @Test
  void shouldGenerateTheSameFileForTheSameSeed() throws IOException {
    Path again = dir.resolve("again.tsv");
    CliRun run =
        CliRun.run(
            "generate",
            "--out",
            again.toString(),
            "--users",
            "60",
            "--items",
            "80",
            "--clicks-per-user",
            "10",
            "--days",
            "5",
            "--new-items-per-day",
            "4");

    assertThat(run.exitCode()).isZero();
    assertThat(Files.readAllLines(again)).isEqualTo(Files.readAllLines(data)).hasSize(60);
  }

  @Test
  void shouldWriteFeatureDictionaryAndItemFrequenciesWithTheLimit() throws IOException {
    Path out = dir.resolve("pre");
    CliRun run =
        CliRun.run(
            "preprocess",
            "--train",
            trainFile.toString(),
            "--out",
            out.toString(),
            "--feat-appear-limit",
            "3");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("feat_appear_limit = 3").contains("item").contains("covered");
    List<String> dict = Files.readAllLines(out.resolve("feature_dict.tsv"));
    assertThat(dict.get(0)).isEqualTo("feature\tvalue\tcount\tadmitted");
    for (String line : dict.subList(1, dict.size())) {
      String[] f = line.split("\t");
      assertThat(f).hasSize(4);
      assertThat(f[3]).isEqualTo(Long.parseLong(f[2]) >= 3 ? "1" : "0");
    }
    assertThat(dict).anyMatch(l -> l.startsWith("item\t")).anyMatch(l -> l.startsWith("tag\t"));
    List<String> freq = Files.readAllLines(out.resolve("item_freq.tsv"));
    double total = 0;
    for (String line : freq.subList(1, freq.size())) {
      total += Double.parseDouble(line.split("\t")[2]);
    }
    assertThat(total).isCloseTo(1.0, within(1e-3));
    assertThat(out.resolve("summary.txt")).exists();
  }

  @Test
  void shouldCheckpointEveryPassAndReportLossAndTestMetrics() throws IOException {
    assertThat(modelDir.resolve("pass-001.ckpt")).exists();
    assertThat(modelDir.resolve("pass-002.ckpt")).exists();
    assertThat(checkpoint()).hasSameBinaryContentAs(modelDir.resolve("pass-002.ckpt"));
    assertThat(Files.readString(modelDir.resolve("model-config.txt")))
        .contains("itemDim=7")
        .contains("maxWindow=5");
    assertThat(trainRun.out()).contains("pass 1: loss").contains("pass 2 test: Recall@20");
    assertThat(trainRun.errLines()).contains("pass 2 [").contains("100%");
    List<String> log = Files.readAllLines(modelDir.resolve("train-log.tsv"));
    assertThat(log).hasSize(3);
    for (String row : log.subList(1, 3)) {
      String[] f = row.split("\t");
      assertThat(Double.parseDouble(f[1])).isFinite().isPositive();
      assertThat(Double.parseDouble(f[6])).isBetween(0.0, 1.0);
      assertThat(Double.parseDouble(f[8])).isBetween(0.0, Double.parseDouble(f[6]));
    }
  }

  @Test
  void shouldContinueTrainingFromACheckpoint() {
    Path out = dir.resolve("continued");
    CliRun run =
        CliRun.run(
            "train",
            "--train",
            trainFile.toString(),
            "--out",
            out.toString(),
            "--passes",
            "1",
            "--batch-size",
            "64",
            "--init",
            checkpoint().toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("continuing from").contains("itemDim=7");
    assertThat(out.resolve("latest.ckpt")).exists();
  }

  @Test
  void shouldRecommendTopNDistinctItemsPerInferLine() throws IOException {
    Path out = dir.resolve("infer.tsv");
    CliRun run =
        CliRun.run(
            "infer",
            "--model",
            checkpoint().toString(),
            "--infer",
            testFile.toString(),
            "--top-n",
            "5",
            "--exclude-seen",
            "--out",
            out.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    List<String> inputs = Files.readAllLines(testFile);
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSameSizeAs(inputs);
    for (int i = 0; i < lines.size(); i++) {
      String[] f = lines.get(i).split("\t");
      assertThat(f[0]).isEqualTo(inputs.get(i).split("\t")[0]);
      List<String> ids = List.of(f[1].split(","));
      assertThat(ids).hasSize(5).doesNotHaveDuplicates();
      assertThat(ids).doesNotContainAnyElementsOf(seen(inputs.get(i)));
      double[] scores = Arrays.stream(f[2].split(",")).mapToDouble(Double::parseDouble).toArray();
      for (int j = 1; j < scores.length; j++) {
        assertThat(scores[j]).isLessThanOrEqualTo(scores[j - 1]);
      }
    }
  }

  private static Set<String> seen(String tsvLine) {
    Set<String> ids = new HashSet<>();
    for (String click : tsvLine.split("\t")[3].split(";")) {
      ids.add(click.split(":")[0]);
    }
    return ids;
  }

  @Test
  void shouldWriteUserVectorsWithTheLeadingOne() throws IOException {
    Path out = dir.resolve("users.csv");
    CliRun run =
        CliRun.run(
            "user-vectors",
            "--model",
            checkpoint().toString(),
            "--infer",
            testFile.toString(),
            "--out",
            out.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    List<String> rows = Files.readAllLines(out);
    assertThat(rows.get(0)).isEqualTo("id,v1,v2,v3,v4,v5,v6,v7,v8");
    assertThat(rows).hasSize(Files.readAllLines(testFile).size() + 1);
    for (String row : rows.subList(1, rows.size())) {
      String[] f = row.split(",");
      assertThat(f).hasSize(9);
      assertThat(Double.parseDouble(f[1])).isEqualTo(1.0);
    }
  }

  @Test
  void shouldWriteUnitNormSimpleLshVectorsForItemsAndUsers() throws IOException {
    Path items = dir.resolve("items-lsh.csv");
    Path plain = dir.resolve("items.csv");
    Path users = dir.resolve("users-lsh.csv");
    assertThat(
            CliRun.run(
                    "item-vectors",
                    "--model",
                    checkpoint().toString(),
                    "--out",
                    items.toString(),
                    "--simple-lsh")
                .exitCode())
        .isZero();
    assertThat(
            CliRun.run(
                    "item-vectors", "--model", checkpoint().toString(), "--out", plain.toString())
                .exitCode())
        .isZero();
    assertThat(
            CliRun.run(
                    "user-vectors",
                    "--model",
                    checkpoint().toString(),
                    "--infer",
                    testFile.toString(),
                    "--out",
                    users.toString(),
                    "--simple-lsh")
                .exitCode())
        .isZero();

    List<String> lsh = Files.readAllLines(items);
    List<String> raw = Files.readAllLines(plain);
    assertThat(lsh).hasSameSizeAs(raw).hasSizeGreaterThan(10);
    assertThat(raw.get(1).split(",")).hasSize(9);
    double maxNorm = 0;
    for (String row : raw.subList(1, raw.size())) {
      maxNorm = Math.max(maxNorm, norm(row));
    }
    for (String row : lsh.subList(1, lsh.size())) {
      assertThat(row.split(",")).hasSize(10);
      assertThat(norm(row)).isCloseTo(1.0, within(1e-4));
    }
    double lastCoordinateOfLongest = 1;
    for (int i = 1; i < raw.size(); i++) {
      if (norm(raw.get(i)) == maxNorm) {
        String[] f = lsh.get(i).split(",");
        lastCoordinateOfLongest = Double.parseDouble(f[f.length - 1]);
      }
    }
    assertThat(lastCoordinateOfLongest).isCloseTo(0.0, within(1e-2));
    for (String row : Files.readAllLines(users).subList(1, 3)) {
      String[] f = row.split(",");
      assertThat(norm(row)).isCloseTo(1.0, within(1e-4));
      assertThat(Double.parseDouble(f[f.length - 1])).isEqualTo(0.0);
    }
  }

  private static double norm(String csvRow) {
    String[] f = csvRow.split(",");
    double s = 0;
    for (int i = 1; i < f.length; i++) {
      double x = Double.parseDouble(f[i]);
      s += x * x;
    }
    return Math.sqrt(s);
  }

  @Test
  void shouldRecommendFromTheUserIdAlone() throws IOException {
    String knownUser = Files.readAllLines(trainFile).get(0).split("\t")[0];
    Path ids = dir.resolve("ids.txt");
    Files.writeString(ids, knownUser + "\n\nnobody-knows-me\n", StandardCharsets.UTF_8);
    CliRun fromFile =
        CliRun.run(
            "infer-user",
            "--model",
            checkpoint().toString(),
            "--users",
            ids.toString(),
            "--top-n",
            "4");
    CliRun fromIds =
        CliRun.run(
            "infer-user",
            "--model",
            checkpoint().toString(),
            "--user-ids",
            knownUser + ",nobody-knows-me",
            "--top-n",
            "4");

    assertThat(fromFile.exitCode()).as(fromFile.toString()).isZero();
    assertThat(fromIds.out()).isEqualTo(fromFile.out());
    List<String> lines = fromFile.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith(knownUser + "\t");
    assertThat(lines.get(1)).startsWith("nobody-knows-me\t");
    assertThat(lines).allSatisfy(l -> assertThat(l.split("\t")[1].split(",")).hasSize(4));
    assertThat(fromFile.err()).contains("1 without their own embedding row");
  }

  @Test
  void shouldEvaluateTheModelAndBothBaselinesInOneTable() {
    CliRun run =
        CliRun.run(
            concat(
                new String[] {
                  "evaluate",
                  "--data",
                  data.toString(),
                  "--train-model",
                  "--passes",
                  "1",
                  "--k",
                  "10"
                },
                TINY));

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("Recall@10")
        .contains("NDCG@10")
        .contains("MRR@10")
        .contains("most-popular")
        .contains("co-occurrence")
        .containsPattern("(?m)^model\\s+0\\.\\d{4}\\s+0\\.\\d{4}\\s+0\\.\\d{4}$");
  }

  @Test
  void shouldEvaluateACheckpointOnTheGlobalSplitOfSyntheticData() {
    CliRun run =
        CliRun.run(
            "evaluate",
            "--synthetic",
            "--users",
            "40",
            "--items",
            "60",
            "--clicks-per-user",
            "8",
            "--split",
            "global",
            "--model",
            checkpoint().toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("global time cut").containsPattern("(?m)^model\\s+0\\.");
  }

  @Test
  void shouldReportBadTsvLinesWithLineNumbersAndKeepGoing() throws IOException {
    List<String> lines = Files.readAllLines(trainFile);
    Path messy = dir.resolve("messy.tsv");
    Files.write(
        messy,
        List.of(
            lines.get(0),
            "only\ttwo",
            lines.get(1),
            "u9\tp\tc\tv1:c1:t1\tph\textra-field",
            lines.get(2)));
    Path out = dir.resolve("messy-pre");
    CliRun run = CliRun.run("preprocess", "--train", messy.toString(), "--out", out.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.err())
        .contains("3 records, 2 bad lines")
        .contains(messy + ":2:")
        .contains(messy + ":4:");
    assertThat(run.out()).contains("3 users");
  }
}
