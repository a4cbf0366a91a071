package dev.freshet.cli.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportMovieLensCommandTest {

  @TempDir Path dir;

  @Test
  void shouldConvertRatingsToOneTsvLinePerUserAndReportBadLines() throws IOException {
    Files.writeString(
        dir.resolve("movies.csv"),
        "movieId,title,genres\n1,Toy Story (1995),Adventure|Animation\n2,Heat (1995),Action\n");
    Files.writeString(
        dir.resolve("ratings.csv"),
        "userId,movieId,rating,timestamp\n1,2,4.0,300\n1,1,5.0,100\n2,1,oops,5\n2,2,3.0,200\n");
    Path out = dir.resolve("ml.tsv");

    CliRun run = CliRun.run("import-movielens", "--dir", dir.toString(), "--out", out.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("2 users, 3 clicks");
    assertThat(run.err()).contains("ratings.csv:4:");
    List<String> lines = Files.readAllLines(out);
    assertThat(lines)
        .containsExactly(
            "1\tNULL\tNULL\t1:Adventure:NULL;2:Action:NULL\tNULL",
            "2\tNULL\tNULL\t2:Action:NULL\tNULL");
  }
}
