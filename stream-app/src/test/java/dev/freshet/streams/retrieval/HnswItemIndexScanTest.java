package dev.freshet.streams.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exact norm-band scan of {@link HnswItemIndex} (see {@link SearchPlan}, {@link NormBands}).
 */
class HnswItemIndexScanTest {

  private static final int N = 5_000;
  private static final int DIM = SyntheticVectors.DIM;
  private static final int K = 50;

  private static final HnswConfig MANUAL =
      HnswConfig.defaults().withRebuildPolicy(0.2f, 0.25, 0.25, 1.5, false, 1000);

  private static float[] rows;
  private static List<String> ids;
  private static HnswItemIndex shared;
  private static ExactItemIndex sharedExact;
  private static List<float[]> queries;

  @BeforeAll
  static void buildSharedIndex() {
    SyntheticVectors gen = new SyntheticVectors(4242);
    rows = gen.items(N);
    ids = SyntheticVectors.ids("item-", N);
    shared = HnswItemIndex.build(DIM, MANUAL, ids, rows);
    sharedExact = ExactItemIndex.of(DIM, ids, rows);
    queries = gen.queries(40);
  }

  @Test
  void shouldReturnExactlyTheBruteForceTopKWhenTheBoundProvesIt() {
    List<SearchPlan> plans =
        List.of(
            SearchPlan.scanOnly(N),
            SearchPlan.graphThenScan(20, N),
            SearchPlan.scanThenGraph(N, 20));
    for (SearchPlan plan : plans) {
      SearchStats before = shared.searchStats();
      for (float[] q : queries) {
        assertThat(shared.topK(q, K, Set.of(), plan))
            .as("plan %s", plan)
            .isEqualTo(sharedExact.topK(q, K));
      }
      SearchStats after = shared.searchStats();
      assertThat(after.provenExact() - before.provenExact()).isEqualTo(queries.size());
      // the bound, not the budget, ends the scan: far fewer items than the catalogue
      assertThat((after.scannedItems() - before.scannedItems()) / queries.size()).isLessThan(N / 2);
    }
  }

  @Test
  void shouldBeatTheGraphAloneAndNeverDoWorse() {
    int budget = N / 10;
    double graphRecall = 0;
    double refinedRecall = 0;
    for (float[] q : queries) {
      Set<String> truth = ids(sharedExact.topK(q, K));
      List<ItemScore> graph = shared.topK(q, K, Set.of(), SearchPlan.graphOnly(K));
      List<ItemScore> refined = shared.topK(q, K, Set.of(), SearchPlan.graphThenScan(K, budget));
      long g = graph.stream().filter(s -> truth.contains(s.itemId())).count();
      long r = refined.stream().filter(s -> truth.contains(s.itemId())).count();
      assertThat(r).isGreaterThanOrEqualTo(g);
      assertThat(refined).hasSize(K).isSortedAccordingTo(HnswItemIndexScanTest::bestFirst);
      graphRecall += (double) g / K;
      refinedRecall += (double) r / K;
    }
    assertThat(refinedRecall).isGreaterThan(graphRecall);
  }

  @Test
  void shouldHonourTheScanBudget() {
    for (int budget : new int[] {1, 7, 100, 333}) {
      for (SearchPlan plan :
          List.of(
              SearchPlan.scanOnly(budget),
              SearchPlan.graphThenScan(20, budget),
              SearchPlan.scanThenGraph(budget, 20))) {
        for (float[] q : queries.subList(0, 10)) {
          SearchStats before = shared.searchStats();
          List<ItemScore> top = shared.topK(q, K, Set.of(), plan);
          long scanned = shared.searchStats().scannedItems() - before.scannedItems();
          assertThat(scanned).as("plan %s", plan).isLessThanOrEqualTo(budget);
          assertThat(top).isSortedAccordingTo(HnswItemIndexScanTest::bestFirst);
        }
      }
    }
  }

  @Test
  void shouldRespectExclusionsAndRemovals() {
    HnswItemIndex index = HnswItemIndex.build(DIM, MANUAL, ids, rows);
    ExactItemIndex exact = ExactItemIndex.of(DIM, ids, rows);
    for (float[] q : queries.subList(0, 10)) {
      List<String> best = exact.topK(q, 20).stream().map(ItemScore::itemId).toList();
      index.remove(best.get(0));
      exact.remove(best.get(0));
      Set<String> exclude = new HashSet<>(best.subList(1, 6));

      List<ItemScore> top = index.topK(q, K, exclude, SearchPlan.scanOnly(N));

      assertThat(top).isEqualTo(exact.topK(q, K, exclude));
      assertThat(top)
          .extracting(ItemScore::itemId)
          .doesNotContain(best.get(0))
          .doesNotContainAnyElementsOf(exclude);
      assertThat(index.topK(q, K, exclude, SearchPlan.graphThenScan(20, N)))
          .isEqualTo(exact.topK(q, K, exclude));
    }
    assertThat(index.inspect(HnswGeneration::bandedCount)).isEqualTo(index.size());
  }

  @Test
  void shouldStayExactWhenItemsMoveBetweenNormBands() {
    int n = 2000;
    HnswItemIndex index =
        HnswItemIndex.build(DIM, MANUAL, ids.subList(0, n), Arrays.copyOf(rows, n * DIM));
    ExactItemIndex exact = ExactItemIndex.of(DIM, ids.subList(0, n), Arrays.copyOf(rows, n * DIM));
    Random random = new Random(5);
    for (int r = 0; r < 3000; r++) {
      String id = ids.get(random.nextInt(n));
      float[] v = SyntheticVectors.row(rows, random.nextInt(n));
      float scale = (float) Math.exp(random.nextGaussian());
      for (int i = 0; i < DIM; i++) {
        v[i] *= scale;
      }
      index.upsert(id, v);
      exact.upsert(id, v);
      if (r % 5 == 0) {
        String gone = ids.get(random.nextInt(n));
        index.remove(gone);
        exact.remove(gone);
      }
    }
    assertThat(index.inspect(HnswGeneration::bandedCount)).isEqualTo(index.size());
    for (float[] q : queries) {
      assertThat(index.topK(q, K, Set.of(), SearchPlan.scanOnly(n))).isEqualTo(exact.topK(q, K));
    }
    // a rebuild starts the bands afresh and keeps them exact
    index.rebuild();
    assertThat(index.inspect(HnswGeneration::bandedCount)).isEqualTo(index.size());
    for (float[] q : queries.subList(0, 10)) {
      assertThat(index.topK(q, K, Set.of(), SearchPlan.scanOnly(n))).isEqualTo(exact.topK(q, K));
    }
  }

  @Test
  void shouldScoreBitIdenticallyForDimensionsThatAreNotMultiplesOfFour() {
    for (int dim : new int[] {1, 2, 5, 7}) {
      Random random = new Random(dim);
      int n = 600;
      float[] data = new float[n * dim];
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) (random.nextGaussian() * Math.exp(random.nextGaussian()));
      }
      List<String> names = SyntheticVectors.ids("d" + dim + "-", n);
      HnswItemIndex index = HnswItemIndex.build(dim, MANUAL, names, data);
      ExactItemIndex exact = ExactItemIndex.of(dim, names, data);
      for (int t = 0; t < 10; t++) {
        float[] q = new float[dim];
        for (int i = 0; i < dim; i++) {
          q[i] = (float) random.nextGaussian();
        }
        assertThat(index.topK(q, 10, Set.of(), SearchPlan.scanOnly(n)))
            .as("dim %d", dim)
            .isEqualTo(exact.topK(q, 10));
      }
    }
  }

  @Test
  void shouldGiveUpTheScanWhenNormsHaveNoSpread() {
    Random random = new Random(9);
    int n = 3000;
    float[] data = new float[n * DIM];
    for (int r = 0; r < n; r++) {
      double norm = 0;
      for (int i = 0; i < DIM; i++) {
        data[r * DIM + i] = (float) random.nextGaussian();
        norm += data[r * DIM + i] * data[r * DIM + i];
      }
      for (int i = 0; i < DIM; i++) {
        data[r * DIM + i] /= (float) Math.sqrt(norm);
      }
    }
    List<String> names = SyntheticVectors.ids("u-", n);
    HnswItemIndex index = HnswItemIndex.build(DIM, MANUAL, names, data);
    int budget = 50;
    for (float[] q : queries.subList(0, 10)) {
      index.topK(q, 10, Set.of(), SearchPlan.graphThenScan(50, budget));
    }
    SearchStats stats = index.searchStats();
    assertThat(stats.refineSkipped()).isEqualTo(10);
    assertThat(stats.scannedItems()).isZero();
    assertThat(stats.provenExact()).isZero();
  }

  @Test
  void shouldServeSortedLiveResultsToReadersWhileOneWriterUpdates() throws Exception {
    int n = 3000;
    HnswItemIndex index =
        HnswItemIndex.build(DIM, MANUAL, ids.subList(0, n), Arrays.copyOf(rows, n * DIM));
    Set<String> removedForGood = Set.copyOf(ids.subList(0, 100));
    removedForGood.forEach(index::remove);
    AtomicBoolean writing = new AtomicBoolean(true);
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<Thread> readers = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      SearchPlan plan = t == 0 ? SearchPlan.scanOnly(n) : SearchPlan.scanThenGraph(n / 10, 20);
      Thread reader =
          new Thread(
              () -> {
                int i = 0;
                while (writing.get()) {
                  try {
                    float[] q = queries.get(i++ % queries.size());
                    List<ItemScore> top = index.topK(q, K, Set.of(), plan);
                    assertThat(top)
                        .hasSize(K)
                        .isSortedAccordingTo(HnswItemIndexScanTest::bestFirst);
                    assertThat(top)
                        .extracting(ItemScore::itemId)
                        .doesNotHaveDuplicates()
                        .doesNotContainAnyElementsOf(removedForGood);
                  } catch (RuntimeException | AssertionError e) {
                    failures.add(e);
                  }
                }
              });
      reader.start();
      readers.add(reader);
    }
    SyntheticVectors gen = new SyntheticVectors(8);
    Random random = new Random(8);
    for (int r = 0; r < 4000; r++) {
      String id = r % 2 == 0 ? ids.get(100 + random.nextInt(n - 100)) : "w-" + r;
      index.upsert(id, gen.item());
      if (r % 7 == 0) {
        index.remove(ids.get(100 + random.nextInt(n - 100)));
      }
    }
    writing.set(false);
    for (Thread reader : readers) {
      reader.join();
    }

    assertThat(failures).isEmpty();
    ExactItemIndex exact = new ExactItemIndex(DIM);
    index.forEach(exact::upsert);
    for (float[] q : queries.subList(0, 10)) {
      assertThat(index.topK(q, K, Set.of(), SearchPlan.scanOnly(index.size())))
          .isEqualTo(exact.topK(q, K));
    }
  }

  @Test
  void shouldUseTheConfiguredPlanAndRejectEmptyPlans() {
    assertThat(HnswConfig.defaults().plan(100, 100_000))
        .isEqualTo(SearchPlan.scanThenGraph(10_000, 100));
    assertThat(HnswConfig.defaults().withScan(0, false).plan(100, 100_000))
        .isEqualTo(SearchPlan.graphOnly(100));
    assertThat(HnswConfig.defaults().withScan(0.01, false).plan(100, 1000))
        .isEqualTo(SearchPlan.graphThenScan(100, HnswConfig.MIN_SCAN));
    assertThatThrownBy(() -> new SearchPlan(0, 0, true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SearchPlan(-1, 10, true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HnswConfig.defaults().withScan(1.5, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refineScanFraction");
    int n = 2000;
    HnswItemIndex generous =
        HnswItemIndex.build(
            DIM, MANUAL.withScan(0.5, true), ids.subList(0, n), Arrays.copyOf(rows, n * DIM));
    ExactItemIndex exact = ExactItemIndex.of(DIM, ids.subList(0, n), Arrays.copyOf(rows, n * DIM));
    for (float[] q : queries) {
      assertThat(generous.topK(q, 30)).isEqualTo(exact.topK(q, 30));
    }
    SearchStats stats = generous.stats().search();
    assertThat(stats.queries()).isEqualTo(queries.size());
    // the graph only runs for queries the scan could not prove within its budget
    assertThat(stats.provenExact()).isGreaterThan(queries.size() / 2);
    assertThat(stats.visitedNodes() > 0).isEqualTo(stats.provenExact() < queries.size());
  }

  private static int bestFirst(ItemScore a, ItemScore b) {
    return Float.compare(b.score(), a.score());
  }

  private static Set<String> ids(List<ItemScore> top) {
    Set<String> s = new HashSet<>();
    top.forEach(x -> s.add(x.itemId()));
    return s;
  }
}
