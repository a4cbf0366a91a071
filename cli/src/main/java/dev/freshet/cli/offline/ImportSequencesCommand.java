package dev.freshet.cli.offline;

import dev.freshet.data.sequences.SequenceImporter;
import dev.freshet.data.sequences.SequenceImporter.SequenceImport;
import dev.freshet.offline.SequenceFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code freshet import-sequences}: the SASRec / S3-Rec benchmark layout (one user per line, items
 * in time order; an item2attributes JSON) to reference TSV through {@link SequenceImporter}. Bad
 * lines and entries go to the error stream with their line numbers; see {@code docs/data.md}.
 */
@Command(
    name = "import-sequences",
    mixinStandardHelpOptions = true,
    description = {
      "Converts a sequence file ('user item item ...' per line, oldest first) and an"
          + " item2attributes JSON into reference TSV: first attribute = category, the rest tags."
    })
public final class ImportSequencesCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--sequences",
      required = true,
      paramLabel = "FILE",
      converter = PathConverters.ReadableFile.class,
      description = "Sequence file, e.g. ../shared/data/amazon-toys/Toys_and_Games.txt.")
  Path sequences;

  @Option(
      names = "--attributes",
      required = true,
      paramLabel = "FILE",
      converter = PathConverters.ReadableFile.class,
      description = "item2attributes JSON (item id -> list of attribute ids).")
  Path attributes;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output TSV.")
  Path out;

  @Override
  public Integer call() throws Exception {
    SequenceImport data = SequenceImporter.importFiles(sequences, attributes);
    PrintWriter err = spec.commandLine().getErr();
    SequenceFiles.report(data.attributeSummary(), err);
    SequenceFiles.report(data.sequenceSummary(), err);
    long lines = data.writeTsv(out);
    spec.commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "wrote %d users, %d clicks, %d items (%d without attributes), %d bad lines to %s%n",
            lines,
            data.clicks(),
            data.items(),
            data.itemsWithoutAttributes(),
            data.badLines(),
            out);
    return 0;
  }
}
