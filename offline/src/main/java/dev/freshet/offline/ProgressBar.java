package dev.freshet.offline;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;

/**
 * A one-line text progress bar redrawn in place ({@code \r}) on an error stream: percentage, done /
 * total, throughput and a caller-supplied note (e.g. the running loss). Redraws at most once per
 * percent so it costs nothing measurable; {@link #finish} ends the line.
 */
final class ProgressBar {
  private static final int WIDTH = 30;

  private final PrintWriter out;
  private final String label;
  private final long total;
  private final long startNanos;
  private int lastPercent = -1;

  ProgressBar(PrintWriter out, String label, long total) {
    this.out = Objects.requireNonNull(out, "out");
    this.label = Objects.requireNonNull(label, "label");
    this.total = Math.max(1, total);
    this.startNanos = System.nanoTime();
  }

  /** Redraws the bar if the percentage moved. */
  void update(long done, String note) {
    int percent = (int) Math.min(100, done * 100 / total);
    if (percent == lastPercent) {
      return;
    }
    lastPercent = percent;
    draw(done, note);
  }

  /** Draws the final state and ends the line. */
  void finish(long done, String note) {
    draw(done, note);
    out.println();
    out.flush();
  }

  private void draw(long done, String note) {
    int filled = (int) Math.min(WIDTH, done * WIDTH / total);
    double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
    out.print(
        String.format(
            Locale.ROOT,
            "\r%s [%s%s] %3d%% %d/%d, %.0f/s%s",
            label,
            "=".repeat(filled),
            " ".repeat(WIDTH - filled),
            (int) Math.min(100, done * 100 / total),
            done,
            total,
            done / seconds,
            note.isEmpty() ? "" : ", " + note));
    out.flush();
  }
}
