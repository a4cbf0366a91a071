package dev.freshet.offline;

import dev.freshet.data.UserSequence;
import dev.freshet.data.eval.EvaluationReport;
import dev.freshet.data.eval.Evaluator;
import dev.freshet.data.eval.MostPopularRecommender;
import dev.freshet.data.eval.Split;
import dev.freshet.model.CandidateModel;
import dev.freshet.model.Instance;
import dev.freshet.model.ModelConfig;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the reference's {@code train.py} does, on a model created or loaded by the caller: every
 * click of every training line is one instance ({@link Instances}); {@code passes} shuffled passes
 * in mini-batches ({@link OfflineTrainer}); after each pass a checkpoint {@code DIR/pass-NNN.ckpt}
 * (1-based) copied to {@code DIR/latest.ckpt}, a row in {@code DIR/train-log.tsv}, and with test
 * users the test metrics. The model configuration is written to {@code DIR/model-config.txt}.
 *
 * <p><b>Test set</b> ({@link #lastClickSplit}): each test line with at least one click is one
 * event: its last click is the target, the clicks before it (the last {@code window} of them) and
 * the profile are the input, the earlier clicks are excluded from the ranking, and Recall@K /
 * NDCG@K / MRR@K are computed over all events with the data module's {@link Evaluator}. Popularity
 * fitted on the training lines is printed once for comparison.
 */
public final class TrainingRun {

  private final PrintWriter stdout;
  private final PrintWriter err;

  /**
   * @param out where the per-pass lines go
   * @param progress where progress bars are drawn (an error stream)
   */
  public TrainingRun(PrintWriter out, PrintWriter progress) {
    this.stdout = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(progress, "progress");
  }

  /**
   * Trains {@code model} in place and writes the checkpoints, the configuration and the log.
   *
   * @param trainUsers the training lines
   * @param testUsers the test lines, or null for none
   * @param out the output directory (created if missing)
   * @param passes passes, {@code >= 1}
   * @param batchSize instances per mini-batch, {@code >= 1}
   * @param seed the shuffling seed
   * @param k the cut-off of the test metrics, {@code >= 1}
   * @return the path of {@code latest.ckpt}
   * @throws IOException if the directory or a file cannot be written
   */
  public Path run(
      CandidateModel model,
      List<UserSequence> trainUsers,
      List<UserSequence> testUsers,
      Path out,
      int passes,
      int batchSize,
      long seed,
      int k)
      throws IOException {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(trainUsers, "trainUsers");
    Objects.requireNonNull(out, "out");
    if (passes < 1) {
      throw new IllegalArgumentException("passes must be >= 1, was " + passes);
    }
    ModelConfig config = model.config();
    List<Instance> instances = Instances.instancesOf(trainUsers, config.maxWindow());
    Split testSplit = null;
    Evaluator evaluator = new Evaluator(k, true);
    if (testUsers != null) {
      testSplit = lastClickSplit(testUsers);
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
    OfflineTrainer trainer = new OfflineTrainer(model, batchSize, seed, err);
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
    return out.resolve("latest.ckpt");
  }

  /**
   * The test-set definition: every line with at least one click contributes one event, its last
   * click, predicted from the clicks before it.
   */
  public static Split lastClickSplit(List<UserSequence> users) {
    List<Split.TestUser> test = new ArrayList<>();
    for (UserSequence user : users) {
      if (user.size() > 0) {
        test.add(new Split.TestUser(user, user.size() - 1));
      }
    }
    return new Split("last click of each test line", List.of(), test);
  }
}
