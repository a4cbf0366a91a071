package dev.freshet.data.movielens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.data.BadLine;
import dev.freshet.data.ClickEvent;
import dev.freshet.data.ReadSummary;
import dev.freshet.data.TsvReader;
import dev.freshet.data.UserSequence;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieLensImporterTest {

  private static void write(Path file, String... lines) throws IOException {
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  private static Path fixture(Path dir) throws IOException {
    write(
        dir.resolve("movies.csv"),
        "movieId,title,genres",
        "1,Toy Story (1995),Adventure|Animation|Children",
        "2,\"American President, The (1995)\",Comedy|Drama|Romance",
        "3,\"Say \"\"Hi\"\" (2001)\",(no genres listed)",
        "4,Sci Fi Thing (2010),Sci-Fi");
    write(
        dir.resolve("tags.csv"),
        "userId,movieId,tag,timestamp",
        "10,1,Pixar,1000",
        "11,1,pixar,1001",
        "11,1,pixar,1002",
        "12,1,Tom  Hanks,1003",
        "13,1,funny,1004",
        "13,1,Funny,1005",
        "14,1,fun:ny_;x,1006",
        "10,2,\"politics, US\",1007",
        "10,2,  ,1008");
    write(
        dir.resolve("ratings.csv"),
        "userId,movieId,rating,timestamp",
        "1,2,4.0,300",
        "1,1,5.0,100",
        "1,3,2.5,100",
        "2,4,3.0,200",
        "2,1,oops,250",
        "2,99,4.0,50",
        "3,1",
        "3,2,1.0,400");
    return dir;
  }

  @Test
  void shouldTurnRatingsIntoTimeOrderedClicksWithCategoriesAndTags(@TempDir Path dir)
      throws IOException {
    MovieLensData data = MovieLensImporter.defaults().importDirectory(fixture(dir));

    assertThat(data.clicks())
        .extracting(ClickEvent::eventId)
        .containsExactly("ml-2-99", "ml-1-1", "ml-1-3", "ml-2-4", "ml-1-2", "ml-3-2");
    ClickEvent toyStory = data.clicks().get(1);
    assertThat(toyStory.eventTimeMillis()).isEqualTo(100_000L);
    assertThat(toyStory.category()).isEqualTo("Adventure");
    // pixar: 2 users; the rest 1 user each, ties alphabetical ('-' sorts before letters).
    assertThat(toyStory.tags()).containsExactly("pixar", "fun-ny-x", "funny");
    assertThat(toyStory.province()).isNull();
    assertThat(toyStory.city()).isNull();
    assertThat(toyStory.phone()).isNull();
    assertThat(data.clicks().get(2).category()).as("no genres listed").isNull();
    assertThat(data.clicks().get(3).category()).isEqualTo("Sci-Fi");
    assertThat(data.clicks().get(4).tags()).containsExactly("politics,-us");
    assertThat(data.clicks().get(0).category()).as("movie not in movies.csv").isNull();
  }

  @Test
  void shouldParseQuotedTitlesWithCommasAndQuotes(@TempDir Path dir) throws IOException {
    MovieLensData data = MovieLensImporter.defaults().importDirectory(fixture(dir));

    assertThat(data.movies().get("2").title()).isEqualTo("American President, The (1995)");
    assertThat(data.movies().get("2").genres()).containsExactly("Comedy", "Drama", "Romance");
    assertThat(data.movies().get("3").title()).isEqualTo("Say \"Hi\" (2001)");
    assertThat(data.movies().get("3").genres()).isEmpty();
  }

  @Test
  void shouldReportBadLinesPerFileWithLineNumbers(@TempDir Path dir) throws IOException {
    MovieLensData data = MovieLensImporter.defaults().importDirectory(fixture(dir));

    ReadSummary ratings = data.summaries().get(2);
    assertThat(ratings.source()).isEqualTo("ratings.csv");
    assertThat(ratings.records()).isEqualTo(6);
    assertThat(ratings.badLines()).extracting(BadLine::lineNumber).containsExactly(6L, 8L);
    assertThat(ratings.badLines().get(0).reason()).contains("malformed rating");
    assertThat(ratings.badLines().get(1).reason()).contains("expected 4 fields");
    ReadSummary tags = data.summaries().get(1);
    assertThat(tags.badLines()).extracting(BadLine::lineNumber).containsExactly(10L);
    assertThat(data.badLines()).isEqualTo(3);
  }

  @Test
  void shouldReportTagsAndGenresWithUnsafeCodePointsAsBadLines(@TempDir Path dir)
      throws IOException {
    write(
        dir.resolve("movies.csv"),
        "movieId,title,genres",
        "1,Toy Story (1995),Adventure|Anim\u202Eation",
        "2,Heat (1995),Action");
    write(
        dir.resolve("tags.csv"),
        "userId,movieId,tag,timestamp",
        "10,2,bell\u0007ringer,1000",
        "10,2,noir,1001");
    write(dir.resolve("ratings.csv"), "userId,movieId,rating,timestamp", "1,2,4.0,300");

    MovieLensData data = MovieLensImporter.defaults().importDirectory(dir);

    assertThat(data.movies()).containsOnlyKeys("2");
    assertThat(data.summaries().get(0).badLines().get(0).reason())
        .isEqualTo("genres contains bidirectional control U+202E at index 14");
    assertThat(data.summaries().get(1).badLines().get(0).reason())
        .isEqualTo("tag contains control character U+0007 at index 4");
    assertThat(data.clicks())
        .singleElement()
        .satisfies(c -> assertThat(c.tags()).containsExactly("noir"));
  }

  @Test
  void shouldGroupClicksPerUserInTimeOrderAndWriteReadableTsv(@TempDir Path dir)
      throws IOException {
    MovieLensData data = MovieLensImporter.defaults().importDirectory(fixture(dir));
    Path tsv = dir.resolve("ml.tsv");

    data.writeTsv(tsv, false);

    List<String> lines = Files.readAllLines(tsv);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).isEqualTo("2\tNULL\tNULL\t99:NULL:NULL;4:Sci-Fi:NULL\tNULL");
    assertThat(lines.get(1))
        .isEqualTo(
            "1\tNULL\tNULL\t1:Adventure:pixar_fun-ny-x_funny;3:NULL:NULL;"
                + "2:Comedy:politics,-us\tNULL");
    try (TsvReader reader = TsvReader.open(tsv)) {
      List<UserSequence> read = reader.stream().toList();
      assertThat(read).hasSize(3);
      assertThat(reader.summary().badLineCount()).isZero();
    }
  }

  @Test
  void shouldDropRatingsBelowTheThresholdAndLimitTags(@TempDir Path dir) throws IOException {
    MovieLensData data = new MovieLensImporter(1, 3.0).importDirectory(fixture(dir));

    assertThat(data.clicks())
        .extracting(ClickEvent::eventId)
        .containsExactly("ml-2-99", "ml-1-1", "ml-2-4", "ml-1-2");
    assertThat(data.clicks().get(1).tags()).containsExactly("pixar");
    assertThatThrownBy(() -> new MovieLensImporter(-1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldImportWithoutTagsFile(@TempDir Path dir) throws IOException {
    fixture(dir);
    Files.delete(dir.resolve("tags.csv"));

    MovieLensData data = MovieLensImporter.defaults().importDirectory(dir);

    assertThat(data.clicks()).hasSize(6).allSatisfy(c -> assertThat(c.tags()).isEmpty());
  }

  @Test
  void shouldNormaliseTagsIntoFormatSafeTokens() {
    assertThat(MovieLensImporter.normaliseTag("  Tom   Hanks ", true)).isEqualTo("tom-hanks");
    assertThat(MovieLensImporter.normaliseTag("a_b;c:d\te", true)).isEqualTo("a-b-c-d-e");
    assertThat(MovieLensImporter.normaliseTag("--x--", true)).isEqualTo("x");
    assertThat(MovieLensImporter.normaliseTag(" _ ", true)).isNull();
    assertThat(MovieLensImporter.normaliseTag("NULL", false)).isNull();
    assertThat(MovieLensImporter.normaliseTag("Sci-Fi", false)).isEqualTo("Sci-Fi");
  }

  @Test
  void shouldReadMultiLineQuotedFieldsAndFlagBrokenQuotes() throws IOException {
    CsvReader csv = new CsvReader(new StringReader("a,\"b\nc\",d\r\ne,\"f\"g\n\"open"));

    assertThat(csv.next()).containsExactly("a", "b\nc", "d");
    assertThat(csv.recordLine()).isEqualTo(1);
    assertThat(csv.lastError()).isNull();
    assertThat(csv.next()).containsExactly("e", "fg");
    assertThat(csv.recordLine()).isEqualTo(3);
    assertThat(csv.lastError()).contains("after a closing quote");
    assertThat(csv.next()).containsExactly("open");
    assertThat(csv.lastError()).contains("unterminated");
    assertThat(csv.next()).isNull();
  }
}
