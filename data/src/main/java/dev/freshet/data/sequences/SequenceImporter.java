package dev.freshet.data.sequences;

import dev.freshet.data.BadLineCollector;
import dev.freshet.data.ClickedItem;
import dev.freshet.data.ReadSummary;
import dev.freshet.data.TsvWriter;
import dev.freshet.data.UserSequence;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a sequence file ({@code user item item ...} per line, whitespace separated, items oldest
 * first) and joins each item's attributes ({@link ItemAttributes#click}) into {@link UserSequence}s
 * with unknown province, city and phone.
 *
 * <p>Ids are kept as the strings they are (numeric or not). Bad lines are skipped, counted and
 * reported with their line numbers, never thrown: a user with no items, a user already given on an
 * earlier line (the first line is kept), and a token the reference TSV cannot carry (it contains
 * {@code ; :} or is {@code NULL}). Blank lines are skipped silently. Items without an attribute
 * entry get a null category and no tags and are counted in {@link
 * SequenceImport#itemsWithoutAttributes()}.
 */
public final class SequenceImporter {

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private SequenceImporter() {}

  /**
   * Imports both files.
   *
   * @throws IOException if a file cannot be opened or read (not for malformed content)
   */
  public static SequenceImport importFiles(Path sequences, Path attributes) throws IOException {
    Objects.requireNonNull(sequences, "sequences");
    Objects.requireNonNull(attributes, "attributes");
    ItemAttributes items = ItemAttributes.read(attributes);
    try (Reader reader = Files.newBufferedReader(sequences, StandardCharsets.UTF_8)) {
      return read(reader, sequences.toString(), items);
    }
  }

  /**
   * Reads sequence lines from {@code reader} (reported under {@code source}) and joins {@code
   * attributes}.
   *
   * @throws IOException if reading fails
   */
  public static SequenceImport read(Reader reader, String source, ItemAttributes attributes)
      throws IOException {
    Objects.requireNonNull(reader, "reader");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(attributes, "attributes");
    BadLineCollector bad = new BadLineCollector(source);
    BufferedReader lines =
        reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
    Map<String, Long> firstLine = new HashMap<>();
    Map<String, ClickedItem> clicksByItem = new HashMap<>();
    Set<String> withoutAttributes = new HashSet<>();
    List<UserSequence> users = new ArrayList<>();
    long clicks = 0;
    long lineNumber = 0;
    String line;
    while ((line = lines.readLine()) != null) {
      lineNumber++;
      String trimmed = line.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      String[] tokens = WHITESPACE.split(trimmed);
      String user = tokens[0];
      if (tokens.length < 2) {
        bad.report(lineNumber, "user '" + user + "' has no items", line);
        continue;
      }
      Long earlier = firstLine.get(user);
      if (earlier != null) {
        bad.report(
            lineNumber, "user '" + user + "' already given on line " + earlier + " (kept)", line);
        continue;
      }
      List<ClickedItem> sequence = new ArrayList<>(tokens.length - 1);
      try {
        for (int i = 1; i < tokens.length; i++) {
          sequence.add(clickOf(tokens[i], attributes, clicksByItem));
        }
        users.add(new UserSequence(user, null, null, null, sequence));
      } catch (IllegalArgumentException e) {
        bad.report(lineNumber, e.getMessage(), line);
        continue;
      }
      firstLine.put(user, lineNumber);
      for (ClickedItem click : sequence) {
        if (!attributes.contains(click.videoId())) {
          withoutAttributes.add(click.videoId());
        }
      }
      clicks += sequence.size();
    }
    Set<String> items = new HashSet<>();
    for (UserSequence u : users) {
      for (ClickedItem c : u.clicks()) {
        items.add(c.videoId());
      }
    }
    return new SequenceImport(
        users,
        clicks,
        items.size(),
        withoutAttributes.size(),
        bad.summary(lineNumber, users.size()),
        attributes.summary());
  }

  private static ClickedItem clickOf(
      String item, ItemAttributes attributes, Map<String, ClickedItem> cache) {
    ClickedItem click = cache.get(item);
    if (click == null) {
      click = attributes.click(item);
      cache.put(item, click);
    }
    return click;
  }

  /**
   * The result of an import.
   *
   * @param sequences the users in file order, each with at least one click
   * @param clicks total clicks
   * @param items distinct items clicked
   * @param itemsWithoutAttributes distinct clicked items with no entry in the attributes file
   * @param sequenceSummary the sequence file's lines, records and bad lines
   * @param attributeSummary the attributes file's entries and bad entries
   */
  public record SequenceImport(
      List<UserSequence> sequences,
      long clicks,
      int items,
      int itemsWithoutAttributes,
      ReadSummary sequenceSummary,
      ReadSummary attributeSummary) {

    /** Copies the list. */
    public SequenceImport {
      sequences = List.copyOf(sequences);
      Objects.requireNonNull(sequenceSummary, "sequenceSummary");
      Objects.requireNonNull(attributeSummary, "attributeSummary");
    }

    /** Bad lines of the sequence file plus bad entries of the attributes file. */
    public long badLines() {
      return sequenceSummary.badLineCount() + attributeSummary.badLineCount();
    }

    /**
     * Writes the sequences as reference TSV (no event times: the format has none).
     *
     * @return lines written
     */
    public long writeTsv(Path path) throws IOException {
      try (TsvWriter writer = TsvWriter.create(path, false)) {
        writer.writeAll(sequences);
        return writer.written();
      }
    }
  }
}
