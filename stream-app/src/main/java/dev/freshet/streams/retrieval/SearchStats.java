package dev.freshet.streams.retrieval;

/**
 * Query counters of an index since its creation (not reset by rebuilds), read without stopping
 * concurrent queries: each counter is exact, but a query running during the read may be counted in
 * some and not yet in others.
 *
 * @param queries top-K calls answered
 * @param provenExact queries whose result is provably the exact top-K: every query of an exact
 *     index; for HNSW those whose norm-band scan ended on the bound (see {@link SearchPlan})
 * @param refineSkipped HNSW queries whose norm-band scan gave up early because the bound left more
 *     than {@link SearchPlan#BAIL_FACTOR} times its budget of items in play (items with little norm
 *     spread); the graph's result stands
 * @param visitedNodes graph nodes scored by HNSW searches, in total
 * @param scannedItems items scored by norm-band scans, in total
 */
public record SearchStats(
    long queries, long provenExact, long refineSkipped, long visitedNodes, long scannedItems) {

  /** The fraction of queries proven exact, or 0 before the first query. */
  public double provenExactFraction() {
    return queries == 0 ? 0.0 : (double) provenExact / queries;
  }
}
