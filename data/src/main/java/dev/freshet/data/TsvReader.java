package dev.freshet.data;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Streams {@link UserSequence}s from the reference TSV format, one line at a time.
 *
 * <p>A malformed line never throws: it is skipped, counted, and reported with its 1-based line
 * number and a reason in {@link #summary()} (the first {@link ReadSummary#MAX_KEPT} in full). Blank
 * lines are skipped silently. I/O errors surface as {@link UncheckedIOException}. The reader is
 * single-use and not thread-safe: {@link #iterator()} may be called once.
 *
 * <pre>{@code
 * try (TsvReader reader = TsvReader.open(path)) {
 *   reader.stream().forEach(trainer::accept);
 *   log.info("{}", reader.summary());
 * }
 * }</pre>
 */
public final class TsvReader implements Iterable<UserSequence>, Closeable {

  private final BufferedReader in;
  private final BadLineCollector bad;
  private final String source;
  private long lines;
  private long records;
  private boolean iterated;

  /**
   * A reader over the given character stream.
   *
   * @param in the input; closed by {@link #close()}
   * @param source a name for reports (e.g. the file name)
   */
  public TsvReader(Reader in, String source) {
    Objects.requireNonNull(in, "in");
    this.source = Objects.requireNonNull(source, "source");
    this.in = in instanceof BufferedReader b ? b : new BufferedReader(in, 1 << 16);
    this.bad = new BadLineCollector(source);
  }

  /** Opens a UTF-8 file. */
  public static TsvReader open(Path path) throws IOException {
    Objects.requireNonNull(path, "path");
    return new TsvReader(Files.newBufferedReader(path, StandardCharsets.UTF_8), path.toString());
  }

  /**
   * The good records, lazily; bad lines are skipped and counted.
   *
   * @throws IllegalStateException if called a second time
   */
  @Override
  public Iterator<UserSequence> iterator() {
    if (iterated) {
      throw new IllegalStateException("a TsvReader can be iterated once");
    }
    iterated = true;
    return new Iterator<>() {
      private UserSequence next;

      @Override
      public boolean hasNext() {
        if (next == null) {
          next = readNext();
        }
        return next != null;
      }

      @Override
      public UserSequence next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        UserSequence result = next;
        next = null;
        return result;
      }
    };
  }

  /** The good records as a sequential stream (single use, like {@link #iterator()}). */
  public Stream<UserSequence> stream() {
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }

  private UserSequence readNext() {
    try {
      String line;
      while ((line = in.readLine()) != null) {
        lines++;
        if (line.isBlank()) {
          continue;
        }
        try {
          UserSequence sequence = TsvFormat.parse(line);
          records++;
          return sequence;
        } catch (IllegalArgumentException e) {
          bad.report(lines, e.getMessage(), line);
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + source + " at line " + (lines + 1), e);
    }
  }

  /** What has been read so far (complete once the iterator is exhausted). */
  public ReadSummary summary() {
    return bad.summary(lines, records);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
