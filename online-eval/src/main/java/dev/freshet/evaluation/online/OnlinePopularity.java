package dev.freshet.evaluation.online;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Most clicked items so far, updated click by click: {@link #top} ranks by clicks seen, then item
 * id (so ties are broken the same way in every run). An update costs O(log items); a top-k walks
 * the ranking from the top and skips excluded items. Not thread-safe.
 */
public final class OnlinePopularity {

  private final Map<String, Long> counts = new HashMap<>();
  private final TreeSet<String> ranking =
      new TreeSet<>(
          Comparator.comparingLong((String item) -> -counts.get(item))
              .thenComparing(Comparator.naturalOrder()));

  /** Counts one click on {@code item}. */
  public void update(String item) {
    Objects.requireNonNull(item, "item");
    if (counts.containsKey(item)) {
      ranking.remove(item);
    }
    counts.merge(item, 1L, Long::sum);
    ranking.add(item);
  }

  /** Clicks seen on {@code item}. */
  public long count(String item) {
    return counts.getOrDefault(item, 0L);
  }

  /** The {@code k} most clicked items not in {@code exclude}, most clicked first. */
  public List<String> top(int k, Set<String> exclude) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, was " + k);
    }
    List<String> out = new ArrayList<>(k);
    fill(out, k, exclude);
    return out;
  }

  /** Appends the most clicked items not in {@code exclude} or {@code out} until it holds k. */
  void fill(List<String> out, int k, Set<String> exclude) {
    for (String item : ranking) {
      if (out.size() >= k) {
        return;
      }
      if (!exclude.contains(item) && !out.contains(item)) {
        out.add(item);
      }
    }
  }
}
