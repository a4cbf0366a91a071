package dev.freshet.evaluation.online;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Item-to-item co-occurrence learned click by click, the online form of the offline {@code
 * CoOccurrenceRecommender} (data module): when a user clicks {@code b}, each of the user's previous
 * {@code window} clicks {@code a}, {@code d} clicks back, adds {@code 1/d} to the weights of {@code
 * a → b} and {@code b → a}. A user's list is the heaviest neighbours of the user's last click
 * (ties: more clicked, then item id), filled up with {@link OnlinePopularity}. Not thread-safe.
 */
public final class OnlineCoOccurrence {

  private final int window;
  private final OnlinePopularity popularity;
  private final Map<String, Map<String, Double>> weights = new HashMap<>();

  /**
   * @param window how many of the user's previous clicks co-occur with a click, {@code >= 1}
   * @param popularity the fallback; the caller updates it
   */
  public OnlineCoOccurrence(int window, OnlinePopularity popularity) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be >= 1, was " + window);
    }
    this.window = window;
    this.popularity = Objects.requireNonNull(popularity, "popularity");
  }

  /**
   * Learns a click on {@code item} by a user whose previous clicks were {@code before}, oldest
   * first.
   */
  public void update(List<String> before, String item) {
    Objects.requireNonNull(item, "item");
    for (int d = 1; d <= window && d <= before.size(); d++) {
      String a = before.get(before.size() - d);
      if (a.equals(item)) {
        continue;
      }
      double w = 1.0 / d;
      weights.computeIfAbsent(a, x -> new HashMap<>()).merge(item, w, Double::sum);
      weights.computeIfAbsent(item, x -> new HashMap<>()).merge(a, w, Double::sum);
    }
  }

  /** The weight of {@code a → b} (0 if they never co-occurred). */
  public double weight(String a, String b) {
    return weights.getOrDefault(a, Map.of()).getOrDefault(b, 0.0);
  }

  /** Top {@code k} for a user whose last click was {@code last} (null: popularity only). */
  public List<String> recommend(String last, int k, Set<String> exclude) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, was " + k);
    }
    List<String> out = new ArrayList<>(k);
    Map<String, Double> row = last == null ? null : weights.get(last);
    if (row != null) {
      List<String> items = new ArrayList<>(row.size());
      for (String item : row.keySet()) {
        if (!exclude.contains(item)) {
          items.add(item);
        }
      }
      items.sort(
          (x, y) -> {
            int cmp = Double.compare(row.get(y), row.get(x));
            if (cmp == 0) {
              cmp = Long.compare(popularity.count(y), popularity.count(x));
            }
            return cmp != 0 ? cmp : x.compareTo(y);
          });
      out.addAll(items.subList(0, Math.min(k, items.size())));
    }
    popularity.fill(out, k, exclude);
    return out;
  }
}
