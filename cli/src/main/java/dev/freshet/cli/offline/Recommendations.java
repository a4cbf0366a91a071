package dev.freshet.cli.offline;

import dev.freshet.model.ScoredItem;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * The recommendation output of {@code infer} and {@code infer-user}: one line per user, {@code user
 * \t id1,id2,...,idN \t score1,score2,...,scoreN}, best first; scores are the inner products {@code
 * [1, u]·[b_i, w_i]}. A line has fewer than N ids only when fewer items are admitted.
 */
final class Recommendations {

  private Recommendations() {}

  /** Where the lines go: a file, or standard output (left open). */
  record Output(PrintWriter writer, boolean owned) implements Closeable {
    @Override
    public void close() {
      writer.flush();
      if (owned) {
        writer.close();
      }
    }
  }

  static Output open(Path file, PrintWriter stdout) throws IOException {
    if (file == null) {
      return new Output(stdout, false);
    }
    return new Output(new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8)), true);
  }

  static void write(PrintWriter w, String userId, List<ScoredItem> top) {
    StringBuilder ids = new StringBuilder();
    StringBuilder scores = new StringBuilder();
    for (ScoredItem s : top) {
      if (ids.length() > 0) {
        ids.append(',');
        scores.append(',');
      }
      ids.append(s.itemId());
      scores.append(String.format(Locale.ROOT, "%.6g", s.score()));
    }
    w.print(userId + "\t" + ids + "\t" + scores + "\n");
  }

  static void checkTopN(CommandLine.Model.CommandSpec spec, int topN, int batchSize) {
    if (topN < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--top-n must be >= 1, was " + topN);
    }
    if (batchSize < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--batch-size must be >= 1, was " + batchSize);
    }
  }
}
