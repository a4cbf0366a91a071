package dev.freshet.cli.offline;

import dev.freshet.data.UserSequence;
import dev.freshet.data.eval.EvaluationReport;
import dev.freshet.data.eval.Evaluator;
import dev.freshet.data.eval.MostPopularRecommender;
import dev.freshet.data.eval.Split;
import dev.freshet.model.CandidateModel;
import dev.freshet.model.Instance;
import dev.freshet.model.ModelConfig;
import dev.freshet.offline.Instances;
import dev.freshet.offline.ModelRecommender;
import dev.freshet.offline.OfflineTrainer;
import dev.freshet.offline.SequenceFiles;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code freshet train}: the reference's {@code train.py}. Every click of every line of the
 * training file is one instance (the previous {@code --window} clicks as history; see {@link
 * Instances}); {@code --passes} shuffled passes in mini-batches ({@link OfflineTrainer}); after
 * each pass a checkpoint {@code DIR/pass-NNN.ckpt} (1-based) copied to {@code DIR/latest.ckpt}, a
 * row in {@code DIR/train-log.tsv}, and with {@code --test} the test metrics.
 *
 * <p><b>Test set.</b> Each line of the test file with at least one click is one test event: its
 * last click is the target, the clicks before it (the last {@code window} of them) and the profile
 * are the input, the earlier clicks are excluded from the ranking, and Recall@K / NDCG@K / MRR@K
 * are computed over all events with the data module's {@link Evaluator} (K = {@code --k}).
 * Popularity fitted on the training file is printed once for comparison.
 *
 * <p>The model configuration is written to {@code DIR/model-config.txt} (it is also inside every
 * checkpoint). With {@code --init} the checkpoint's configuration is used and the model-size
 * options are ignored; training continues from its state.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Trains the candidate model on a reference TSV file (like train.py): passes, mini-batches,"
          + " a progress bar, loss per pass, a checkpoint per pass, and test metrics per pass."
    })
public final class TrainCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--train",
      required = true,
      paramLabel = "FILE",
      converter = PathConverters.ReadableFile.class,
      description = "Training set, reference TSV.")
  Path train;

  @Option(
      names = "--test",
      paramLabel = "FILE",
      converter = PathConverters.ReadableFile.class,
      description = "Test set, reference TSV: each line's last click is predicted.")
  Path test;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Directory for checkpoints, config and log.")
  Path out;

  @Option(
      names = "--init",
      paramLabel = "CHECKPOINT",
      converter = PathConverters.ReadableFile.class,
      description = "Continue from this checkpoint (its configuration is used).")
  Path init;

  @Option(
      names = "--k",
      defaultValue = "20",
      description = "Cut-off of the test metrics (default: ${DEFAULT-VALUE}).")
  int k;

  @Mixin ModelOptions options;

  @Override
  public Integer call() throws Exception {
    if (k < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--k must be >= 1, was " + k);
    }
    int passes = options.passes();
    int batchSize = options.batchSize();
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CandidateModel model;
    if (init != null) {
      model = CandidateModel.load(init);
      stdout.println("continuing from " + init + " (" + model.steps() + " steps)");
    } else {
      model = CandidateModel.create(options.toConfig());
    }
    ModelConfig config = model.config();
    List<UserSequence> trainUsers = SequenceFiles.read(train, err);
    List<Instance> instances = Instances.instancesOf(trainUsers, config.maxWindow());
    Split testSplit = null;
    Evaluator evaluator = new Evaluator(k, true);
    if (test != null) {
      testSplit = lastClickSplit(SequenceFiles.read(test, err));
      EvaluationReport popularity =
          evaluator.evaluate(testSplit, List.of(MostPopularRecommender.fit(trainUsers)));
      stdout.print("test baseline (popularity fitted on the training file):\n" + popularity);
    }
    Files.createDirectories(out);
    Files.writeString(
        out.resolve("model-config.txt"), config + System.lineSeparator(), StandardCharsets.UTF_8);
    stdout.printf(
        Locale.ROOT,
        "training on %d instances from %d users, %d passes, batch %d; %s%n",
        instances.size(),
        trainUsers.size(),
        passes,
        batchSize,
        config);
    OfflineTrainer trainer = new OfflineTrainer(model, batchSize, options.seed(), err);
    Path log = out.resolve("train-log.tsv");
    try (BufferedWriter logWriter = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      logWriter.write("pass\tloss\ttrained\tskipped\tseconds\titems\trecall\tndcg\tmrr\n");
      for (int pass = 1; pass <= passes; pass++) {
        OfflineTrainer.PassResult r = trainer.runPass(instances, pass);
        Path checkpoint = out.resolve(String.format(Locale.ROOT, "pass-%03d.ckpt", pass));
        model.save(checkpoint);
        Files.copy(checkpoint, out.resolve("latest.ckpt"), StandardCopyOption.REPLACE_EXISTING);
        ModelRecommender recommender = new ModelRecommender("model", model, batchSize);
        String metrics = "\t\t\t";
        stdout.printf(
            Locale.ROOT,
            "pass %d: loss %.4f, trained %d, skipped %d (target not admitted), %d items"
                + " admitted, %.1f s -> %s%n",
            pass,
            r.meanLoss(),
            r.trained(),
            r.skipped(),
            recommender.catalogueSize(),
            r.seconds(),
            checkpoint);
        if (testSplit != null) {
          recommender.precompute(testSplit);
          EvaluationReport.Result result =
              evaluator.evaluate(testSplit, List.of(recommender)).results().get(0);
          stdout.printf(
              Locale.ROOT,
              "pass %d test: Recall@%d %.4f, NDCG@%d %.4f, MRR@%d %.4f over %d events%n",
              pass,
              k,
              result.recall(),
              k,
              result.ndcg(),
              k,
              result.mrr(),
              result.events());
          metrics =
              String.format(
                  Locale.ROOT, "\t%.6f\t%.6f\t%.6f", result.recall(), result.ndcg(), result.mrr());
        }
        logWriter.write(
            String.format(
                    Locale.ROOT,
                    "%d\t%.6f\t%d\t%d\t%.3f\t%d",
                    pass,
                    r.meanLoss(),
                    r.trained(),
                    r.skipped(),
                    r.seconds(),
                    recommender.catalogueSize())
                + metrics
                + "\n");
        logWriter.flush();
      }
    }
    stdout.println("latest checkpoint: " + out.resolve("latest.ckpt"));
    return 0;
  }

  /**
   * The test-set definition: every line with at least one click contributes one event, its last
   * click, predicted from the clicks before it.
   */
  static Split lastClickSplit(List<UserSequence> users) {
    List<Split.TestUser> test = new ArrayList<>();
    for (UserSequence user : users) {
      if (user.size() > 0) {
        test.add(new Split.TestUser(user, user.size() - 1));
      }
    }
    return new Split("last click of each test line", List.of(), test);
  }
}
