package dev.freshet.streams.retrieval;

/**
 * Parameters of an {@link HnswItemIndex}. Defaults ({@link #defaults()}) are the values measured in
 * {@code docs/retrieval.md}; use the {@code with*} methods to change one.
 *
 * @param maxConn HNSW {@code M}: links per node on upper levels, {@code 2M} on level 0
 * @param beamWidth candidates kept while linking a new node ({@code efConstruction})
 * @param efSearch candidates kept while searching; a query for {@code k} items uses {@code max(k,
 *     efSearch)}
 * @param seed seed of the level generator; the same seed and the same upserts give the same graph
 * @param driftThreshold cumulative movement of an item in SIMPLE-LSH space (unit sphere, so in
 *     {@code [0, 2]} per step) after which it counts as drifted from where it was linked
 * @param rebuildDriftFraction rebuild once this fraction of live items has drifted
 * @param rebuildDeletedFraction rebuild (compact) once this fraction of graph nodes is deleted
 * @param normGrowthHeadroom when an item's norm exceeds the bound {@code m}, the new bound is that
 *     norm times this factor, so a slowly growing catalogue does not move {@code m} on every upsert
 * @param linkNormFraction the graph links items by SIMPLE-LSH similarity under the bound {@code m *
 *     linkNormFraction} (items above it get tail 0): 1 is SIMPLE-LSH exactly, towards 0 it
 *     approaches a pure inner-product graph. Rankings never depend on it (queries are scored by the
 *     raw inner product); recall does: see {@code docs/retrieval.md}
 * @param rebuildNormGrowth rebuild once {@code m} exceeds its value at the last build by this
 *     factor (the graph's angular geometry was shaped with the old {@code m})
 * @param autoRebuild whether writes that cross a threshold start a background rebuild
 * @param autoRebuildMinSize no automatic rebuild while the graph has fewer nodes than this
 * @param refineScanFraction budget of the exact norm-band scan per query, as a fraction of the live
 *     items (at least {@link #MIN_SCAN} items when not 0); 0 turns the scan off (graph only). See
 *     {@link SearchPlan} and {@code docs/retrieval.md}
 * @param scanFirst whether the scan runs before the graph search (the graph then only runs when the
 *     scan could not prove its result) or after it, seeded by the graph's result
 */
public record HnswConfig(
    int maxConn,
    int beamWidth,
    int efSearch,
    long seed,
    float driftThreshold,
    double rebuildDriftFraction,
    double rebuildDeletedFraction,
    float normGrowthHeadroom,
    float linkNormFraction,
    double rebuildNormGrowth,
    boolean autoRebuild,
    int autoRebuildMinSize,
    double refineScanFraction,
    boolean scanFirst) {

  /** The smallest scan budget, so that tiny indexes still get a useful scan. */
  public static final int MIN_SCAN = 256;

  /** Validates every parameter; see the component docs for their ranges. */
  public HnswConfig {
    require(maxConn >= 2 && maxConn <= 512, "maxConn in [2, 512]", maxConn);
    require(beamWidth >= 1 && beamWidth <= 4096, "beamWidth in [1, 4096]", beamWidth);
    require(efSearch >= 1, "efSearch >= 1", efSearch);
    require(
        driftThreshold > 0f && driftThreshold <= 2f, "driftThreshold in (0, 2]", driftThreshold);
    require(
        rebuildDriftFraction > 0 && rebuildDriftFraction <= 1,
        "rebuildDriftFraction in (0, 1]",
        rebuildDriftFraction);
    require(
        rebuildDeletedFraction > 0 && rebuildDeletedFraction <= 1,
        "rebuildDeletedFraction in (0, 1]",
        rebuildDeletedFraction);
    require(
        normGrowthHeadroom >= 1f && normGrowthHeadroom <= 4f,
        "normGrowthHeadroom in [1, 4]",
        normGrowthHeadroom);
    require(
        linkNormFraction > 0f && linkNormFraction <= 1f,
        "linkNormFraction in (0, 1]",
        linkNormFraction);
    require(rebuildNormGrowth > 1, "rebuildNormGrowth > 1", rebuildNormGrowth);
    require(autoRebuildMinSize >= 0, "autoRebuildMinSize >= 0", autoRebuildMinSize);
    require(
        refineScanFraction >= 0 && refineScanFraction <= 1,
        "refineScanFraction in [0, 1]",
        refineScanFraction);
  }

  private static void require(boolean ok, String what, Object value) {
    if (!ok) {
      throw new IllegalArgumentException("expected " + what + ", got " + value);
    }
  }

  /**
   * M=16, beamWidth=100, efSearch=200, seed=42, drift 0.2 on 25% of items, 25% deleted, headroom
   * 1.1, link bound 0.3 m, rebuild at 1.5x norm growth, automatic rebuilds from 1000 nodes,
   * norm-band scan first with a budget of 10% of the items.
   */
  public static HnswConfig defaults() {
    return new HnswConfig(
        16, 100, 200, 42L, 0.2f, 0.25, 0.25, 1.1f, 0.3f, 1.5, true, 1000, 0.1, true);
  }

  /**
   * This config with the scan budget (a fraction of the live items, 0 for graph only) and order
   * replaced.
   */
  public HnswConfig withScan(double newRefineScanFraction, boolean newScanFirst) {
    return new HnswConfig(
        maxConn,
        beamWidth,
        efSearch,
        seed,
        driftThreshold,
        rebuildDriftFraction,
        rebuildDeletedFraction,
        normGrowthHeadroom,
        linkNormFraction,
        rebuildNormGrowth,
        autoRebuild,
        autoRebuildMinSize,
        newRefineScanFraction,
        newScanFirst);
  }

  /** The scan budget in items for an index of {@code liveItems} (0 if scanning is off). */
  public int scanBudget(int liveItems) {
    if (refineScanFraction == 0) {
      return 0;
    }
    return (int) Math.max(MIN_SCAN, Math.ceil(refineScanFraction * liveItems));
  }

  /** The plan for a query with beam {@code efSearch} on an index of {@code liveItems}. */
  public SearchPlan plan(int efSearch, int liveItems) {
    int budget = scanBudget(liveItems);
    if (budget == 0) {
      return SearchPlan.graphOnly(efSearch);
    }
    return scanFirst
        ? SearchPlan.scanThenGraph(budget, efSearch)
        : SearchPlan.graphThenScan(efSearch, budget);
  }

  /** This config with HNSW {@code M} and {@code beamWidth} replaced. */
  public HnswConfig withGraph(int newMaxConn, int newBeamWidth) {
    return new HnswConfig(
        newMaxConn,
        newBeamWidth,
        efSearch,
        seed,
        driftThreshold,
        rebuildDriftFraction,
        rebuildDeletedFraction,
        normGrowthHeadroom,
        linkNormFraction,
        rebuildNormGrowth,
        autoRebuild,
        autoRebuildMinSize,
        refineScanFraction,
        scanFirst);
  }

  /** This config with {@code efSearch} replaced. */
  public HnswConfig withEfSearch(int newEfSearch) {
    return new HnswConfig(
        maxConn,
        beamWidth,
        newEfSearch,
        seed,
        driftThreshold,
        rebuildDriftFraction,
        rebuildDeletedFraction,
        normGrowthHeadroom,
        linkNormFraction,
        rebuildNormGrowth,
        autoRebuild,
        autoRebuildMinSize,
        refineScanFraction,
        scanFirst);
  }

  /** This config with the seed replaced. */
  public HnswConfig withSeed(long newSeed) {
    return new HnswConfig(
        maxConn,
        beamWidth,
        efSearch,
        newSeed,
        driftThreshold,
        rebuildDriftFraction,
        rebuildDeletedFraction,
        normGrowthHeadroom,
        linkNormFraction,
        rebuildNormGrowth,
        autoRebuild,
        autoRebuildMinSize,
        refineScanFraction,
        scanFirst);
  }

  /** This config with {@code linkNormFraction} replaced. */
  public HnswConfig withLinkNormFraction(float newLinkNormFraction) {
    return new HnswConfig(
        maxConn,
        beamWidth,
        efSearch,
        seed,
        driftThreshold,
        rebuildDriftFraction,
        rebuildDeletedFraction,
        normGrowthHeadroom,
        newLinkNormFraction,
        rebuildNormGrowth,
        autoRebuild,
        autoRebuildMinSize,
        refineScanFraction,
        scanFirst);
  }

  /** This config with the rebuild policy replaced. */
  public HnswConfig withRebuildPolicy(
      float newDriftThreshold,
      double newRebuildDriftFraction,
      double newRebuildDeletedFraction,
      double newRebuildNormGrowth,
      boolean newAutoRebuild,
      int newAutoRebuildMinSize) {
    return new HnswConfig(
        maxConn,
        beamWidth,
        efSearch,
        seed,
        newDriftThreshold,
        newRebuildDriftFraction,
        newRebuildDeletedFraction,
        normGrowthHeadroom,
        linkNormFraction,
        newRebuildNormGrowth,
        newAutoRebuild,
        newAutoRebuildMinSize,
        refineScanFraction,
        scanFirst);
  }
}
