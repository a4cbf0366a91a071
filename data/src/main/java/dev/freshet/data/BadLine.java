package dev.freshet.data;

import java.util.Objects;

/**
 * A line of an input file that could not be used, and why.
 *
 * @param source the file or stream name the line came from
 * @param lineNumber 1-based line number within the source
 * @param reason a human-readable reason
 * @param excerpt the start of the offending line (at most {@link #MAX_EXCERPT} characters)
 */
public record BadLine(String source, long lineNumber, String reason, String excerpt) {

  /** Longest excerpt kept of a bad line. */
  public static final int MAX_EXCERPT = 200;

  /** Validates the fields and truncates the excerpt. */
  public BadLine {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(excerpt, "excerpt");
    if (lineNumber < 1) {
      throw new IllegalArgumentException("lineNumber must be >= 1, was " + lineNumber);
    }
    if (excerpt.length() > MAX_EXCERPT) {
      excerpt = excerpt.substring(0, MAX_EXCERPT);
    }
  }

  @Override
  public String toString() {
    return source + ":" + lineNumber + ": " + reason;
  }
}
