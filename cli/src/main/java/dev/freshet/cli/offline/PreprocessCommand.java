package dev.freshet.cli.offline;

import dev.freshet.data.UserSequence;
import dev.freshet.model.Table;
import dev.freshet.offline.FeatureDictionary;
import dev.freshet.offline.SequenceFiles;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code freshet preprocess}: the reference's {@code data_processor.py}. Counts every feature value
 * of a training file the way the model counts them in one pass ({@link FeatureDictionary}), applies
 * the {@code feat_appear_limit} filter, and writes human-readable files into {@code --out}:
 *
 * <ul>
 *   <li>{@code feature_dict.tsv}: {@code feature \t value \t count \t admitted} (1/0), per feature
 *       most frequent first;
 *   <li>{@code item_freq.tsv}: {@code video \t count \t frequency \t admitted}, frequency = count /
 *       all clicks, most frequent first (the reference's NCE noise distribution before the power);
 *   <li>{@code summary.txt}: what is printed to standard output.
 * </ul>
 *
 * The model admits values online from its own counts; these files explain what it will admit, they
 * are not an input to {@code train}.
 */
@Command(
    name = "preprocess",
    mixinStandardHelpOptions = true,
    description = {
      "Feature dictionary with the frequency filter and item frequencies of a reference TSV"
          + " training file (like data_processor.py), as TSV files plus a printed summary."
    })
public final class PreprocessCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--train",
      required = true,
      paramLabel = "FILE",
      converter = PathConverters.ReadableFile.class,
      description = "Training set, reference TSV.")
  Path train;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Option(
      names = "--feat-appear-limit",
      defaultValue = "20",
      description = "Minimum occurrences for a value to be admitted (default: ${DEFAULT-VALUE}).")
  int featAppearLimit;

  @Override
  public Integer call() throws Exception {
    if (featAppearLimit < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--feat-appear-limit must be >= 1, was " + featAppearLimit);
    }
    List<UserSequence> users = SequenceFiles.read(train, spec.commandLine().getErr());
    FeatureDictionary dict = new FeatureDictionary(featAppearLimit);
    users.forEach(dict::add);
    Files.createDirectories(out);
    long clicks = SequenceFiles.clicks(users);
    try (BufferedWriter w = Files.newBufferedWriter(out.resolve("feature_dict.tsv"))) {
      w.write("feature\tvalue\tcount\tadmitted\n");
      for (Table t : FeatureDictionary.FEATURES) {
        for (FeatureDictionary.Entry e : dict.entries(t)) {
          w.write(
              t.wireName()
                  + '\t'
                  + e.value()
                  + '\t'
                  + e.count()
                  + '\t'
                  + (dict.admitted(e.count()) ? 1 : 0)
                  + '\n');
        }
      }
    }
    try (BufferedWriter w = Files.newBufferedWriter(out.resolve("item_freq.tsv"))) {
      w.write("video\tcount\tfrequency\tadmitted\n");
      for (FeatureDictionary.Entry e : dict.entries(Table.ITEM)) {
        w.write(
            String.format(
                Locale.ROOT,
                "%s\t%d\t%.6g\t%d%n",
                e.value(),
                e.count(),
                e.count() / (double) Math.max(1, clicks),
                dict.admitted(e.count()) ? 1 : 0));
      }
    }
    String summary = summary(dict, users.size(), clicks);
    Files.writeString(out.resolve("summary.txt"), summary, StandardCharsets.UTF_8);
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.print(summary);
    stdout.println(
        "wrote " + out.resolve("feature_dict.tsv") + ", " + out.resolve("item_freq.tsv"));
    return 0;
  }

  private static String summary(FeatureDictionary dict, int users, long clicks) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "%d users, %d clicks; feat_appear_limit = %d (counted once per click, as one"
                + " training pass counts)%n",
            users,
            clicks,
            dict.featAppearLimit()));
    s.append(
        String.format(
            Locale.ROOT,
            "%-9s %10s %10s %14s %10s%n",
            "feature",
            "values",
            "admitted",
            "occurrences",
            "covered"));
    for (Table t : FeatureDictionary.FEATURES) {
      long values = 0;
      long admitted = 0;
      long occurrences = 0;
      long covered = 0;
      for (FeatureDictionary.Entry e : dict.entries(t)) {
        values++;
        occurrences += e.count();
        if (dict.admitted(e.count())) {
          admitted++;
          covered += e.count();
        }
      }
      occurrences += dict.unknown(t);
      s.append(
          String.format(
              Locale.ROOT,
              "%-9s %10d %10d %14d %9.1f%%%n",
              t.wireName(),
              values,
              admitted,
              occurrences,
              occurrences == 0 ? 0.0 : 100.0 * covered / occurrences));
    }
    s.append(
        "covered = share of occurrences whose value has its own row (NULL and rare values map to"
            + " <unk>; clicks of unadmitted items are not trained on as targets)\n");
    return s.toString();
  }
}
