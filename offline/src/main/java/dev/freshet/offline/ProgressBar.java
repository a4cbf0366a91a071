package dev.freshet.offline;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * A text progress bar on an error stream: percentage, done / total, throughput and a
 * caller-supplied note (e.g. the running loss). It has two ways of drawing:
 *
 * <ul>
 *   <li>{@link Mode#REDRAW}, for a terminal: one line redrawn in place ({@code \r}) at most once
 *       per percent;
 *   <li>{@link Mode#LINES}, for a file or a pipe: a plain line every {@value #LINE_STEP_PERCENT}
 *       percent, so a redirected log holds a handful of readable lines and no carriage-return
 *       frames.
 * </ul>
 *
 * {@link #finish} draws the final state and ends the line in both modes. {@link
 * Mode#forStandardError()} picks the mode for the process's standard error.
 */
final class ProgressBar {

  /** How the bar is drawn. */
  enum Mode {
    /** Redraw one line in place: for a terminal. */
    REDRAW,
    /** Append a line every few percent: for a file or a pipe. */
    LINES;

    /**
     * {@link #REDRAW} when standard error is a terminal, else {@link #LINES}. On Linux the answer
     * comes from where file descriptor 2 points ({@code /dev/pts/*}, {@code /dev/tty*}); elsewhere
     * from {@link System#console()}, which is there only when standard input and output are a
     * terminal.
     */
    static Mode forStandardError() {
      Path fd2 = Path.of("/proc/self/fd/2");
      if (Files.isSymbolicLink(fd2)) {
        try {
          return isTerminalDevice(Files.readSymbolicLink(fd2).toString()) ? REDRAW : LINES;
        } catch (IOException e) {
          return System.console() != null ? REDRAW : LINES;
        }
      }
      return System.console() != null ? REDRAW : LINES;
    }

    static boolean isTerminalDevice(String target) {
      return target.startsWith("/dev/pts/")
          || target.startsWith("/dev/tty")
          || target.equals("/dev/console");
    }
  }

  /** In {@link Mode#LINES}, a line is printed each time this many more percent are done. */
  static final int LINE_STEP_PERCENT = 5;

  private static final int WIDTH = 30;

  private final PrintWriter out;
  private final String label;
  private final long total;
  private final Mode mode;
  private final long startNanos;
  private int lastPercent = -1;

  /** A bar drawn the way the process's standard error calls for ({@link Mode#forStandardError}). */
  ProgressBar(PrintWriter out, String label, long total) {
    this(out, label, total, Mode.forStandardError());
  }

  ProgressBar(PrintWriter out, String label, long total, Mode mode) {
    this.out = Objects.requireNonNull(out, "out");
    this.label = Objects.requireNonNull(label, "label");
    this.total = Math.max(1, total);
    this.mode = Objects.requireNonNull(mode, "mode");
    this.startNanos = System.nanoTime();
  }

  /** Redraws the bar if the percentage moved (in {@link Mode#LINES}: by a whole step). */
  void update(long done, String note) {
    int percent = percent(done);
    if (mode == Mode.REDRAW) {
      if (percent == lastPercent) {
        return;
      }
      lastPercent = percent;
      out.print("\r" + text(done, note));
      out.flush();
      return;
    }
    int step = percent / LINE_STEP_PERCENT * LINE_STEP_PERCENT;
    // 100 % is left to finish(), which prints the final line once.
    if (step <= lastPercent || step == 0 || percent >= 100) {
      return;
    }
    lastPercent = step;
    out.println(text(done, note));
    out.flush();
  }

  /** Draws the final state and ends the line. */
  void finish(long done, String note) {
    if (mode == Mode.REDRAW) {
      out.print("\r" + text(done, note));
      out.println();
    } else {
      out.println(text(done, note));
    }
    out.flush();
  }

  private int percent(long done) {
    return (int) Math.min(100, done * 100 / total);
  }

  private String text(long done, String note) {
    int filled = (int) Math.min(WIDTH, done * WIDTH / total);
    double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
    return String.format(
        Locale.ROOT,
        "%s [%s%s] %3d%% %d/%d, %.0f/s%s",
        label,
        "=".repeat(filled),
        " ".repeat(WIDTH - filled),
        percent(done),
        done,
        total,
        done / seconds,
        note.isEmpty() ? "" : ", " + note);
  }
}
