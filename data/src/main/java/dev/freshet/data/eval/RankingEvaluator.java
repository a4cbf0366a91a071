package dev.freshet.data.eval;

import dev.freshet.data.ClickedItem;
import dev.freshet.data.UserSequence;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Scores several recommenders on the same held-out events at several cut-offs in one pass: HR@K and
 * NDCG@K for every K, and MRR over the top {@code max K} (see {@link #mrrDepth()}).
 *
 * <p>Every recommender ranks its whole catalogue (no sampled negatives) and is asked for its top
 * {@code max K}; a hit at 1-based rank {@code r} scores {@code HR@K = 1} and {@code NDCG@K =
 * 1/log2(r+1)} for every {@code K >= r}, and reciprocal rank {@code 1/r}. Each event's input is
 * {@code sequence.prefix(i)}. By default items already in the input are excluded from the ranking
 * (the protocol of SASRec and S3-Rec); a target that is itself already in the input then counts as
 * a miss for everyone. With {@code keepSeen} nothing is excluded. A recommender returning more than
 * {@code max K} items or an excluded item is an {@link IllegalStateException}.
 */
public final class RankingEvaluator {

  /** The cut-offs of the field's tables. */
  public static final List<Integer> DEFAULT_CUTOFFS = List.of(10, 20);

  private final List<Integer> cutoffs;
  private final boolean keepSeen;
  private final int depth;

  /**
   * An evaluator.
   *
   * @param cutoffs at least one cut-off, each {@code >= 1}; sorted and deduplicated
   * @param keepSeen whether items already in the input may be recommended
   */
  public RankingEvaluator(List<Integer> cutoffs, boolean keepSeen) {
    Objects.requireNonNull(cutoffs, "cutoffs");
    if (cutoffs.isEmpty()) {
      throw new IllegalArgumentException("need at least one cut-off");
    }
    for (int k : cutoffs) {
      if (k < 1) {
        throw new IllegalArgumentException("cut-offs must be >= 1, was " + cutoffs);
      }
    }
    this.cutoffs = List.copyOf(new TreeSet<>(cutoffs));
    this.keepSeen = keepSeen;
    this.depth = this.cutoffs.get(this.cutoffs.size() - 1);
  }

  /** The cut-offs, ascending. */
  public List<Integer> cutoffs() {
    return cutoffs;
  }

  /** Whether seen items stay in the ranking. */
  public boolean keepSeen() {
    return keepSeen;
  }

  /** How deep each ranking is computed: the largest cut-off; MRR is MRR at this depth. */
  public int mrrDepth() {
    return depth;
  }

  /** The metric names in report order: {@code HR@K, NDCG@K} per cut-off, then {@code MRR}. */
  public List<String> metricNames() {
    List<String> names = new ArrayList<>();
    for (int k : cutoffs) {
      names.add("HR@" + k);
      names.add("NDCG@" + k);
    }
    names.add("MRR");
    return names;
  }

  /**
   * Runs every recommender over the split's held-out events.
   *
   * @param recommenders at least one
   * @return one score row per recommender, in the given order
   */
  public List<RankingScores> evaluate(Split split, List<? extends Recommender> recommenders) {
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(recommenders, "recommenders");
    if (recommenders.isEmpty()) {
      throw new IllegalArgumentException("need at least one recommender");
    }
    int r = recommenders.size();
    int c = cutoffs.size();
    double[][] hr = new double[r][c];
    double[][] ndcg = new double[r][c];
    double[] mrr = new double[r];
    long events = 0;
    Set<String> seen = new HashSet<>();
    Set<String> exclude = keepSeen ? Set.of() : Collections.unmodifiableSet(seen);
    for (Split.TestUser user : split.test()) {
      UserSequence sequence = user.sequence();
      List<ClickedItem> clicks = sequence.clicks();
      seen.clear();
      for (int i = 0; i < user.firstTestIndex(); i++) {
        seen.add(clicks.get(i).videoId());
      }
      for (int i = user.firstTestIndex(); i < clicks.size(); i++) {
        UserSequence input = sequence.prefix(i);
        String target = clicks.get(i).videoId();
        boolean reachable = keepSeen || !seen.contains(target);
        for (int m = 0; m < r; m++) {
          Recommender recommender = recommenders.get(m);
          List<String> list = recommender.recommend(input, depth, exclude);
          check(recommender, list, exclude);
          int rank = reachable ? Metrics.rankOf(list, target, depth) : -1;
          if (rank < 0) {
            continue;
          }
          mrr[m] += 1.0 / (rank + 1);
          for (int j = 0; j < c; j++) {
            if (rank < cutoffs.get(j)) {
              hr[m][j] += 1;
              ndcg[m][j] += Metrics.discount(rank);
            }
          }
        }
        events++;
        seen.add(target);
      }
    }
    List<RankingScores> out = new ArrayList<>(r);
    double n = Math.max(1, events);
    for (int m = 0; m < r; m++) {
      Map<String, Double> metrics = new LinkedHashMap<>();
      for (int j = 0; j < c; j++) {
        metrics.put("HR@" + cutoffs.get(j), hr[m][j] / n);
        metrics.put("NDCG@" + cutoffs.get(j), ndcg[m][j] / n);
      }
      metrics.put("MRR", mrr[m] / n);
      out.add(new RankingScores(recommenders.get(m).name(), events, metrics));
    }
    return out;
  }

  private void check(Recommender recommender, List<String> list, Set<String> exclude) {
    if (list.size() > depth) {
      throw new IllegalStateException(
          recommender.name() + " returned " + list.size() + " items for k = " + depth);
    }
    for (String item : list) {
      if (exclude.contains(item)) {
        throw new IllegalStateException(
            recommender.name() + " returned excluded item '" + item + "'");
      }
    }
  }
}
