package dev.freshet.data.eval;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The result of one {@link Evaluator} run: per recommender, the mean next-click Recall@K, NDCG@K
 * and MRR@K over the same test events.
 *
 * @param k the cut-off
 * @param split how the data was split
 * @param testEvents number of test events each recommender was scored on
 * @param results one row per recommender, in the order given to the evaluator
 */
public record EvaluationReport(int k, String split, long testEvents, List<Result> results) {

  /** Copies the list. */
  public EvaluationReport {
    Objects.requireNonNull(split, "split");
    results = List.copyOf(results);
  }

  /**
   * The row of the named recommender.
   *
   * @throws IllegalArgumentException if there is none
   */
  public Result result(String name) {
    for (Result r : results) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    throw new IllegalArgumentException("no result for recommender '" + name + "'");
  }

  /** A fixed-width text table with a header line describing the split. */
  public String toTable() {
    int width = "recommender".length();
    for (Result r : results) {
      width = Math.max(width, r.name().length());
    }
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(Locale.ROOT, "split: %s; K = %d; test events = %d%n", split, k, testEvents));
    String recall = "Recall@" + k;
    String ndcg = "NDCG@" + k;
    String mrr = "MRR@" + k;
    out.append(
        String.format(
            Locale.ROOT, "%-" + width + "s  %10s  %10s  %10s%n", "recommender", recall, ndcg, mrr));
    for (Result r : results) {
      out.append(
          String.format(
              Locale.ROOT,
              "%-" + width + "s  %10.4f  %10.4f  %10.4f%n",
              r.name(),
              r.recall(),
              r.ndcg(),
              r.mrr()));
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return toTable();
  }

  /**
   * One recommender's scores (means over the test events; 0 when there are none).
   *
   * @param name the recommender's name
   * @param events test events scored
   * @param recall mean Recall@K (hit rate)
   * @param ndcg mean NDCG@K
   * @param mrr mean reciprocal rank within the top K
   */
  public record Result(String name, long events, double recall, double ndcg, double mrr) {

    /** Validates. */
    public Result {
      Objects.requireNonNull(name, "name");
      if (events < 0) {
        throw new IllegalArgumentException("events must be >= 0, was " + events);
      }
    }
  }
}
