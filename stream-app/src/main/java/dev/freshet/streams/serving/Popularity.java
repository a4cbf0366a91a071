package dev.freshet.streams.serving;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Click counts per item as this instance has seen them, for the fallback top-N before any model
 * snapshot exists. Not thread-safe: the stream thread that owns it records and reads.
 *
 * <p>With several instances each counts the clicks of its own partitions; users are spread
 * uniformly, so each instance's head approximates the global one.
 */
public final class Popularity {

  private final Map<String, Long> counts = new HashMap<>();
  private List<Map.Entry<String, Long>> ranked = List.of();
  private long changesSinceRank;

  /** Counts one click on {@code itemId}. */
  public void record(String itemId) {
    counts.merge(itemId, 1L, Long::sum);
    changesSinceRank++;
  }

  /** The most clicked items not in {@code exclude}, best first, with their counts. */
  public List<Map.Entry<String, Long>> top(int n, Set<String> exclude) {
    if (changesSinceRank > 0 && (changesSinceRank >= 1000 || ranked.size() < 4 * n)) {
      List<Map.Entry<String, Long>> all = new ArrayList<>(counts.entrySet());
      all.sort(
          (a, b) ->
              b.getValue().equals(a.getValue())
                  ? a.getKey().compareTo(b.getKey())
                  : Long.compare(b.getValue(), a.getValue()));
      ranked =
          List.copyOf(
              all.subList(0, Math.min(all.size(), Math.max(4 * n, 1000))).stream()
                  .map(e -> Map.entry(e.getKey(), e.getValue()))
                  .toList());
      changesSinceRank = 0;
    }
    List<Map.Entry<String, Long>> out = new ArrayList<>(n);
    for (Map.Entry<String, Long> e : ranked) {
      if (out.size() == n) {
        break;
      }
      if (!exclude.contains(e.getKey())) {
        out.add(e);
      }
    }
    return out;
  }
}
