package dev.freshet.data.eval;

import dev.freshet.data.ClickedItem;
import dev.freshet.data.UserSequence;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Scores several recommenders on the same next-click test events in one pass.
 *
 * <p>For every test user and every held-out click {@code i}, each recommender is asked for {@code
 * k} items given {@code sequence.prefix(i)} (all clicks before it, including earlier held-out ones)
 * and scored on whether the clicked item is among them (Recall@K, NDCG@K, MRR@K; see {@link
 * Metrics}). With {@code excludeHistory}, items already in the history are passed as the exclude
 * set (a user does not rate a movie twice); a held-out click of an item already in the history then
 * counts as a miss for everyone. Recommenders must honour the {@link Recommender} contract; a list
 * longer than {@code k} or containing an excluded item is an {@link IllegalStateException}.
 */
public final class Evaluator {

  private final int k;
  private final boolean excludeHistory;

  /**
   * An evaluator.
   *
   * @param k the cut-off, {@code >= 1}
   * @param excludeHistory whether items already clicked are excluded from recommendations
   */
  public Evaluator(int k, boolean excludeHistory) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, was " + k);
    }
    this.k = k;
    this.excludeHistory = excludeHistory;
  }

  /** The cut-off. */
  public int k() {
    return k;
  }

  /**
   * Runs every recommender over the split's test events.
   *
   * @param recommenders at least one; their names should be distinct
   * @return the report, rows in the given order
   */
  public EvaluationReport evaluate(Split split, List<? extends Recommender> recommenders) {
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(recommenders, "recommenders");
    if (recommenders.isEmpty()) {
      throw new IllegalArgumentException("need at least one recommender");
    }
    int r = recommenders.size();
    double[] recall = new double[r];
    double[] ndcg = new double[r];
    double[] mrr = new double[r];
    long events = 0;
    Set<String> exclude = new HashSet<>();
    Set<String> excludeView = Collections.unmodifiableSet(exclude);
    for (Split.TestUser user : split.test()) {
      UserSequence sequence = user.sequence();
      List<ClickedItem> clicks = sequence.clicks();
      exclude.clear();
      if (excludeHistory) {
        for (int i = 0; i < user.firstTestIndex(); i++) {
          exclude.add(clicks.get(i).videoId());
        }
      }
      for (int i = user.firstTestIndex(); i < clicks.size(); i++) {
        UserSequence history = sequence.prefix(i);
        String target = clicks.get(i).videoId();
        for (int m = 0; m < r; m++) {
          Recommender recommender = recommenders.get(m);
          List<String> list = recommender.recommend(history, k, excludeView);
          check(recommender, list, excludeView);
          int rank = Metrics.rankOf(list, target, k);
          if (rank >= 0 && !exclude.contains(target)) {
            recall[m] += 1;
            ndcg[m] += Metrics.discount(rank);
            mrr[m] += 1.0 / (rank + 1);
          }
        }
        events++;
        if (excludeHistory) {
          exclude.add(target);
        }
      }
    }
    List<EvaluationReport.Result> results = new ArrayList<>(r);
    for (int m = 0; m < r; m++) {
      double n = Math.max(1, events);
      results.add(
          new EvaluationReport.Result(
              recommenders.get(m).name(), events, recall[m] / n, ndcg[m] / n, mrr[m] / n));
    }
    return new EvaluationReport(k, split.description(), events, results);
  }

  private void check(Recommender recommender, List<String> list, Set<String> exclude) {
    if (list.size() > k) {
      throw new IllegalStateException(
          recommender.name() + " returned " + list.size() + " items for k = " + k);
    }
    for (String item : list) {
      if (exclude.contains(item)) {
        throw new IllegalStateException(
            recommender.name() + " returned excluded item '" + item + "'");
      }
    }
  }
}
