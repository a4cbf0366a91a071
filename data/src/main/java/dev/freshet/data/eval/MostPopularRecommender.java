package dev.freshet.data.eval;

import dev.freshet.data.ClickedItem;
import dev.freshet.data.UserSequence;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Recommends the items clicked most often in the training data, the same list for everyone (minus
 * the excluded items). Ties are broken by item id so the ranking is deterministic. Immutable.
 */
public final class MostPopularRecommender implements Recommender {

  private final List<String> ranking;
  private final Map<String, Integer> counts;

  private MostPopularRecommender(List<String> ranking, Map<String, Integer> counts) {
    this.ranking = ranking;
    this.counts = counts;
  }

  /** Counts every click of the training sequences. */
  public static MostPopularRecommender fit(Iterable<UserSequence> train) {
    Objects.requireNonNull(train, "train");
    Map<String, Integer> counts = new HashMap<>();
    for (UserSequence user : train) {
      for (ClickedItem click : user.clicks()) {
        counts.merge(click.videoId(), 1, Integer::sum);
      }
    }
    List<String> ranking = new ArrayList<>(counts.keySet());
    ranking.sort(
        (a, b) -> {
          int cmp = Integer.compare(counts.get(b), counts.get(a));
          return cmp != 0 ? cmp : a.compareTo(b);
        });
    return new MostPopularRecommender(List.copyOf(ranking), Map.copyOf(counts));
  }

  @Override
  public String name() {
    return "most-popular";
  }

  /** All training items, most clicked first. */
  public List<String> ranking() {
    return ranking;
  }

  /** Training clicks of an item (0 if unseen). */
  public int count(String videoId) {
    return counts.getOrDefault(Objects.requireNonNull(videoId, "videoId"), 0);
  }

  @Override
  public List<String> recommend(UserSequence history, int k, Set<String> exclude) {
    Objects.requireNonNull(history, "history");
    Objects.requireNonNull(exclude, "exclude");
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, was " + k);
    }
    List<String> out = new ArrayList<>(k);
    fill(out, k, exclude);
    return out;
  }

  /**
   * Appends the most popular items not excluded and not already in {@code out} until it holds
   * {@code k} items (or the ranking is exhausted). Used by other baselines as their fallback.
   */
  void fill(List<String> out, int k, Set<String> exclude) {
    for (int i = 0; i < ranking.size() && out.size() < k; i++) {
      String item = ranking.get(i);
      if (!exclude.contains(item) && !out.contains(item)) {
        out.add(item);
      }
    }
  }
}
