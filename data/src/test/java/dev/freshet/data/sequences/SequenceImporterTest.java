package dev.freshet.data.sequences;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.data.BadLine;
import dev.freshet.data.ClickedItem;
import dev.freshet.data.TsvReader;
import dev.freshet.data.UserSequence;
import dev.freshet.data.sequences.SequenceImporter.SequenceImport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequenceImporterTest {

  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  @Test
  void shouldTurnTheFirstAttributeIntoTheCategoryAndTheRestIntoTags() throws IOException {
    Path sequences = write("s.txt", "1 10 11 12\nu-2\t11   13\n");
    Path attributes = write("a.json", "{\"10\": [1, 2, 3], \"11\": [\"7\"], \"12\": []}");

    SequenceImport data = SequenceImporter.importFiles(sequences, attributes);

    assertThat(data.sequences()).hasSize(2);
    UserSequence first = data.sequences().get(0);
    assertThat(first.userId()).isEqualTo("1");
    assertThat(first.province()).isNull();
    assertThat(first.city()).isNull();
    assertThat(first.phone()).isNull();
    assertThat(first.clicks())
        .containsExactly(
            new ClickedItem("10", "1", List.of("2", "3")),
            new ClickedItem("11", "7", List.of()),
            new ClickedItem("12", null, List.of()));
    assertThat(data.sequences().get(1).clicks())
        .extracting(ClickedItem::videoId)
        .containsExactly("11", "13");
    assertThat(data.clicks()).isEqualTo(5);
    assertThat(data.items()).isEqualTo(4);
    assertThat(data.itemsWithoutAttributes())
        .as("13 has no entry; 12 has an empty one")
        .isEqualTo(1);
    assertThat(data.badLines()).isZero();
  }

  @Test
  void shouldWriteReferenceTsvThatReadsBackTheSame() throws IOException {
    SequenceImport data =
        SequenceImporter.importFiles(
            write("s.txt", "7 1 2\n8 2 1 3\n"), write("a.json", "{\"1\": [5, 6], \"2\": [9]}"));
    Path out = dir.resolve("out.tsv");

    long lines = data.writeTsv(out);

    assertThat(lines).isEqualTo(2);
    assertThat(Files.readAllLines(out))
        .containsExactly(
            "7\tNULL\tNULL\t1:5:6;2:9:NULL\tNULL",
            "8\tNULL\tNULL\t2:9:NULL;1:5:6;3:NULL:NULL\tNULL");
    try (TsvReader reader = TsvReader.open(out)) {
      assertThat(reader.stream().collect(Collectors.toList())).isEqualTo(data.sequences());
    }
  }

  @Test
  void shouldReportBadSequenceLinesWithLineNumbersAndKeepTheRest() throws IOException {
    Path sequences =
        write(
            "s.txt",
            String.join(
                "\n", "1 10 11", "2", "", "1 12 13", "3 a:b 10", "4 NULL", "5 10 10 11", ""));

    SequenceImport data = SequenceImporter.importFiles(sequences, write("a.json", "{}"));

    assertThat(data.sequences()).extracting(UserSequence::userId).containsExactly("1", "5");
    List<BadLine> bad = data.sequenceSummary().badLines();
    assertThat(bad).extracting(BadLine::lineNumber).containsExactly(2L, 4L, 5L, 6L);
    assertThat(bad.get(0).reason()).contains("user '2' has no items");
    assertThat(bad.get(1).reason()).contains("user '1' already given on line 1");
    assertThat(bad.get(2).reason()).contains("videoId");
    assertThat(data.sequenceSummary().linesRead()).isEqualTo(7);
    assertThat(data.clicks()).isEqualTo(5);
    assertThat(data.items()).isEqualTo(2);
    assertThat(data.itemsWithoutAttributes()).isEqualTo(2);
  }

  @Test
  void shouldSkipMalformedAttributeValuesWithTheirLinesAndKeepTheOthers() throws IOException {
    Path attributes =
        write(
            "a.json",
            String.join(
                "\n",
                "{",
                "  \"1\": [1, 2],",
                "  \"2\": 7,",
                "  \"3\": [1, {\"x\": 1}],",
                "  \"4\": [\"a_b\"],",
                "  \"1\": [9],",
                "  \"5\": [4, 5]",
                "}"));

    ItemAttributes items = ItemAttributes.read(attributes);

    assertThat(items.size()).isEqualTo(2);
    assertThat(items.attributes("1")).containsExactly("1", "2");
    assertThat(items.attributes("5")).containsExactly("4", "5");
    assertThat(items.contains("2")).isFalse();
    List<BadLine> bad = items.summary().badLines();
    assertThat(bad).extracting(BadLine::lineNumber).containsExactly(3L, 4L, 5L, 6L);
    assertThat(bad.get(0).reason()).contains("item '2'").contains("expected an array");
    assertThat(bad.get(1).reason()).contains("integers or strings");
    assertThat(bad.get(2).reason()).contains("cannot be written to TSV");
    assertThat(bad.get(3).reason()).contains("given twice");
  }

  @Test
  void shouldReportIdsWithUnsafeCodePointsAsBadLinesNamingFieldAndCodePoint() throws IOException {
    Path sequences = write("s.txt", "1 10 11\nu\u0007 10\n3 1\u2066 10\n");
    Path attributes = write("a.json", "{\"10\": [\"x\u200By\"], \"11\": [2], \"1\u009B\": [3]}");

    SequenceImport data = SequenceImporter.importFiles(sequences, attributes);

    assertThat(data.sequences()).extracting(UserSequence::userId).containsExactly("1");
    assertThat(data.sequenceSummary().badLines())
        .extracting(BadLine::reason)
        .containsExactly(
            "userId contains control character U+0007 at index 1",
            "videoId contains bidirectional control U+2066 at index 1");
    assertThat(data.attributeSummary().badLines())
        .extracting(BadLine::reason)
        .containsExactly(
            "item '10': attribute id contains invisible character U+200B at index 1",
            "item id contains control character U+009B at index 1");
  }

  @Test
  void shouldAcceptUnderscoresInItemIdsButNotInAttributeIds() throws IOException {
    ItemAttributes items =
        ItemAttributes.read(write("a.json", "{\"item_1\": [\"brand x\", 3], \"2\": [\"a_b\"]}"));

    assertThat(items.attributes("item_1")).containsExactly("brand x", "3");
    assertThat(items.click("item_1").tags()).containsExactly("3");
    assertThat(items.contains("2")).isFalse();
  }

  @Test
  void shouldStopAtAJsonSyntaxErrorKeepingTheEntriesBeforeIt() throws IOException {
    Path attributes = write("a.json", "{\"1\": [1],\n\"2\": [2,,\n\"3\": [3]}");

    ItemAttributes items = ItemAttributes.read(attributes);

    assertThat(items.size()).isEqualTo(1);
    assertThat(items.summary().badLineCount()).isEqualTo(1);
    assertThat(items.summary().badLines().get(0).lineNumber()).isEqualTo(2);
    assertThat(items.summary().badLines().get(0).reason()).contains("malformed JSON");
  }

  @Test
  void shouldReportATopLevelValueThatIsNotAnObject() throws IOException {
    ItemAttributes items = ItemAttributes.read(write("a.json", "[1, 2]"));

    assertThat(items.size()).isZero();
    assertThat(items.summary().badLines().get(0).reason()).contains("expected a JSON object");
  }
}
