package dev.freshet.bench.retrieval;

import dev.freshet.streams.retrieval.ExactItemIndex;
import dev.freshet.streams.retrieval.HnswConfig;
import dev.freshet.streams.retrieval.HnswItemIndex;
import dev.freshet.streams.retrieval.IndexStats;
import dev.freshet.streams.retrieval.ItemScore;
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
 * <p>Per size: build both indexes (time, heap), exact top-K for every query (ground truth and the
 * brute-force rate), then HNSW at each {@code efSearch} (recall@K, recall@10, rate and the ratio to
 * brute force), then {@code inserts} new items one by one (incremental insert latency) and as many
 * in-place updates, and recall afterwards.
 *
 * <p>Usage: {@code java -Xmx8g -cp benchmarks.jar dev.freshet.bench.retrieval.RetrievalBenchmark
 * [sizes=100000,1000000] [queries=500] [k=100] [ef=100,200,400,800] [dim=32] [m=16] [beam=100]
 * [inserts=2000] [seed=42]}
 */
public final class RetrievalBenchmark {

  private RetrievalBenchmark() {}

  /** Runs the benchmark; arguments are {@code key=value} pairs as in the class comment. */
  public static void main(String[] args) {
    Args a = Args.parse(args);
    System.out.printf(
        Locale.ROOT,
        "# Retrieval benchmark: dim=%d k=%d queries=%d M=%d beamWidth=%d seed=%d, %s, %d cpus,"
            + " max heap %d MiB%n%n",
        a.dim,
        a.k,
        a.queries,
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
    ItemVectorGenerator gen = new ItemVectorGenerator(a.dim, a.seed);
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

    // warm-up, then the timed brute-force pass that also yields ground truth
    for (int w = 0; w < Math.min(50, queries.length); w++) {
      exact.topK(queries[w], a.k);
    }
    List<Set<String>> truthK = new ArrayList<>();
    List<Set<String>> truth10 = new ArrayList<>();
    t0 = System.nanoTime();
    for (float[] q : queries) {
      List<ItemScore> top = exact.topK(q, a.k);
      truthK.add(idSet(top, a.k));
      truth10.add(idSet(top, 10));
    }
    double exactQps = queries.length * 1e9 / (System.nanoTime() - t0);

    System.out.printf(
        Locale.ROOT,
        "| search | efSearch | recall@%d | recall@10 | queries/s | ms/query | speed-up vs exact |%n"
            + "|---|---|---|---|---|---|---|%n"
            + "| exact (brute force) | - | 1.0000 | 1.0000 | %,.0f | %.3f | 1.0x |%n",
        a.k,
        exactQps,
        1000.0 / exactQps);
    for (int ef : a.efs) {
      for (int w = 0; w < Math.min(200, queries.length); w++) {
        hnsw.topK(queries[w], a.k, Set.of(), ef);
      }
      double[] rec = new double[2];
      t0 = System.nanoTime();
      List<List<ItemScore>> results = new ArrayList<>(queries.length);
      for (float[] q : queries) {
        results.add(hnsw.topK(q, a.k, Set.of(), ef));
      }
      double qps = queries.length * 1e9 / (System.nanoTime() - t0);
      for (int i = 0; i < queries.length; i++) {
        rec[0] += overlap(results.get(i), truthK.get(i), a.k);
        rec[1] += overlap(results.get(i), truth10.get(i), 10);
      }
      System.out.printf(
          Locale.ROOT,
          "| HNSW | %d | %.4f | %.4f | %,.0f | %.3f | %.1fx |%n",
          ef,
          rec[0] / queries.length,
          rec[1] / queries.length,
          qps,
          1000.0 / qps,
          qps / exactQps);
    }

    // incremental inserts and in-place updates on the live graph
    ItemVectorGenerator fresh = new ItemVectorGenerator(a.dim, a.seed + 1);
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
    double recall = 0;
    for (float[] q : queries) {
      recall += overlap(hnsw.topK(q, a.k, Set.of(), ef), idSet(exact.topK(q, a.k), a.k), a.k);
    }
    System.out.printf(
        Locale.ROOT,
        "%n%,d incremental inserts: %.1f µs each (HNSW + exact); %,d in-place updates: %.1f µs"
            + " each; afterwards recall@%d at efSearch=%d: %.4f (drifted %d, generation %d)%n%n",
        a.inserts,
        insertUs,
        a.inserts,
        updateUs,
        a.k,
        ef,
        recall / queries.length,
        hnsw.stats().drifted(),
        hnsw.stats().generation());
    hnsw.close();
  }

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
      long seed) {

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
          default -> throw new IllegalArgumentException("unknown argument " + key);
        }
      }
      return new Args(sizes, queries, k, efs, dim, m, beam, inserts, seed);
    }

    private static int[] ints(String csv) {
      return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }
  }
}
