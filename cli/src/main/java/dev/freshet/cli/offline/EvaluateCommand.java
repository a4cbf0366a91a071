package dev.freshet.cli.offline;

import dev.freshet.data.UserSequence;
import dev.freshet.data.eval.EvaluationReport;
import dev.freshet.data.eval.Evaluator;
import dev.freshet.data.eval.LeaveOneOutReport;
import dev.freshet.data.eval.RankingEvaluator;
import dev.freshet.data.eval.Split;
import dev.freshet.data.synth.SyntheticClickGenerator;
import dev.freshet.data.synth.SyntheticConfig;
import dev.freshet.model.CandidateModel;
import dev.freshet.model.ModelConfig;
import dev.freshet.offline.LeaveOneOutEvaluation;
import dev.freshet.offline.OfflineEvaluation;
import dev.freshet.offline.SequenceFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code freshet evaluate}: next-click Recall@K, NDCG@K and MRR@K on a time-ordered split, for the
 * most-popular and item co-occurrence baselines and the model, all on the same test events in one
 * run ({@link OfflineEvaluation}: each held-out click predicted from all clicks before it, items
 * already clicked excluded). The baselines are fitted on the split's training part; the model is
 * either a checkpoint ({@code --model}) or trained here on the training part ({@code
 * --train-model}, with the {@link ModelOptions}); without either only the baselines are scored.
 *
 * <p>Data: a reference TSV file, a MovieLens directory, or the synthetic generator. Splits: {@code
 * per-user} (each user's last {@code --test-fraction} clicks, no times needed), {@code global} (one
 * cut in time holding out that fraction of all clicks; needs click times) or {@code leave-one-out},
 * the field's protocol, delegated to {@link LeaveOneOutEvaluation}: HR@K and NDCG@K at {@code
 * --cutoffs}, MRR, popularity, co-occurrence and session-kNN, {@code --seeds} model runs with early
 * stopping on the validation events, {@code --json} output.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Next-click Recall@K, NDCG@K and MRR of the model and the popularity and co-occurrence"
          + " baselines on a time-ordered split, in one run; --split leave-one-out: the field's"
          + " protocol (HR@K, NDCG@K, MRR, full ranking, session-kNN too, seeds, JSON)."
    })
public final class EvaluateCommand implements Callable<Integer> {

  /** How the clicks are split. */
  enum SplitKind {
    PER_USER,
    GLOBAL,
    LEAVE_ONE_OUT
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  static final class Source {
    @Option(
        names = "--data",
        paramLabel = "FILE",
        converter = PathConverters.ReadableFile.class,
        description = "Reference TSV file (with times for --split global).")
    Path data;

    @Option(
        names = "--movielens",
        paramLabel = "DIR",
        converter = PathConverters.ExistingDirectory.class,
        description = "MovieLens directory, e.g. ../shared/data/ml-latest-small.")
    Path movielens;

    @Option(
        names = "--synthetic",
        description = "Synthetic clicks (see the generator options --users, --items, ...).")
    boolean synthetic;
  }

  @ArgGroup(exclusive = true, multiplicity = "1", heading = "Data (one of):%n")
  Source source;

  static final class ModelSource {
    @Option(
        names = "--model",
        paramLabel = "CKPT",
        converter = PathConverters.ReadableFile.class,
        description = "Score this checkpoint.")
    Path checkpoint;

    @Option(
        names = "--train-model",
        description = "Train a model on the split's training part with the model options.")
    boolean train;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1", heading = "Model (at most one):%n")
  ModelSource modelSource;

  @Option(
      names = "--split",
      defaultValue = "per-user",
      converter = SplitKindConverter.class,
      description =
          "per-user, global or leave-one-out (the field's protocol: last click test, the one"
              + " before validation, full ranking; default: per-user).")
  SplitKind split;

  @Option(
      names = "--test-fraction",
      defaultValue = "0.2",
      description = "Share of clicks held out (default: ${DEFAULT-VALUE}).")
  double testFraction;

  @Option(names = "--k", defaultValue = "20", description = "Cut-off (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(
      names = "--report-every-pass",
      description = "With --train-model: score the model after every pass, not only at the end.")
  boolean reportEveryPass;

  @Option(
      names = "--save-model",
      paramLabel = "FILE",
      description = "With --train-model: write the trained model to this checkpoint.")
  Path saveModel;

  @Option(
      names = "--cutoffs",
      split = ",",
      paramLabel = "K",
      defaultValue = "10,20",
      description = "Leave-one-out: the cut-offs of HR@K and NDCG@K (default: ${DEFAULT-VALUE}).")
  List<Integer> cutoffs;

  @Option(
      names = "--keep-seen",
      description = "Leave-one-out: keep items the user already clicked in the ranking.")
  boolean keepSeen;

  @Option(
      names = "--refit-baselines",
      description =
          "Leave-one-out: fit the baselines on the training and validation clicks (default: the"
              + " training clicks only, like the model).")
  boolean refitBaselines;

  @Option(
      names = "--seeds",
      defaultValue = "1",
      description =
          "Leave-one-out with --train-model: train and score the model this many times, seeds"
              + " --seed, --seed+1, ... (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(
      names = "--early-stop",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Leave-one-out with --train-model: keep the pass that scores best on the validation"
              + " events (on by default; --no-early-stop scores the last pass).")
  boolean earlyStop;

  @Option(
      names = "--patience",
      defaultValue = "0",
      description =
          "With early stopping: stop after this many passes without a validation improvement"
              + " (default: ${DEFAULT-VALUE}, run every pass).")
  int patience;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Leave-one-out: also write the report as JSON to this file.")
  Path json;

  @Mixin ModelOptions modelOptions;

  @Mixin SyntheticOptions syntheticOptions;

  @Override
  public Integer call() throws Exception {
    if (k < 1) {
      throw usage("--k must be >= 1, was " + k);
    }
    if (!(testFraction > 0 && testFraction < 1)) {
      throw usage("--test-fraction must be in (0, 1), was " + testFraction);
    }
    boolean trainModel = modelSource != null && modelSource.train;
    if ((reportEveryPass || saveModel != null) && !trainModel) {
      throw usage("--report-every-pass and --save-model need --train-model");
    }
    if (split == SplitKind.LEAVE_ONE_OUT) {
      return leaveOneOut(trainModel);
    }
    for (String option :
        List.of(
            "--cutoffs",
            "--keep-seen",
            "--refit-baselines",
            "--seeds",
            "--early-stop",
            "--patience",
            "--json")) {
      if (matched(option)) {
        throw usage(option + " applies to --split leave-one-out only");
      }
    }
    long start = System.nanoTime();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<UserSequence> sequences = load(out, err);
    out.printf(
        Locale.ROOT,
        "users = %d, clicks = %d%n",
        sequences.size(),
        SequenceFiles.clicks(sequences));
    Split data = split(sequences);
    OfflineEvaluation evaluation = new OfflineEvaluation(new Evaluator(k, true), out, err);
    CandidateModel model = null;
    if (modelSource != null && modelSource.checkpoint != null) {
      model = CandidateModel.load(modelSource.checkpoint);
      out.println("model: " + modelSource.checkpoint + " (" + model.config() + ")");
    } else if (trainModel) {
      model =
          evaluation.train(
              data,
              modelConfig(sequences, out),
              modelOptions.passes(),
              modelOptions.batchSize(),
              modelOptions.seed(),
              reportEveryPass);
      if (saveModel != null) {
        model.save(saveModel);
        out.println("saved the model to " + saveModel);
      }
    }
    EvaluationReport report = evaluation.evaluate(data, model);
    out.print(report.toTable());
    out.printf(Locale.ROOT, "took %.1f s%n", (System.nanoTime() - start) / 1e9);
    return 0;
  }

  private int leaveOneOut(boolean trainModel) throws Exception {
    for (String option : List.of("--k", "--test-fraction", "--report-every-pass")) {
      if (matched(option)) {
        throw usage(
            option
                + " does not apply to --split leave-one-out (use --cutoffs; validation scores are"
                + " printed after every pass)");
      }
    }
    for (int c : cutoffs) {
      if (c < 1) {
        throw usage("--cutoffs must all be >= 1, was " + cutoffs);
      }
    }
    if (seeds < 1) {
      throw usage("--seeds must be >= 1, was " + seeds);
    }
    if (patience < 0) {
      throw usage("--patience must be >= 0, was " + patience);
    }
    if (!trainModel && (matched("--seeds") || matched("--early-stop") || matched("--patience"))) {
      throw usage("--seeds, --early-stop and --patience need --train-model");
    }
    if (saveModel != null && seeds > 1) {
      throw usage("--save-model needs --seeds 1");
    }
    long start = System.nanoTime();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (trainModel) {
      modelOptions.toConfig(); // rejects invalid model options before the data is read
    }
    CandidateModel checkpoint =
        modelSource != null && modelSource.checkpoint != null
            ? CandidateModel.load(modelSource.checkpoint)
            : null;
    List<UserSequence> sequences = load(out, err);
    out.printf(
        Locale.ROOT,
        "users = %d, clicks = %d%n",
        sequences.size(),
        SequenceFiles.clicks(sequences));
    LeaveOneOutEvaluation.Training training =
        trainModel
            ? new LeaveOneOutEvaluation.Training(
                modelConfig(sequences, out),
                modelOptions.passes(),
                modelOptions.batchSize(),
                seeds,
                earlyStop,
                patience)
            : null;
    LeaveOneOutEvaluation evaluation =
        new LeaveOneOutEvaluation(
            new RankingEvaluator(cutoffs, keepSeen), refitBaselines, out, err);
    LeaveOneOutReport report;
    if (training != null) {
      LeaveOneOutEvaluation.Trained trained = evaluation.withTraining(sequences, training);
      report = trained.report();
      if (saveModel != null) {
        trained.lastModel().save(saveModel);
        out.println("saved the scored model to " + saveModel);
      }
    } else if (checkpoint != null) {
      report = evaluation.withModel(sequences, checkpoint);
    } else {
      report = evaluation.baselines(sequences);
    }
    for (LeaveOneOutReport.Entry e : report.entries()) {
      out.println(e.key() + " = " + e.name());
    }
    out.print(report.toTable());
    if (report.entries().stream().anyMatch(e -> !e.passes().isEmpty())) {
      out.println("chosen passes: " + report.entry(LeaveOneOutEvaluation.MODEL).passes());
    }
    if (json != null) {
      report.writeJson(json);
      out.println("wrote " + json);
    }
    out.printf(Locale.ROOT, "took %.1f s%n", (System.nanoTime() - start) / 1e9);
    return 0;
  }

  /** The model options for this data: the search-token input is on when the data has tokens. */
  private ModelConfig modelConfig(List<UserSequence> sequences, PrintWriter out) {
    long searched = SequenceFiles.clicksWithSearchTokens(sequences);
    ModelConfig config = modelOptions.toConfig(searched > 0);
    if (searched > 0) {
      out.printf(
          Locale.ROOT,
          "%d clicks carry search tokens: search-token input %s%n",
          searched,
          config.searchTokens() ? "width " + config.searchDim() : "off (--search-dim 0)");
    }
    return config;
  }

  private boolean matched(String option) {
    return spec.commandLine().getParseResult().hasMatchedOption(option);
  }

  private List<UserSequence> load(PrintWriter out, PrintWriter err) throws Exception {
    if (source.data != null) {
      return SequenceFiles.read(source.data, err);
    }
    if (source.movielens != null) {
      return SequenceFiles.readMovieLens(source.movielens, err);
    }
    SyntheticConfig config = syntheticOptions.toConfig();
    out.println("synthetic: " + config);
    return new SyntheticClickGenerator(config).sequences();
  }

  private Split split(List<UserSequence> sequences) {
    OfflineEvaluation.SplitKind kind =
        split == SplitKind.PER_USER
            ? OfflineEvaluation.SplitKind.PER_USER
            : OfflineEvaluation.SplitKind.GLOBAL;
    try {
      return OfflineEvaluation.split(sequences, kind, testFraction);
    } catch (IllegalArgumentException e) {
      throw usage("--split global needs click times (" + e.getMessage() + ")");
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /** Parses {@code per-user} / {@code global}. */
  static final class SplitKindConverter implements CommandLine.ITypeConverter<SplitKind> {
    @Override
    public SplitKind convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "per-user" -> SplitKind.PER_USER;
        case "global" -> SplitKind.GLOBAL;
        case "leave-one-out" -> SplitKind.LEAVE_ONE_OUT;
        default ->
            throw new CommandLine.TypeConversionException(
                "expected per-user, global or leave-one-out but was '" + value + "'");
      };
    }
  }
}
