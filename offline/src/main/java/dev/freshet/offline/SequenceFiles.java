package dev.freshet.offline;

import dev.freshet.data.BadLine;
import dev.freshet.data.ClickedItem;
import dev.freshet.data.ReadSummary;
import dev.freshet.data.TsvReader;
import dev.freshet.data.UserSequence;
import dev.freshet.data.movielens.MovieLensData;
import dev.freshet.data.movielens.MovieLensImporter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Reads a whole reference TSV file (or a MovieLens directory) into memory and reports what was
 * skipped: a summary line and every kept bad line as {@code file:line: reason} (the first {@link
 * #SHOWN} of them; the total count is always given). Bad lines never stop a command.
 */
public final class SequenceFiles {

  /** Bad lines listed one by one in the report. */
  public static final int SHOWN = 20;

  private SequenceFiles() {}

  /**
   * Reads every good line of {@code file}, oldest click first per line, and writes the report to
   * {@code err}.
   *
   * @throws IOException if the file cannot be opened or read
   */
  public static List<UserSequence> read(Path file, PrintWriter err) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(err, "err");
    try (TsvReader reader = TsvReader.open(file)) {
      List<UserSequence> sequences = reader.stream().collect(Collectors.toList());
      report(reader.summary(), err);
      return sequences;
    }
  }

  /**
   * Imports a MovieLens directory with the default importer ({@link MovieLensImporter#defaults()})
   * into per-user sequences and writes each file's report to {@code err}.
   *
   * @throws IOException if a file cannot be opened or read
   */
  public static List<UserSequence> readMovieLens(Path dir, PrintWriter err) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(err, "err");
    MovieLensData data = MovieLensImporter.defaults().importDirectory(dir);
    for (ReadSummary summary : data.summaries()) {
      report(summary, err);
    }
    return data.sequences();
  }

  /** Writes {@code summary} and its bad lines to {@code err}. */
  public static void report(ReadSummary summary, PrintWriter err) {
    err.println(
        "read "
            + summary.source()
            + ": "
            + summary.records()
            + " records, "
            + summary.badLineCount()
            + " bad lines skipped (of "
            + summary.linesRead()
            + " lines)");
    List<BadLine> bad = summary.badLines();
    for (int i = 0; i < Math.min(SHOWN, bad.size()); i++) {
      err.println("  bad line " + bad.get(i));
    }
    if (summary.badLineCount() > Math.min(SHOWN, bad.size())) {
      err.println(
          "  ... "
              + (summary.badLineCount() - Math.min(SHOWN, bad.size()))
              + " more bad lines not shown");
    }
    err.flush();
  }

  /** Clicks over {@code sequences} that carry search tokens. */
  public static long clicksWithSearchTokens(List<UserSequence> sequences) {
    long n = 0;
    for (UserSequence s : sequences) {
      for (ClickedItem c : s.clicks()) {
        if (!c.searchTokens().isEmpty()) {
          n++;
        }
      }
    }
    return n;
  }

  /** Total clicks over {@code sequences}. */
  public static long clicks(List<UserSequence> sequences) {
    long n = 0;
    for (UserSequence s : sequences) {
      n += s.size();
    }
    return n;
  }
}
