package dev.freshet.cli;

import ch.qos.logback.classic.Level;
import dev.freshet.evaluation.online.OnlineEvaluation;
import dev.freshet.evaluation.online.OnlineReport;
import dev.freshet.evaluation.online.ReplayLog;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code freshet evaluate-online}: prequential HR@K and NDCG@K of the online system, a frozen copy
 * and online baselines, measured by replaying a log through the real stream app and trainer in
 * event-time lockstep ({@link OnlineEvaluation}). Parses, validates and delegates.
 */
@Command(
    name = "evaluate-online",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Replays a click log through the real stream app and trainer (embedded broker, this JVM) in"
          + " event-time lockstep and reports prequential HR@K and NDCG@K of the online model, a"
          + " frozen copy, online popularity and online co-occurrence on the same clicks."
    })
public final class EvaluateOnlineCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  static final class Source {
    @Option(names = "--data", paramLabel = "FILE", description = "Reference TSV with click times.")
    Path data;

    @Option(
        names = "--movielens",
        paramLabel = "DIR",
        description = "MovieLens directory, e.g. ../shared/data/ml-latest-small.")
    Path movielens;
  }

  @ArgGroup(exclusive = true, multiplicity = "1", heading = "Data (one of):%n")
  Source source;

  @Option(
      names = "--max-clicks",
      defaultValue = "0",
      description = "Replay only the first N clicks in event time; 0: all (default).")
  int maxClicks;

  @Option(
      names = "--frozen-after",
      defaultValue = "0.3",
      description =
          "Share of the log after which the frozen copy is taken (default: ${DEFAULT-VALUE}).")
  double frozenAfter;

  @Option(
      names = "--k",
      defaultValue = "20",
      description = "List length K (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Model seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--history-size",
      defaultValue = "20",
      description =
          "Clicks in a user's window; lists leave these items out (default: ${DEFAULT-VALUE}).")
  int historySize;

  @Option(
      names = "--publish-every",
      defaultValue = "256",
      description = "Instances per published snapshot (default: ${DEFAULT-VALUE}).")
  int publishEvery;

  @Option(
      names = "--batch-size",
      defaultValue = "64",
      description = "The trainer's mini-batch (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--feat-appear-limit",
      defaultValue = "1",
      description = "Clicks a feature value needs for its own row (default: ${DEFAULT-VALUE}).")
  int featAppearLimit;

  @Option(
      names = "--trainers",
      defaultValue = "1",
      description =
          "Trainers sharing the training, one group on as many partitions (default:"
              + " ${DEFAULT-VALUE}). With more than one they publish by time and each segment waits"
              + " for a snapshot holding all instances sent so far.")
  int trainers;

  @Option(
      names = "--publish-by-time",
      description =
          "Publish snapshots by time (publish.interval.ms and batch.max.wait.ms 1 s) and wait, after each segment, for a"
              + " snapshot holding all instances sent so far, as several trainers do: the"
              + " single-trainer control of a --trainers comparison.")
  boolean publishByTime;

  @Option(
      names = "--serial-partitions",
      paramLabel = "P",
      defaultValue = "0",
      description =
          "A diagnostic: send each segment in parts, one per partition of training-instances when"
              + " it has P (in partition order), each part waiting for a snapshot holding all"
              + " instances sent so far, so several trainers never train in parallel. P is the"
              + " number of trainers, or any P with one trainer for its control. Implies"
              + " --publish-by-time (default: 0, off).")
  int serialPartitions;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON.")
  Path json;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description =
          "Working directory (must be empty or absent; default: a temporary one, removed).")
  Path dir;

  @Option(names = "--verbose", description = "Keep Freshet's INFO logging on stderr.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    if (maxClicks < 0) {
      throw usage("--max-clicks must be >= 0, was " + maxClicks);
    }
    try {
      settings(Path.of("unused"));
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    if (!verbose) {
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.freshet")).setLevel(Level.WARN);
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.kafka"))
          .setLevel(Level.ERROR);
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("kafka")).setLevel(Level.ERROR);
    }
    PrintStream out = System.out;
    ReplayLog log =
        (source.data != null ? ReplayLog.tsv(source.data) : ReplayLog.movieLens(source.movielens))
            .first(maxClicks);
    out.println(log.description());
    Path work = dir != null ? dir : Files.createTempDirectory("freshet-evaluate-online");
    try {
      OnlineEvaluation.Settings settings = settings(work);
      OnlineReport report =
          OnlineEvaluation.run(
              log.clicks(),
              log.description()
                  + (trainers > 1 ? ", " + trainers + " trainers" : "")
                  + (settings.publishByTime() ? ", publishing by time" : "")
                  + (serialPartitions > 0
                      ? ", segments sent by partition of " + serialPartitions
                      : ""),
              settings,
              out);
      out.print(report.toText());
      if (json != null) {
        Files.writeString(json, report.toJson());
        out.println("Report written to " + json);
      }
    } finally {
      if (dir == null) {
        try (Stream<Path> s = Files.walk(work)) {
          for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    }
    return 0;
  }

  private OnlineEvaluation.Settings settings(Path work) {
    return new OnlineEvaluation.Settings(
        work,
        k,
        seed,
        frozenAfter,
        historySize,
        publishEvery,
        batchSize,
        featAppearLimit,
        Duration.ofMinutes(5),
        trainers,
        publishByTime,
        serialPartitions);
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
