package dev.freshet.bench.retrieval;

import dev.freshet.streams.retrieval.ExactItemIndex;
import dev.freshet.streams.retrieval.HnswConfig;
import dev.freshet.streams.retrieval.HnswItemIndex;
import dev.freshet.streams.retrieval.IndexStats;
import dev.freshet.streams.retrieval.ItemScore;
import dev.freshet.streams.retrieval.SearchPlan;
import dev.freshet.streams.retrieval.SearchStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recall and throughput of {@link HnswItemIndex} against {@link ExactItemIndex} on synthetic {@code
 * [b,w]} vectors, one catalogue size after another, single-threaded queries, printed as Markdown.
 *
 * <p>Per size: build both indexes once (time, heap), exact top-K for every query (ground truth and
 * the brute-force rate), then every search variant on the same graph, side by side: HNSW alone at
 * each {@code efSearch}, HNSW followed by the exact norm-bound refinement at each scan budget
 * ({@code refine}, fractions of n), and the norm bands scanned alone (no graph). Each row gives
 * recall@K, recall@10, the fraction of queries proven exact, graph nodes and band items scored per
 * query, the rate and the ratio to brute force. The same comparison follows for the stream app's
 * request ({@code appK} at {@code appEf}). Last, {@code inserts} new items one by one (incremental
 * insert latency) and as many in-place updates, and recall afterwards.
 *
 * <p>Usage: {@code java -Xmx8g -cp benchmarks.jar dev.freshet.bench.retrieval.RetrievalBenchmark
 * [sizes=100000,1000000] [queries=500] [k=100] [ef=100,200,400,800] [refine=0.02,0.1] [appK=30]
 * [appEf=100] [spread=0.5] [dim=32] [m=16] [beam=100] [inserts=2000] [seed=42]}
 */
public final class RetrievalBenchmark {

  /** Timed passes per variant; the median rate is reported. */
  private static final int REPS = 3;

  private RetrievalBenchmark() {}

  /** Runs the benchmark; arguments are {@code key=value} pairs as in the class comment. */
  public static void main(String[] args) {
    Args a = Args.parse(args);
    System.out.printf(
        Locale.ROOT,
        "# Retrieval benchmark: dim=%d k=%d queries=%d refine=%s appK=%d appEf=%d spread=%s M=%d"
            + " beamWidth=%d seed=%d, %s, %d cpus, max heap %d MiB%n%n",
        a.dim,
        a.k,
        a.queries,
        Arrays.toString(a.refine),
        a.appK,
        a.appEf,
        a.spread,
        a.m,
        a.beam,
        a.seed,
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
    for (int n : a.sizes) {
      runSize(a, n);
    }
  }

  private static void runSize(Args a, int n) {
    ItemVectorGenerator gen = new ItemVectorGenerator(a.dim, a.seed, a.spread);
    float[] rows = gen.items(n);
    float[][] queries = gen.queries(a.queries);
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add("item-" + i);
    }
    System.out.printf(Locale.ROOT, "## %,d items%n%n", n);

    long heap0 = usedHeap();
    long t0 = System.nanoTime();
    ExactItemIndex exact = ExactItemIndex.of(a.dim, ids, rows);
    long exactBuildMs = ms(t0);
    long exactHeap = usedHeap() - heap0;

    HnswConfig cfg =
        HnswConfig.defaults()
            .withGraph(a.m, a.beam)
            .withSeed(a.seed)
            .withRebuildPolicy(0.2f, 0.25, 0.25, 1.5, false, 1000);
    long heap1 = usedHeap();
    t0 = System.nanoTime();
    HnswItemIndex hnsw = HnswItemIndex.build(a.dim, cfg, ids, rows);
    long hnswBuildMs = ms(t0);
    long hnswHeap = usedHeap() - heap1;
    IndexStats hs = hnsw.stats();
    System.out.printf(
        Locale.ROOT,
        "| index | build | heap retained | accounted (vectors + graph) |%n|---|---|---|---|%n"
            + "| exact | %,d ms | %,d MiB | %,d MiB |%n"
            + "| HNSW | %,d ms (%.1f µs/item) | %,d MiB | %,d + %,d MiB |%n%n",
        exactBuildMs,
        exactHeap >> 20,
        exact.stats().vectorBytes() >> 20,
        hnswBuildMs,
        hnswBuildMs * 1000.0 / n,
        hnswHeap >> 20,
        hs.vectorBytes() >> 20,
        hs.graphBytes() >> 20);

    Truth truth = truth(exact, queries, a.k);
    System.out.printf(
        Locale.ROOT,
        "| search | efSearch | scan budget | recall@%d | recall@10 | proven exact | visited/query"
            + " | scanned/query | queries/s | ms/query | speed-up vs exact |%n"
            + "|---|---|---|---|---|---|---|---|---|---|---|%n",
        a.k);
    printExact(truth);
    runVariants(a, hnsw, queries, a.k, a.efs, n, truth);

    // the stream app's request: top-30 at its efSearch
    System.out.printf(Locale.ROOT, "%nStream-app request: k=%d, efSearch=%d%n%n", a.appK, a.appEf);
    Truth appTruth = truth(exact, queries, a.appK);
    System.out.printf(
        Locale.ROOT,
        "| search | efSearch | scan budget | recall@%d | recall@10 | proven exact | visited/query"
            + " | scanned/query | queries/s | ms/query | speed-up vs exact |%n"
            + "|---|---|---|---|---|---|---|---|---|---|---|%n",
        a.appK);
    printExact(appTruth);
    runVariants(a, hnsw, queries, a.appK, new int[] {a.appEf}, n, appTruth);

    // incremental inserts and in-place updates on the live graph
    ItemVectorGenerator fresh = new ItemVectorGenerator(a.dim, a.seed + 1, a.spread);
    float[] extra = fresh.items(a.inserts);
    float[] v = new float[a.dim];
    t0 = System.nanoTime();
    for (int i = 0; i < a.inserts; i++) {
      System.arraycopy(extra, i * a.dim, v, 0, a.dim);
      hnsw.upsert("new-" + i, v);
      exact.upsert("new-" + i, v);
    }
    double insertUs = (System.nanoTime() - t0) / 1e3 / a.inserts;
    float[] moved = fresh.items(a.inserts);
    t0 = System.nanoTime();
    for (int i = 0; i < a.inserts; i++) {
      System.arraycopy(moved, i * a.dim, v, 0, a.dim);
      String id = ids.get((int) ((long) i * 7919 % n));
      hnsw.upsert(id, v);
      exact.upsert(id, v);
    }
    double updateUs = (System.nanoTime() - t0) / 1e3 / a.inserts;
    int ef = a.efs[a.efs.length / 2];
    int refineBudget = budget(a.refine.length > 0 ? a.refine[a.refine.length - 1] : 0.1, n);
    double recall = 0;
    double refinedRecall = 0;
    for (float[] q : queries) {
      Set<String> t = idSet(exact.topK(q, a.k), a.k);
      recall += overlap(hnsw.topK(q, a.k, Set.of(), SearchPlan.graphOnly(ef)), t, a.k);
      refinedRecall +=
          overlap(hnsw.topK(q, a.k, Set.of(), SearchPlan.scanThenGraph(refineBudget, ef)), t, a.k);
    }
    System.out.printf(
        Locale.ROOT,
        "%n%,d incremental inserts: %.1f µs each (HNSW + exact); %,d in-place updates: %.1f µs"
            + " each; afterwards recall@%d at efSearch=%d: %.4f, scan (budget %,d) then HNSW: %.4f"
            + " (drifted %d, generation %d)%n%n",
        a.inserts,
        insertUs,
        a.inserts,
        updateUs,
        a.k,
        ef,
        recall / queries.length,
        refineBudget,
        refinedRecall / queries.length,
        hnsw.stats().drifted(),
        hnsw.stats().generation());
    hnsw.close();
  }

  /**
   * Exact top-k for every query (ground truth) and the median brute-force rate, after a warm-up.
   */
  private static Truth truth(ExactItemIndex exact, float[][] queries, int k) {
    for (int w = 0; w < Math.min(50, queries.length); w++) {
      exact.topK(queries[w], k);
    }
    List<Set<String>> topK = new ArrayList<>();
    List<Set<String>> top10 = new ArrayList<>();
    double[] rates = new double[REPS];
    for (int rep = 0; rep < REPS; rep++) {
      topK.clear();
      top10.clear();
      long t0 = System.nanoTime();
      for (float[] q : queries) {
        List<ItemScore> top = exact.topK(q, k);
        topK.add(idSet(top, k));
        top10.add(idSet(top, 10));
      }
      rates[rep] = queries.length * 1e9 / (System.nanoTime() - t0);
    }
    return new Truth(topK, top10, median(rates));
  }

  /** HNSW alone, graph then scan, scan then graph (per budget), scan alone: same graph. */
  private static void runVariants(
      Args a, HnswItemIndex hnsw, float[][] queries, int k, int[] efs, int n, Truth truth) {
    for (int ef : efs) {
      runVariant("HNSW", hnsw, queries, k, SearchPlan.graphOnly(ef), truth);
    }
    for (double f : a.refine) {
      for (int ef : efs) {
        runVariant(
            "HNSW, then scan " + percent(f),
            hnsw,
            queries,
            k,
            SearchPlan.graphThenScan(ef, budget(f, n)),
            truth);
      }
    }
    for (double f : a.refine) {
      for (int ef : efs) {
        runVariant(
            "scan " + percent(f) + ", then HNSW",
            hnsw,
            queries,
            k,
            SearchPlan.scanThenGraph(budget(f, n), ef),
            truth);
      }
    }
    runVariant("scan only (no budget)", hnsw, queries, k, SearchPlan.scanOnly(n), truth);
  }

  private static void printExact(Truth t) {
    System.out.printf(
        Locale.ROOT,
        "| exact (brute force) | - | - | 1.0000 | 1.0000 | 1.00 | - | - | %,.0f | %.3f | 1.0x |%n",
        t.qps,
        1000.0 / t.qps);
  }

  /**
   * Warm-up, then {@link #REPS} timed passes over all queries (median rate); recall and the
   * per-query counters are computed outside the timing.
   */
  private static void runVariant(
      String name, HnswItemIndex hnsw, float[][] queries, int k, SearchPlan plan, Truth truth) {
    for (int w = 0; w < Math.min(200, queries.length); w++) {
      hnsw.topK(queries[w], k, Set.of(), plan);
    }
    SearchStats before = hnsw.searchStats();
    List<List<ItemScore>> results = new ArrayList<>(queries.length);
    double[] rates = new double[REPS];
    for (int rep = 0; rep < REPS; rep++) {
      results.clear();
      long t0 = System.nanoTime();
      for (float[] q : queries) {
        results.add(hnsw.topK(q, k, Set.of(), plan));
      }
      rates[rep] = queries.length * 1e9 / (System.nanoTime() - t0);
    }
    double qps = median(rates);
    SearchStats after = hnsw.searchStats();
    int nq = queries.length * REPS;
    double recK = 0;
    double rec10 = 0;
    for (int i = 0; i < queries.length; i++) {
      recK += overlap(results.get(i), truth.topK.get(i), k);
      rec10 += overlap(results.get(i), truth.top10.get(i), 10);
    }
    double n1 = queries.length;
    System.out.printf(
        Locale.ROOT,
        "| %s | %s | %s | %.4f | %.4f | %.2f | %,.0f | %,.0f | %,.0f | %.3f | %.1fx |%n",
        name,
        plan.efSearch() == 0 ? "-" : Integer.toString(plan.efSearch()),
        plan.maxScan() == 0 ? "-" : String.format(Locale.ROOT, "%,d", plan.maxScan()),
        recK / n1,
        rec10 / n1,
        (double) (after.provenExact() - before.provenExact()) / nq,
        (double) (after.visitedNodes() - before.visitedNodes()) / nq,
        (double) (after.scannedItems() - before.scannedItems()) / nq,
        qps,
        1000.0 / qps,
        qps / truth.qps);
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }

  private static int budget(double fraction, int n) {
    return (int) Math.ceil(fraction * n);
  }

  private static String percent(double fraction) {
    return String.format(
        Locale.ROOT,
        "(%s%% of n)",
        new java.math.BigDecimal(fraction * 100).stripTrailingZeros().toPlainString());
  }

  private record Truth(List<Set<String>> topK, List<Set<String>> top10, double qps) {}

  private static Set<String> idSet(List<ItemScore> top, int k) {
    Set<String> s = new HashSet<>();
    for (int i = 0; i < Math.min(k, top.size()); i++) {
      s.add(top.get(i).itemId());
    }
    return s;
  }

  private static double overlap(List<ItemScore> found, Set<String> truth, int k) {
    int hit = 0;
    for (int i = 0; i < Math.min(k, found.size()); i++) {
      if (truth.contains(found.get(i).itemId())) {
        hit++;
      }
    }
    return (double) hit / Math.min(k, truth.size());
  }

  private static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000L;
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  private record Args(
      int[] sizes,
      int queries,
      int k,
      int[] efs,
      int dim,
      int m,
      int beam,
      int inserts,
      long seed,
      double[] refine,
      int appK,
      int appEf,
      double spread) {

    static Args parse(String[] args) {
      int[] sizes = {100_000, 1_000_000};
      int queries = 500;
      int k = 100;
      int[] efs = {100, 200, 400, 800};
      int dim = 32;
      int m = 16;
      int beam = 100;
      int inserts = 2000;
      long seed = 42;
      double[] refine = {0.02, 0.1};
      int appK = 30;
      int appEf = 100;
      double spread = 0.5;
      for (String arg : args) {
        int eq = arg.indexOf('=');
        if (eq < 1) {
          throw new IllegalArgumentException("expected key=value, got " + arg);
        }
        String key = arg.substring(0, eq);
        String value = arg.substring(eq + 1);
        switch (key) {
          case "sizes" -> sizes = ints(value);
          case "queries" -> queries = Integer.parseInt(value);
          case "k" -> k = Integer.parseInt(value);
          case "ef" -> efs = ints(value);
          case "dim" -> dim = Integer.parseInt(value);
          case "m" -> m = Integer.parseInt(value);
          case "beam" -> beam = Integer.parseInt(value);
          case "inserts" -> inserts = Integer.parseInt(value);
          case "seed" -> seed = Long.parseLong(value);
          case "refine" ->
              refine = Arrays.stream(value.split(",")).mapToDouble(Double::parseDouble).toArray();
          case "appK" -> appK = Integer.parseInt(value);
          case "appEf" -> appEf = Integer.parseInt(value);
          case "spread" -> spread = Double.parseDouble(value);
          default -> throw new IllegalArgumentException("unknown argument " + key);
        }
      }
      return new Args(
          sizes, queries, k, efs, dim, m, beam, inserts, seed, refine, appK, appEf, spread);
    }

    private static int[] ints(String csv) {
      return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }
  }
}
