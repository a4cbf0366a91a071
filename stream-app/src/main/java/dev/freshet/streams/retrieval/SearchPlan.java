package dev.freshet.streams.retrieval;

/**
 * How an {@link HnswItemIndex} answers one top-K query: an HNSW graph search, an exact scan of the
 * norm bands, or both, in either order. Every result's scores are exact inner products; a plan only
 * decides which items are found and what that costs.
 *
 * <ul>
 *   <li><b>graph only</b> ({@code maxScan == 0}): approximate, cost set by {@code efSearch}.
 *   <li><b>graph, then scan</b>: the graph's {@code k}-th score is a floor on the true one; the
 *       bands are scanned by descending norm bound, at most {@code maxScan} items, and merged with
 *       the graph's result. Exact once the bound proves it; never worse than the graph.
 *   <li><b>scan, then graph</b> ({@code scanFirst}): the bands are scanned first; a proven result
 *       is returned without touching the graph, otherwise the graph search runs and both are
 *       merged. Cheaper than graph-then-scan when the bound usually proves the result within the
 *       budget.
 *   <li><b>scan only</b> ({@code efSearch == 0}): exact if the bound proves it within {@code
 *       maxScan}, otherwise the best of the items scanned.
 * </ul>
 *
 * <p>A scan gives up early when the bound leaves more than {@link #BAIL_FACTOR}{@code * maxScan}
 * items in play (items with little norm spread), so it wastes little on data where it cannot help.
 * See {@code docs/retrieval.md}.
 *
 * @param efSearch graph search beam ({@code max(k, efSearch)} candidates), or 0 for no graph search
 * @param maxScan at most this many items scored by the scan, or 0 for no scan
 * @param scanFirst whether the scan runs before the graph search (only with both)
 */
public record SearchPlan(int efSearch, int maxScan, boolean scanFirst) {

  /** A scan gives up once more than this many times its budget of items are still in play. */
  public static final int BAIL_FACTOR = 4;

  /**
   * Validates the plan.
   *
   * @throws IllegalArgumentException if a value is negative or both steps are off
   */
  public SearchPlan {
    if (efSearch < 0 || maxScan < 0) {
      throw new IllegalArgumentException(
          "efSearch and maxScan must be >= 0, got " + efSearch + " and " + maxScan);
    }
    if (efSearch == 0 && maxScan == 0) {
      throw new IllegalArgumentException("efSearch and maxScan are both 0: nothing would search");
    }
  }

  /** HNSW alone. */
  public static SearchPlan graphOnly(int efSearch) {
    return new SearchPlan(requirePositive(efSearch), 0, false);
  }

  /** HNSW, then the exact scan seeded with its result. */
  public static SearchPlan graphThenScan(int efSearch, int maxScan) {
    return new SearchPlan(requirePositive(efSearch), maxScan, false);
  }

  /** The exact scan, then HNSW only if the scan could not prove its result. */
  public static SearchPlan scanThenGraph(int maxScan, int efSearch) {
    return new SearchPlan(requirePositive(efSearch), maxScan, true);
  }

  /** The exact scan alone. */
  public static SearchPlan scanOnly(int maxScan) {
    return new SearchPlan(0, maxScan, true);
  }

  private static int requirePositive(int efSearch) {
    if (efSearch < 1) {
      throw new IllegalArgumentException("efSearch must be >= 1, got " + efSearch);
    }
    return efSearch;
  }
}
