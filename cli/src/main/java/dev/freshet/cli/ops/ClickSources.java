package dev.freshet.cli.ops;

import dev.freshet.avro.ClickEvent;
import dev.freshet.data.BadLine;
import dev.freshet.data.ClickStreams;
import dev.freshet.data.ClickedItem;
import dev.freshet.data.ReadSummary;
import dev.freshet.data.TsvReader;
import dev.freshet.data.UserSequence;
import dev.freshet.data.movielens.MovieLensData;
import dev.freshet.data.movielens.MovieLensImporter;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The inputs of {@code freshet produce}, each a stream of Avro {@link ClickEvent}s with event times
 * and stable ids. Bad input lines are reported (file and 1-based line number, the first {@link
 * #MAX_REPORTED} in full) and counted, never fatal.
 */
public final class ClickSources {

  /** Bad lines printed in full; further ones are only counted. */
  public static final int MAX_REPORTED = 100;

  private ClickSources() {}

  /** A source of clicks. */
  public interface ClickSource extends Iterator<ClickEvent>, Closeable {
    /** Bad lines seen so far (complete once the iterator is exhausted). */
    long badLines();
  }

  /**
   * JSON lines ({@link JsonClickParser}), streamed in file order: the order of the file is the
   * order on the topic, so a producer controls it.
   */
  public static ClickSource jsonLines(Path file, PrintWriter err) throws IOException {
    BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    JsonClickParser parser = new JsonClickParser();
    return new ClickSource() {
      private long line;
      private long bad;
      private ClickEvent next;

      @Override
      public boolean hasNext() {
        while (next == null) {
          String text;
          try {
            text = in.readLine();
          } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + " at line " + (line + 1), e);
          }
          if (text == null) {
            return false;
          }
          line++;
          if (text.isBlank()) {
            continue;
          }
          try {
            next = parser.parse(text);
          } catch (IllegalArgumentException e) {
            bad++;
            if (bad <= MAX_REPORTED) {
              err.println(new BadLine(file.toString(), line, e.getMessage(), text));
            }
          }
        }
        return true;
      }

      @Override
      public ClickEvent next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ClickEvent c = next;
        next = null;
        return c;
      }

      @Override
      public long badLines() {
        return bad;
      }

      @Override
      public void close() throws IOException {
        in.close();
      }
    };
  }

  /**
   * The reference TSV. Clicks that carry a time (the optional fourth colon field) keep it; the
   * others get {@code baseTime + k * step}, k being the click's position in the file, so a
   * time-less file keeps its order. A null {@code baseTime} puts the last time-less click at the
   * current time (brokers reject timestamps far in the future: {@code
   * log.message.timestamp.after.max.ms}, one hour by default). Event ids are {@code tsv:<file
   * name>:<line ordinal>:<click index>}. The clicks are sent in time order ({@link
   * ClickStreams#TIME_ORDER}).
   */
  public static ClickSource tsv(Path file, Instant baseTime, Duration step, PrintWriter err)
      throws IOException {
    Objects.requireNonNull(step, "step");
    List<UserSequence> users = new ArrayList<>();
    ReadSummary summary;
    try (TsvReader reader = TsvReader.open(file)) {
      reader.forEach(users::add);
      summary = reader.summary();
    }
    long timeless = 0;
    for (UserSequence user : users) {
      timeless += user.clicks().stream().filter(c -> !c.hasEventTime()).count();
    }
    long base =
        baseTime != null
            ? baseTime.toEpochMilli()
            : System.currentTimeMillis()
                - Math.multiplyExact(Math.max(timeless - 1, 0), step.toMillis());
    List<dev.freshet.data.ClickEvent> clicks = new ArrayList<>();
    String name = file.getFileName().toString();
    long k = 0;
    int seq = 0;
    for (UserSequence user : users) {
      List<ClickedItem> items = user.clicks();
      for (int j = 0; j < items.size(); j++) {
        ClickedItem c = items.get(j);
        long time =
            c.hasEventTime()
                ? c.eventTimeMillis()
                : base + Math.multiplyExact(k++, step.toMillis());
        clicks.add(
            new dev.freshet.data.ClickEvent(
                user.userId(),
                user.province(),
                user.city(),
                user.phone(),
                c.videoId(),
                c.category(),
                c.tags(),
                time,
                "tsv:" + name + ":" + seq + ":" + j,
                c.searchTokens()));
      }
      seq++;
    }
    report(summary, err);
    clicks.sort(ClickStreams.TIME_ORDER);
    return listSource(clicks, summary.badLineCount());
  }

  /**
   * A MovieLens directory ({@code ratings.csv}, {@code movies.csv}, optional {@code tags.csv}):
   * every kept rating is a click at its rating time, in time order, with the importer's event ids
   * ({@code ml-<userId>-<movieId>}).
   */
  public static ClickSource movieLens(Path dir, PrintWriter err) throws IOException {
    MovieLensData data = MovieLensImporter.defaults().importDirectory(dir);
    for (ReadSummary s : data.summaries()) {
      report(s, err);
    }
    return listSource(data.clicks(), data.badLines());
  }

  /** The Avro record of a flat click. */
  public static ClickEvent toAvro(dev.freshet.data.ClickEvent c) {
    return ClickEvent.newBuilder()
        .setEventId(c.eventId())
        .setUserId(c.userId())
        .setVideoId(c.videoId())
        .setEventTime(Instant.ofEpochMilli(c.eventTimeMillis()))
        .setProvince(c.province())
        .setCity(c.city())
        .setPhone(c.phone())
        .setCategory(c.category())
        .setTags(new ArrayList<>(c.tags()))
        .setWatchTimeMs(null)
        .setSearchTokens(new ArrayList<>(c.searchTokens()))
        .build();
  }

  private static void report(ReadSummary summary, PrintWriter err) {
    for (BadLine b : summary.badLines()) {
      err.println(b);
    }
    if (summary.badLineCount() > summary.badLines().size()) {
      err.println(
          summary.source()
              + ": "
              + (summary.badLineCount() - summary.badLines().size())
              + " more bad lines not shown");
    }
  }

  private static ClickSource listSource(List<dev.freshet.data.ClickEvent> clicks, long bad) {
    Iterator<dev.freshet.data.ClickEvent> it = clicks.iterator();
    return new ClickSource() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public ClickEvent next() {
        return toAvro(it.next());
      }

      @Override
      public long badLines() {
        return bad;
      }

      @Override
      public void close() {}
    };
  }
}
