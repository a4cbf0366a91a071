package dev.freshet.evaluation.online;

import dev.freshet.data.ClickEvent;
import dev.freshet.data.ClickStreams;
import dev.freshet.data.ClickedItem;
import dev.freshet.data.TsvReader;
import dev.freshet.data.UserSequence;
import dev.freshet.data.movielens.MovieLensImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A click log for {@link OnlineEvaluation}, in event-time order ({@link ClickStreams#TIME_ORDER}),
 * read with the data module's readers, with a description for the report.
 *
 * @param clicks time-ordered
 * @param description where they came from
 */
public record ReplayLog(List<ClickEvent> clicks, String description) {

  /** A reference TSV with click times (docs/data.md). */
  public static ReplayLog tsv(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("not a file: " + file);
    }
    List<UserSequence> sequences;
    try (TsvReader reader = TsvReader.open(file)) {
      sequences = reader.stream().toList();
    }
    for (UserSequence u : sequences) {
      for (ClickedItem c : u.clicks()) {
        if (!c.hasEventTime()) {
          throw new IllegalArgumentException(
              file
                  + ": user "
                  + u.userId()
                  + " has a click without a time; an event-time replay"
                  + " needs the TSV with click times");
        }
      }
    }
    List<ClickEvent> clicks = ClickStreams.toClickStream(sequences);
    return new ReplayLog(
        clicks, "TSV " + file + ": " + sequences.size() + " users, " + clicks.size() + " clicks");
  }

  /** A MovieLens directory: each rating is a click at its timestamp. */
  public static ReplayLog movieLens(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("not a MovieLens directory: " + dir);
    }
    List<UserSequence> sequences = MovieLensImporter.defaults().importDirectory(dir).sequences();
    List<ClickEvent> clicks = ClickStreams.toClickStream(sequences);
    return new ReplayLog(
        clicks,
        "MovieLens " + dir + ": " + sequences.size() + " users, " + clicks.size() + " ratings");
  }

  /**
   * The first {@code max} clicks in event time (all when {@code max} is 0 or more than there are).
   */
  public ReplayLog first(int max) {
    if (max < 0) {
      throw new IllegalArgumentException("max must be >= 0, was " + max);
    }
    if (max == 0 || max >= clicks.size()) {
      return this;
    }
    return new ReplayLog(
        List.copyOf(clicks.subList(0, max)), description + ", the first " + max + " in event time");
  }
}
