package dev.freshet.offline;

import dev.freshet.data.UserSequence;
import dev.freshet.data.eval.CoOccurrenceRecommender;
import dev.freshet.data.eval.LeaveOneOut;
import dev.freshet.data.eval.LeaveOneOutReport;
import dev.freshet.data.eval.MostPopularRecommender;
import dev.freshet.data.eval.RankingEvaluator;
import dev.freshet.data.eval.RankingScores;
import dev.freshet.data.eval.Recommender;
import dev.freshet.data.eval.SessionKnnRecommender;
import dev.freshet.data.eval.Split;
import dev.freshet.model.CandidateModel;
import dev.freshet.model.Instance;
import dev.freshet.model.ModelConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The field's offline protocol end to end: {@link LeaveOneOut} split, the popularity, co-occurrence
 * and session-kNN baselines fitted on the training part, and optionally the model (a given
 * checkpoint, or trained here on the training part once per seed with early stopping on the
 * validation events), all scored by one {@link RankingEvaluator} on the same test events.
 *
 * <p>Early stopping: after every pass the model is scored on the validation events (input = the
 * training clicks, target = the second-to-last click) and, when its NDCG at the largest cut-off is
 * the best so far, saved in memory ({@link CandidateModel#save}); after the last pass (or after
 * {@code patience} passes without improvement) the best pass's copy is restored and scored on the
 * test events. Without early stopping the model after the last pass is scored. Seeds: run {@code i}
 * uses {@code config.seed() + i} both as the model's seed and as the shuffling seed, so each run is
 * reproducible on its own. The baselines are deterministic, so they are scored once; they are
 * fitted on the training clicks, like the model, unless {@code refitBaselines} asks for training
 * plus validation clicks.
 */
public final class LeaveOneOutEvaluation {

  /** Key of the popularity baseline in the report. */
  public static final String POPULARITY = "popularity";

  /** Key of the co-occurrence baseline in the report. */
  public static final String CO_OCCURRENCE = "co-occurrence";

  /** Key of the session-kNN baseline in the report. */
  public static final String SESSION_KNN = "session-knn";

  /** Key of the model in the report. */
  public static final String MODEL = "model";

  /** Contexts per batched forward pass when scoring the model. */
  static final int SCORING_BATCH = 512;

  /**
   * How to train the model.
   *
   * @param config the model configuration; its seed is the first run's seed
   * @param passes passes over the training instances, {@code >= 1}
   * @param batchSize instances per mini-batch, {@code >= 1}
   * @param seeds number of runs (seeds {@code seed, seed+1, ...}), {@code >= 1}
   * @param earlyStop whether to keep the pass that scores best on the validation events
   * @param patience with early stopping, stop after this many passes without improvement ({@code 0}
   *     = run every pass)
   */
  public record Training(
      ModelConfig config, int passes, int batchSize, int seeds, boolean earlyStop, int patience) {

    /** Validates. */
    public Training {
      Objects.requireNonNull(config, "config");
      if (passes < 1) {
        throw new IllegalArgumentException("passes must be >= 1, was " + passes);
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
      }
      if (seeds < 1) {
        throw new IllegalArgumentException("seeds must be >= 1, was " + seeds);
      }
      if (patience < 0) {
        throw new IllegalArgumentException("patience must be >= 0, was " + patience);
      }
    }
  }

  private final RankingEvaluator evaluator;
  private final boolean refitBaselines;
  private final PrintWriter out;
  private final PrintWriter progress;

  /** Baselines fitted on the training clicks only (the papers' convention for their models). */
  public LeaveOneOutEvaluation(RankingEvaluator evaluator, PrintWriter out, PrintWriter progress) {
    this(evaluator, false, out, progress);
  }

  /**
   * @param evaluator the cut-offs and the seen-items policy
   * @param refitBaselines whether the baselines are fitted on the training and validation clicks
   *     ({@link LeaveOneOut.Result#trainAndValidation()}) instead of the training clicks only
   * @param out where stage lines (pass losses, validation scores, timings) go
   * @param progress where progress bars are drawn (an error stream)
   */
  public LeaveOneOutEvaluation(
      RankingEvaluator evaluator, boolean refitBaselines, PrintWriter out, PrintWriter progress) {
    this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
    this.refitBaselines = refitBaselines;
    this.out = Objects.requireNonNull(out, "out");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /** Baselines only. */
  public LeaveOneOutReport baselines(List<UserSequence> sequences) {
    LeaveOneOut.Result split = LeaveOneOut.split(sequences);
    return report(split, List.of(), baselineEntries(split));
  }

  /** Baselines and a trained checkpoint (not modified). */
  public LeaveOneOutReport withModel(List<UserSequence> sequences, CandidateModel model) {
    Objects.requireNonNull(model, "model");
    LeaveOneOut.Result split = LeaveOneOut.split(sequences);
    List<LeaveOneOutReport.Entry> entries = baselineEntries(split);
    RankingScores test =
        evaluator.evaluate(split.test(), List.of(scorer(model, split.test()))).get(0);
    entries.add(
        new LeaveOneOutReport.Entry(MODEL, "model(" + model.config() + ")", List.of(run(test))));
    return report(split, List.of(), entries);
  }

  /**
   * Baselines and a model trained here per {@code training}, once per seed.
   *
   * @return the report and the scored model of the last seed (the chosen pass's copy with early
   *     stopping)
   */
  public Trained withTraining(List<UserSequence> sequences, Training training) throws IOException {
    Objects.requireNonNull(training, "training");
    LeaveOneOut.Result split = LeaveOneOut.split(sequences);
    List<LeaveOneOutReport.Entry> entries = baselineEntries(split);
    List<LeaveOneOutReport.Run> runs = new ArrayList<>();
    List<Long> seeds = new ArrayList<>();
    CandidateModel last = null;
    for (int i = 0; i < training.seeds(); i++) {
      long seed = training.config().seed() + i;
      seeds.add(seed);
      ModelConfig config = training.config().toBuilder().seed(seed).build();
      Chosen chosen = train(split, config, training);
      RankingScores test =
          evaluator.evaluate(split.test(), List.of(scorer(chosen.model(), split.test()))).get(0);
      out.printf(Locale.ROOT, "seed %d: test %s (pass %d)%n", seed, brief(test), chosen.pass());
      out.flush();
      runs.add(new LeaveOneOutReport.Run(seed, chosen.pass(), test));
      last = chosen.model();
    }
    entries.add(new LeaveOneOutReport.Entry(MODEL, "model(" + training.config() + ")", runs));
    return new Trained(report(split, seeds, entries), last);
  }

  /**
   * What {@link #withTraining} produced.
   *
   * @param report the scores of every recommender
   * @param lastModel the scored model of the last seed
   */
  public record Trained(LeaveOneOutReport report, CandidateModel lastModel) {}

  private LeaveOneOutReport report(
      LeaveOneOut.Result split, List<Long> seeds, List<LeaveOneOutReport.Entry> entries) {
    return new LeaveOneOutReport(
        evaluator.cutoffs(),
        evaluator.metricNames(),
        evaluator.mrrDepth(),
        evaluator.keepSeen(),
        split.validation().testEvents(),
        split.test().testEvents(),
        seeds,
        entries);
  }

  private List<LeaveOneOutReport.Entry> baselineEntries(LeaveOneOut.Result split) {
    long start = System.nanoTime();
    List<UserSequence> train = refitBaselines ? split.trainAndValidation() : split.train();
    List<Recommender> baselines =
        List.of(
            MostPopularRecommender.fit(train),
            CoOccurrenceRecommender.fit(train),
            SessionKnnRecommender.fit(train));
    List<String> keys = List.of(POPULARITY, CO_OCCURRENCE, SESSION_KNN);
    List<RankingScores> scores = evaluator.evaluate(split.test(), baselines);
    List<LeaveOneOutReport.Entry> entries = new ArrayList<>();
    for (int i = 0; i < baselines.size(); i++) {
      entries.add(
          new LeaveOneOutReport.Entry(
              keys.get(i), baselines.get(i).name(), List.of(run(scores.get(i)))));
    }
    out.printf(
        Locale.ROOT,
        "baselines fitted on the %s clicks and scored in %.1f s%n",
        refitBaselines ? "training and validation" : "training",
        (System.nanoTime() - start) / 1e9);
    out.flush();
    return entries;
  }

  private static LeaveOneOutReport.Run run(RankingScores test) {
    return new LeaveOneOutReport.Run(null, null, test);
  }

  private record Chosen(CandidateModel model, int pass) {}

  private Chosen train(LeaveOneOut.Result split, ModelConfig config, Training training)
      throws IOException {
    CandidateModel model = CandidateModel.create(config);
    List<Instance> instances = Instances.instancesOf(split.train(), config.maxWindow());
    out.printf(
        Locale.ROOT,
        "seed %d: training on %d instances, %d passes, batch %d%s; %s%n",
        config.seed(),
        instances.size(),
        training.passes(),
        training.batchSize(),
        training.earlyStop() ? ", early stopping on the validation events" : "",
        config);
    out.flush();
    OfflineTrainer trainer =
        new OfflineTrainer(model, training.batchSize(), config.seed(), progress);
    String criterion = "NDCG@" + evaluator.mrrDepth();
    double best = Double.NEGATIVE_INFINITY;
    byte[] bestCopy = null;
    int bestPass = training.passes();
    for (int pass = 1; pass <= training.passes(); pass++) {
      OfflineTrainer.PassResult r = trainer.runPass(instances, pass);
      String line =
          String.format(
              Locale.ROOT,
              "pass %d: loss %.4f, trained %d, skipped %d, %.1f s",
              pass,
              r.meanLoss(),
              r.trained(),
              r.skipped(),
              r.seconds());
      if (!training.earlyStop()) {
        out.println(line);
        out.flush();
        continue;
      }
      ModelRecommender recommender = scorer(model, split.validation());
      RankingScores validation =
          evaluator.evaluate(split.validation(), List.of(recommender)).get(0);
      double score = validation.get(criterion);
      boolean better = score > best;
      out.printf(
          Locale.ROOT,
          "%s; validation %s (%d items admitted)%s%n",
          line,
          brief(validation),
          recommender.catalogueSize(),
          better ? " *" : "");
      out.flush();
      if (better) {
        best = score;
        bestPass = pass;
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        model.save(copy);
        bestCopy = copy.toByteArray();
      } else if (training.patience() > 0 && pass - bestPass >= training.patience()) {
        out.printf(
            Locale.ROOT,
            "no validation improvement for %d passes: stopping%n",
            training.patience());
        break;
      }
    }
    if (!training.earlyStop()) {
      return new Chosen(model, training.passes());
    }
    out.printf(Locale.ROOT, "chosen pass: %d (validation %s %.4f)%n", bestPass, criterion, best);
    out.flush();
    return new Chosen(CandidateModel.load(new ByteArrayInputStream(bestCopy)), bestPass);
  }

  private ModelRecommender scorer(CandidateModel model, Split split) {
    ModelRecommender recommender = new ModelRecommender(MODEL, model, SCORING_BATCH);
    recommender.precompute(split);
    return recommender;
  }

  private static String brief(RankingScores scores) {
    StringBuilder b = new StringBuilder();
    for (var e : scores.metrics().entrySet()) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(String.format(Locale.ROOT, "%s %.4f", e.getKey(), e.getValue()));
    }
    return b.toString();
  }
}
