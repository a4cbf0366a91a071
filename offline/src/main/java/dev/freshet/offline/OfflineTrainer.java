package dev.freshet.offline;

import dev.freshet.model.CandidateModel;
import dev.freshet.model.Instance;
import dev.freshet.model.TrainStats;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;

/**
 * Passes over a fixed list of training instances in mini-batches through {@link
 * CandidateModel#train}, the same call the online trainer makes.
 *
 * <p>Each pass trains on a copy of the instances shuffled by {@code new Random(seed + 1_000_003 ·
 * pass)}: the same seed gives the same order, and every pass a different one. Offline data has no
 * trustworthy event times, so the model's clock is logical: a batch is trained at "event time" =
 * number of instances handed to the model before it (monotonic across passes and across {@code
 * --init} continuations within one run). Admission counting is the model's: every pass counts each
 * feature value again, so a value that occurs {@code c} times in the file reaches the limit {@code
 * L} during pass {@code ceil(L / c)}.
 */
public final class OfflineTrainer {

  /** What one pass did. */
  public record PassResult(int pass, double meanLoss, long trained, long skipped, double seconds) {}

  private final CandidateModel model;
  private final int batchSize;
  private final long seed;
  private final PrintWriter progress;
  private long clock;

  /**
   * @param model the model to update
   * @param batchSize instances per mini-batch, {@code >= 1}
   * @param seed shuffling seed
   * @param progress where the progress bar is drawn (an error stream)
   */
  public OfflineTrainer(CandidateModel model, int batchSize, long seed, PrintWriter progress) {
    this.model = Objects.requireNonNull(model, "model");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
    }
    this.batchSize = batchSize;
    this.seed = seed;
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /** Runs pass {@code pass} (1-based) over {@code instances}. */
  public PassResult runPass(List<Instance> instances, int pass) {
    long start = System.nanoTime();
    List<Instance> order = new ArrayList<>(instances);
    Collections.shuffle(order, new Random(seed + 1_000_003L * pass));
    ProgressBar bar = new ProgressBar(progress, "pass " + pass, order.size());
    double lossSum = 0;
    long trained = 0;
    long skipped = 0;
    for (int from = 0; from < order.size(); from += batchSize) {
      List<Instance> batch = order.subList(from, Math.min(order.size(), from + batchSize));
      TrainStats stats = model.train(batch, clock);
      clock += batch.size();
      if (stats.trained() > 0) {
        assert Double.isFinite(stats.loss()) : "non-finite loss " + stats.loss();
        lossSum += stats.loss() * stats.trained();
      }
      trained += stats.trained();
      skipped += stats.skipped();
      bar.update(from + batch.size(), lossNote(lossSum, trained));
    }
    bar.finish(order.size(), lossNote(lossSum, trained));
    return new PassResult(
        pass,
        trained == 0 ? Double.NaN : lossSum / trained,
        trained,
        skipped,
        (System.nanoTime() - start) / 1e9);
  }

  private static String lossNote(double lossSum, long trained) {
    return trained == 0
        ? "no admitted targets yet"
        : String.format(Locale.ROOT, "loss %.4f", lossSum / trained);
  }
}
