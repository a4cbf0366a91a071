package dev.freshet.data.movielens;

import dev.freshet.data.ClickEvent;
import dev.freshet.data.ClickStreams;
import dev.freshet.data.ReadSummary;
import dev.freshet.data.TsvWriter;
import dev.freshet.data.UserSequence;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The result of an import: the clicks in time order, the movies, and one {@link ReadSummary} per
 * input file (with its bad lines).
 *
 * @param clicks every kept rating as a click, sorted by {@link ClickStreams#TIME_ORDER}
 * @param movies the movies by id
 * @param summaries what each input file contained, in the order movies, tags, ratings
 */
public record MovieLensData(
    List<ClickEvent> clicks, Map<String, MovieLensMovie> movies, List<ReadSummary> summaries) {

  /** Copies the collections. */
  public MovieLensData {
    clicks = List.copyOf(clicks);
    movies = Map.copyOf(movies);
    summaries = List.copyOf(summaries);
  }

  /** The clicks grouped per user, each user's in time order. */
  public List<UserSequence> sequences() {
    return ClickStreams.toSequences(clicks);
  }

  /** Total bad lines over all files. */
  public long badLines() {
    return summaries.stream().mapToLong(ReadSummary::badLineCount).sum();
  }

  /**
   * Writes {@link #sequences()} as TSV.
   *
   * @return lines written
   */
  public long writeTsv(Path path, boolean withEventTimes) throws IOException {
    try (TsvWriter writer = TsvWriter.create(path, withEventTimes)) {
      writer.writeAll(sequences());
      return writer.written();
    }
  }
}
