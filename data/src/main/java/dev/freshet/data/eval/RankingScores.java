package dev.freshet.data.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One recommender's mean scores over the events of one {@link RankingEvaluator} run, by metric name
 * in report order ({@code HR@10, NDCG@10, HR@20, NDCG@20, MRR}).
 *
 * @param name the recommender's name
 * @param events events scored
 * @param metrics metric name to mean value (0 when there were no events)
 */
public record RankingScores(String name, long events, Map<String, Double> metrics) {

  /** Copies the map, keeping its order. */
  public RankingScores {
    Objects.requireNonNull(name, "name");
    if (events < 0) {
      throw new IllegalArgumentException("events must be >= 0, was " + events);
    }
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }

  /**
   * The named metric.
   *
   * @throws IllegalArgumentException if there is no such metric
   */
  public double get(String metric) {
    Double v = metrics.get(metric);
    if (v == null) {
      throw new IllegalArgumentException("no metric '" + metric + "' in " + metrics.keySet());
    }
    return v;
  }
}
