package dev.freshet.data.tools;

import dev.freshet.data.ReadSummary;
import dev.freshet.data.UserSequence;
import dev.freshet.data.eval.CoOccurrenceRecommender;
import dev.freshet.data.eval.EvaluationReport;
import dev.freshet.data.eval.Evaluator;
import dev.freshet.data.eval.MostPopularRecommender;
import dev.freshet.data.eval.Recommender;
import dev.freshet.data.eval.Split;
import dev.freshet.data.eval.TimeSplit;
import dev.freshet.data.movielens.MovieLensData;
import dev.freshet.data.movielens.MovieLensImporter;
import dev.freshet.data.synth.SyntheticClickGenerator;
import dev.freshet.data.synth.SyntheticConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scores the baselines on MovieLens or on synthetic data and prints a table.
 *
 * <pre>
 * java -cp data/target/classes:slf4j-api.jar dev.freshet.data.tools.EvaluateBaselines \
 *     --movielens ../shared/data/ml-latest-small [--k 20] [--test-fraction 0.2] [--split per-user|global]
 * java ... EvaluateBaselines --synthetic [--users 2000] [--items 3000] [--clicks-per-user 50]
 *     [--days 30] [--new-items-per-day 30] [--drift 0.05] [--seed 42] [--write-tsv out.tsv]
 * </pre>
 */
public final class EvaluateBaselines {

  private EvaluateBaselines() {}

  /** Entry point; exits with status 2 on a usage error. */
  public static void main(String[] args) throws IOException {
    Map<String, String> options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(
          "usage: EvaluateBaselines (--movielens DIR | --synthetic [generator options])"
              + " [--k 20] [--test-fraction 0.2] [--split per-user|global] [--write-tsv FILE]");
      System.exit(2);
      return;
    }
    run(options, System.out);
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + a);
      }
      String key = a.substring(2);
      if (key.equals("synthetic") || key.equals("with-times")) {
        options.put(key, "true");
      } else if (i + 1 < args.length) {
        options.put(key, args[++i]);
      } else {
        throw new IllegalArgumentException("missing value for " + a);
      }
    }
    if (options.containsKey("movielens") == options.containsKey("synthetic")) {
      throw new IllegalArgumentException("give exactly one of --movielens DIR and --synthetic");
    }
    return options;
  }

  static EvaluationReport run(Map<String, String> options, PrintStream out) throws IOException {
    long start = System.nanoTime();
    int k = Integer.parseInt(options.getOrDefault("k", "20"));
    double testFraction = Double.parseDouble(options.getOrDefault("test-fraction", "0.2"));
    List<UserSequence> sequences;
    if (options.containsKey("movielens")) {
      MovieLensData data =
          MovieLensImporter.defaults().importDirectory(Path.of(options.get("movielens")));
      for (ReadSummary summary : data.summaries()) {
        out.println(summary);
      }
      sequences = data.sequences();
      if (options.containsKey("write-tsv")) {
        data.writeTsv(Path.of(options.get("write-tsv")), options.containsKey("with-times"));
      }
    } else {
      SyntheticConfig config =
          SyntheticConfig.builder()
              .users(Integer.parseInt(options.getOrDefault("users", "2000")))
              .initialItems(Integer.parseInt(options.getOrDefault("items", "3000")))
              .meanClicksPerUser(Integer.parseInt(options.getOrDefault("clicks-per-user", "50")))
              .days(Double.parseDouble(options.getOrDefault("days", "30")))
              .newItemsPerDay(Double.parseDouble(options.getOrDefault("new-items-per-day", "30")))
              .driftRatePerDay(Double.parseDouble(options.getOrDefault("drift", "0.05")))
              .seed(Long.parseLong(options.getOrDefault("seed", "42")))
              .build();
      out.println("synthetic: " + config);
      SyntheticClickGenerator generator = new SyntheticClickGenerator(config);
      sequences = generator.sequences();
      if (options.containsKey("write-tsv")) {
        generator.writeTsv(Path.of(options.get("write-tsv")), options.containsKey("with-times"));
      }
    }
    long clicks = sequences.stream().mapToLong(UserSequence::size).sum();
    out.printf(Locale.ROOT, "users = %d, clicks = %d%n", sequences.size(), clicks);
    String splitKind = options.getOrDefault("split", "per-user");
    Split split;
    if (splitKind.equals("per-user")) {
      split = TimeSplit.lastFractionPerUser(sequences, testFraction);
    } else if (splitKind.equals("global")) {
      split = TimeSplit.globalTimeCut(sequences, TimeSplit.quantileCut(sequences, testFraction));
    } else {
      throw new IllegalArgumentException("--split must be per-user or global, was " + splitKind);
    }
    List<Recommender> recommenders = new ArrayList<>();
    recommenders.add(MostPopularRecommender.fit(split.train()));
    recommenders.add(CoOccurrenceRecommender.fit(split.train()));
    recommenders.add(CoOccurrenceRecommender.fit(split.train(), 1, false, 200));
    EvaluationReport report = new Evaluator(k, true).evaluate(split, recommenders);
    out.print(report.toTable());
    out.printf(Locale.ROOT, "took %.1f s%n", (System.nanoTime() - start) / 1e9);
    return report;
  }
}
