package dev.freshet.data;

import java.util.List;

/**
 * What a reader saw: lines read, records produced, bad lines (counted in full; the first {@link
 * #MAX_KEPT} kept with their line numbers and reasons).
 *
 * @param source the file or stream name
 * @param linesRead number of lines read, including blank and bad ones (and a header, if any)
 * @param records number of records produced
 * @param badLineCount number of bad lines, including those not kept
 * @param badLines the first bad lines, at most {@link #MAX_KEPT}
 */
public record ReadSummary(
    String source, long linesRead, long records, long badLineCount, List<BadLine> badLines) {

  /** How many bad lines a summary keeps in full. */
  public static final int MAX_KEPT = 100;

  /** Copies the list. */
  public ReadSummary {
    badLines = List.copyOf(badLines);
  }

  /** One line for logs and command output. */
  @Override
  public String toString() {
    StringBuilder out =
        new StringBuilder()
            .append(source)
            .append(": ")
            .append(linesRead)
            .append(" lines, ")
            .append(records)
            .append(" records, ")
            .append(badLineCount)
            .append(" bad lines");
    if (!badLines.isEmpty()) {
      out.append(" (first: ").append(badLines.get(0)).append(')');
    }
    return out.toString();
  }
}
