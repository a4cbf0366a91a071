package dev.freshet.data;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes {@link UserSequence}s in the reference TSV format, one line each, terminated by {@code
 * \n}. With {@code withEventTimes} it appends each click's time as a fourth colon field, and the
 * search tokens of a timed click that has any as a fifth (see {@link TsvFormat}); without it the
 * output is exactly the reference format. Not thread-safe.
 */
public final class TsvWriter implements Closeable, Flushable {

  private final Writer out;
  private final boolean withEventTimes;
  private long written;

  /**
   * A writer over the given character stream.
   *
   * @param out the output; closed by {@link #close()}
   * @param withEventTimes whether to write click times (and search tokens) where known
   */
  public TsvWriter(Writer out, boolean withEventTimes) {
    Objects.requireNonNull(out, "out");
    this.out = out instanceof BufferedWriter ? out : new BufferedWriter(out, 1 << 16);
    this.withEventTimes = withEventTimes;
  }

  /** Creates (or truncates) a UTF-8 file. */
  public static TsvWriter create(Path path, boolean withEventTimes) throws IOException {
    Objects.requireNonNull(path, "path");
    return new TsvWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8), withEventTimes);
  }

  /** Writes one line. */
  public void write(UserSequence sequence) throws IOException {
    out.write(TsvFormat.format(sequence, withEventTimes));
    out.write('\n');
    written++;
  }

  /** Writes every sequence, in order. */
  public void writeAll(Iterable<UserSequence> sequences) throws IOException {
    Objects.requireNonNull(sequences, "sequences");
    for (UserSequence sequence : sequences) {
      write(sequence);
    }
  }

  /** Lines written so far. */
  public long written() {
    return written;
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
