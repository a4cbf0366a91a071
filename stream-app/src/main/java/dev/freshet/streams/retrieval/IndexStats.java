package dev.freshet.streams.retrieval;

/**
 * A consistent point-in-time view of an index's counters, taken under the index's read lock.
 *
 * @param kind {@code "exact"} or {@code "hnsw"} (for {@link AutoItemIndex}: the active delegate)
 * @param size live items (what {@link ItemIndex#size()} returns)
 * @param slots storage slots in use, live plus deleted-but-not-compacted (HNSW graph nodes)
 * @param deleted removed items still present as graph nodes until the next rebuild (0 for exact)
 * @param drifted live items whose vector moved by more than the drift threshold since they were
 *     linked into the graph (0 for exact)
 * @param version mutations applied since creation (each upsert or effective remove adds one)
 * @param generation graphs built so far, 1 for the first; increases by one on every swap
 * @param inserts upserts that added a new item
 * @param updates upserts that replaced an existing item's vector in place
 * @param removals removes that found the item
 * @param rebuilds rebuilds completed and swapped in
 * @param lastBuildMillis wall time of the last build or rebuild, replay included (0 if none)
 * @param normBound the SIMPLE-LSH bound {@code m} in use (0 for exact)
 * @param normBoundGrowths how often {@code m} had to grow since the last build (0 for exact)
 * @param rebuildInFlight whether a background rebuild is running
 * @param vectorBytes bytes held by stored vectors (capacity, not only used slots)
 * @param graphBytes bytes held by the HNSW graph as Lucene accounts them (0 for exact)
 * @param search query counters: how many queries, how many provably exact, what they cost
 */
public record IndexStats(
    String kind,
    int size,
    int slots,
    int deleted,
    int drifted,
    long version,
    long generation,
    long inserts,
    long updates,
    long removals,
    long rebuilds,
    long lastBuildMillis,
    float normBound,
    int normBoundGrowths,
    boolean rebuildInFlight,
    long vectorBytes,
    long graphBytes,
    SearchStats search) {}
