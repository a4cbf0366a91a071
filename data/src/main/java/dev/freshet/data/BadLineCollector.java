package dev.freshet.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts bad lines of one source and keeps the first {@link ReadSummary#MAX_KEPT} of them; logs the
 * first few at WARN. Shared by the readers of this module; not thread-safe.
 */
public final class BadLineCollector {

  private static final Logger LOG = LoggerFactory.getLogger(BadLineCollector.class);
  private static final int LOGGED = 5;

  private final String source;
  private final List<BadLine> kept = new ArrayList<>();
  private long count;

  /** A collector for the named source. */
  public BadLineCollector(String source) {
    this.source = Objects.requireNonNull(source, "source");
  }

  /** Records one bad line. */
  public void report(long lineNumber, String reason, String line) {
    BadLine bad = new BadLine(source, lineNumber, reason, line == null ? "" : line);
    count++;
    if (kept.size() < ReadSummary.MAX_KEPT) {
      kept.add(bad);
    }
    if (count <= LOGGED) {
      LOG.warn("bad line {}", bad);
    }
  }

  /** Number of bad lines so far. */
  public long count() {
    return count;
  }

  /** A summary with the given totals. */
  public ReadSummary summary(long linesRead, long records) {
    return new ReadSummary(source, linesRead, records, count, kept);
  }
}
