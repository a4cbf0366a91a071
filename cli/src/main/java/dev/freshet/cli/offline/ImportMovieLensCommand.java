package dev.freshet.cli.offline;

import dev.freshet.data.ReadSummary;
import dev.freshet.data.movielens.MovieLensData;
import dev.freshet.data.movielens.MovieLensImporter;
import dev.freshet.offline.SequenceFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code freshet import-movielens}: MovieLens ratings (every rating a click; first genre as
 * category; top tags) to reference TSV, one line per user in time order. See {@code docs/data.md}.
 */
@Command(
    name = "import-movielens",
    mixinStandardHelpOptions = true,
    description = {
      "Converts a MovieLens directory (movies.csv, ratings.csv, optional tags.csv) into reference"
          + " TSV: every rating is a click, the first genre the category, the top 3 tags the tags."
    })
public final class ImportMovieLensCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--dir",
      required = true,
      paramLabel = "DIR",
      converter = PathConverters.ExistingDirectory.class,
      description = "MovieLens directory, e.g. ../shared/data/ml-latest-small.")
  Path dir;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output TSV.")
  Path out;

  @Option(
      names = "--with-times",
      description = "Append each click's epoch-millis time as a fourth colon field.")
  boolean withTimes;

  @Option(
      names = "--min-rating",
      defaultValue = "0",
      description = "Drop ratings below this (default: ${DEFAULT-VALUE}, keep all).")
  double minRating;

  @Override
  public Integer call() throws Exception {
    MovieLensData data =
        new MovieLensImporter(MovieLensImporter.DEFAULT_MAX_TAGS, minRating).importDirectory(dir);
    PrintWriter err = spec.commandLine().getErr();
    for (ReadSummary summary : data.summaries()) {
      SequenceFiles.report(summary, err);
    }
    long lines = data.writeTsv(out, withTimes);
    spec.commandLine()
        .getOut()
        .println(
            "wrote "
                + lines
                + " users, "
                + data.clicks().size()
                + " clicks, "
                + data.movies().size()
                + " movies to "
                + out);
    return 0;
  }
}
