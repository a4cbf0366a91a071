package dev.freshet.offline;

import dev.freshet.data.UserSequence;
import dev.freshet.data.eval.CoOccurrenceRecommender;
import dev.freshet.data.eval.EvaluationReport;
import dev.freshet.data.eval.Evaluator;
import dev.freshet.data.eval.MostPopularRecommender;
import dev.freshet.data.eval.Recommender;
import dev.freshet.data.eval.Split;
import dev.freshet.data.eval.TimeSplit;
import dev.freshet.model.CandidateModel;
import dev.freshet.model.Instance;
import dev.freshet.model.ModelConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Next-click evaluation on a time-ordered split ({@link TimeSplit}): the most-popular and item
 * co-occurrence baselines fitted on the split's training part and optionally the model, all scored
 * by one {@link Evaluator} on the same test events (each held-out click predicted from all clicks
 * before it, items already clicked excluded). For the field's leave-one-out protocol see {@link
 * LeaveOneOutEvaluation}.
 */
public final class OfflineEvaluation {

  /** How the clicks are split in time. */
  public enum SplitKind {
    /** Each user's last fraction of clicks ({@link TimeSplit#lastFractionPerUser}). */
    PER_USER,
    /** One instant for everyone ({@link TimeSplit#globalTimeCut}); needs click times. */
    GLOBAL
  }

  private final Evaluator evaluator;
  private final PrintWriter out;
  private final PrintWriter progress;

  /**
   * @param evaluator the cut-off and the exclusion policy
   * @param out where stage lines (pass losses, per-pass scores) go
   * @param progress where progress bars are drawn (an error stream)
   */
  public OfflineEvaluation(Evaluator evaluator, PrintWriter out, PrintWriter progress) {
    this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
    this.out = Objects.requireNonNull(out, "out");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /**
   * Splits the sequences.
   *
   * @param testFraction share of clicks held out, in {@code (0, 1)}
   * @throws IllegalArgumentException for a bad fraction, or for {@link SplitKind#GLOBAL} when a
   *     click has no time
   */
  public static Split split(List<UserSequence> sequences, SplitKind kind, double testFraction) {
    Objects.requireNonNull(kind, "kind");
    return switch (kind) {
      case PER_USER -> TimeSplit.lastFractionPerUser(sequences, testFraction);
      case GLOBAL ->
          TimeSplit.globalTimeCut(sequences, TimeSplit.quantileCut(sequences, testFraction));
    };
  }

  /**
   * Scores the baselines and, if not null, the model on {@code split}.
   *
   * @param model a trained model (not modified), or null for the baselines only
   */
  public EvaluationReport evaluate(Split split, CandidateModel model) {
    Objects.requireNonNull(split, "split");
    List<Recommender> recommenders = new ArrayList<>();
    recommenders.add(MostPopularRecommender.fit(split.train()));
    recommenders.add(CoOccurrenceRecommender.fit(split.train()));
    if (model != null) {
      ModelRecommender recommender = scorer(model, split);
      out.println("model catalogue: " + recommender.catalogueSize() + " admitted items");
      recommenders.add(recommender);
    }
    return evaluator.evaluate(split, recommenders);
  }

  /**
   * Trains a new model on the split's training part.
   *
   * @param passes passes over the training instances, {@code >= 1}
   * @param batchSize instances per mini-batch, {@code >= 1}
   * @param seed the shuffling seed
   * @param reportEveryPass whether to score the model on the test events after every pass but the
   *     last (the last pass is scored by {@link #evaluate})
   */
  public CandidateModel train(
      Split split,
      ModelConfig config,
      int passes,
      int batchSize,
      long seed,
      boolean reportEveryPass) {
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(config, "config");
    if (passes < 1) {
      throw new IllegalArgumentException("passes must be >= 1, was " + passes);
    }
    CandidateModel model = CandidateModel.create(config);
    List<Instance> instances = Instances.instancesOf(split.train(), config.maxWindow());
    out.printf(
        Locale.ROOT,
        "training on %d instances, %d passes, batch %d; %s%n",
        instances.size(),
        passes,
        batchSize,
        config);
    OfflineTrainer trainer = new OfflineTrainer(model, batchSize, seed, progress);
    int k = evaluator.k();
    for (int pass = 1; pass <= passes; pass++) {
      OfflineTrainer.PassResult r = trainer.runPass(instances, pass);
      out.printf(
          Locale.ROOT,
          "pass %d: loss %.4f, trained %d, skipped %d, %.1f s%n",
          pass,
          r.meanLoss(),
          r.trained(),
          r.skipped(),
          r.seconds());
      if (reportEveryPass && pass < passes) {
        ModelRecommender recommender = scorer(model, split);
        EvaluationReport.Result result =
            evaluator.evaluate(split, List.of(recommender)).results().get(0);
        out.printf(
            Locale.ROOT,
            "pass %d: Recall@%d %.4f, NDCG@%d %.4f, MRR@%d %.4f (%d items admitted)%n",
            pass,
            k,
            result.recall(),
            k,
            result.ndcg(),
            k,
            result.mrr(),
            recommender.catalogueSize());
      }
      out.flush();
    }
    return model;
  }

  private static ModelRecommender scorer(CandidateModel model, Split split) {
    ModelRecommender recommender =
        new ModelRecommender("model", model, LeaveOneOutEvaluation.SCORING_BATCH);
    recommender.precompute(split);
    return recommender;
  }
}
