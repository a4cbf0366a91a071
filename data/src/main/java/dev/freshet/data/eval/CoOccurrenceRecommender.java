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
 * Item-kNN on the previous click: recommends the items that most often came shortly after (and, if
 * {@code symmetric}, shortly before) the user's last clicked item in the training sequences,
 * falling back to {@link MostPopularRecommender} when the last item has too few neighbours or the
 * history is empty.
 *
 * <p>Fitting: for every training sequence and every pair of positions {@code i < j <= i + window},
 * the weight of {@code item[i] → item[j]} grows by {@code 1/(j-i)} (and of {@code item[j] →
 * item[i]} too when symmetric). Each item keeps its {@code maxNeighbours} heaviest neighbours,
 * ordered by weight, then popularity, then id. Immutable after fitting.
 */
public final class CoOccurrenceRecommender implements Recommender {

  /** Default co-occurrence window. */
  public static final int DEFAULT_WINDOW = 5;

  /** Default neighbours kept per item. */
  public static final int DEFAULT_MAX_NEIGHBOURS = 200;

  private final Map<String, List<String>> neighbours;
  private final MostPopularRecommender popular;
  private final String name;

  private CoOccurrenceRecommender(
      Map<String, List<String>> neighbours, MostPopularRecommender popular, String name) {
    this.neighbours = neighbours;
    this.popular = popular;
    this.name = name;
  }

  /** Fits with the default window, symmetric pairs and {@link #DEFAULT_MAX_NEIGHBOURS}. */
  public static CoOccurrenceRecommender fit(List<UserSequence> train) {
    return fit(train, DEFAULT_WINDOW, true, DEFAULT_MAX_NEIGHBOURS);
  }

  /**
   * Fits on the training sequences.
   *
   * @param window how many following clicks count as co-occurring, {@code >= 1}
   * @param symmetric whether preceding clicks count as well as following ones
   * @param maxNeighbours neighbours kept per item, {@code >= 1}
   */
  public static CoOccurrenceRecommender fit(
      List<UserSequence> train, int window, boolean symmetric, int maxNeighbours) {
    Objects.requireNonNull(train, "train");
    if (window < 1) {
      throw new IllegalArgumentException("window must be >= 1, was " + window);
    }
    if (maxNeighbours < 1) {
      throw new IllegalArgumentException("maxNeighbours must be >= 1, was " + maxNeighbours);
    }
    MostPopularRecommender popular = MostPopularRecommender.fit(train);
    Map<String, Map<String, Double>> weights = new HashMap<>();
    for (UserSequence user : train) {
      List<ClickedItem> clicks = user.clicks();
      for (int i = 0; i < clicks.size(); i++) {
        String a = clicks.get(i).videoId();
        for (int j = i + 1; j < clicks.size() && j <= i + window; j++) {
          String b = clicks.get(j).videoId();
          if (a.equals(b)) {
            continue;
          }
          double w = 1.0 / (j - i);
          weights.computeIfAbsent(a, x -> new HashMap<>()).merge(b, w, Double::sum);
          if (symmetric) {
            weights.computeIfAbsent(b, x -> new HashMap<>()).merge(a, w, Double::sum);
          }
        }
      }
    }
    Map<String, List<String>> neighbours = new HashMap<>(weights.size() * 2);
    for (Map.Entry<String, Map<String, Double>> e : weights.entrySet()) {
      Map<String, Double> row = e.getValue();
      List<String> items = new ArrayList<>(row.keySet());
      items.sort(
          (x, y) -> {
            int cmp = Double.compare(row.get(y), row.get(x));
            if (cmp == 0) {
              cmp = Integer.compare(popular.count(y), popular.count(x));
            }
            return cmp != 0 ? cmp : x.compareTo(y);
          });
      neighbours.put(
          e.getKey(), List.copyOf(items.subList(0, Math.min(maxNeighbours, items.size()))));
    }
    String name =
        "co-occurrence(w=" + window + (symmetric ? ",sym" : ",next") + ",n=" + maxNeighbours + ")";
    return new CoOccurrenceRecommender(neighbours, popular, name);
  }

  @Override
  public String name() {
    return name;
  }

  /** The neighbours of an item, heaviest first (empty if none). */
  public List<String> neighbours(String videoId) {
    return neighbours.getOrDefault(Objects.requireNonNull(videoId, "videoId"), List.of());
  }

  @Override
  public List<String> recommend(UserSequence history, int k, Set<String> exclude) {
    Objects.requireNonNull(history, "history");
    Objects.requireNonNull(exclude, "exclude");
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, was " + k);
    }
    List<String> out = new ArrayList<>(k);
    ClickedItem last = history.lastClick();
    if (last != null) {
      for (String item : neighbours(last.videoId())) {
        if (out.size() >= k) {
          break;
        }
        if (!exclude.contains(item)) {
          out.add(item);
        }
      }
    }
    popular.fill(out, k, exclude);
    return out;
  }
}
