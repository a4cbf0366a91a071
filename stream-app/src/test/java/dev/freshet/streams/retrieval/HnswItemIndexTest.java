package dev.freshet.streams.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HnswItemIndexTest {

  private static final int N = 20_000;
  private static final int DIM = SyntheticVectors.DIM;
  private static final double MIN_RECALL = 0.95;

  /**
   * Rebuilds only when a test asks for one; graph search only, so these tests measure the graph
   * (the norm-band scan has its own tests in {@link HnswItemIndexScanTest}).
   */
  private static final HnswConfig MANUAL =
      HnswConfig.defaults()
          .withRebuildPolicy(0.2f, 0.25, 0.25, 1.5, false, 1000)
          .withScan(0, false);

  private static float[] rows;
  private static List<String> ids;
  private static HnswItemIndex shared;
  private static ExactItemIndex sharedExact;
  private static List<float[]> queries;

  @BeforeAll
  static void buildSharedIndex() {
    SyntheticVectors gen = new SyntheticVectors(42);
    rows = gen.items(N);
    ids = SyntheticVectors.ids("item-", N);
    shared = HnswItemIndex.build(DIM, MANUAL, ids, rows);
    sharedExact = ExactItemIndex.of(DIM, ids, rows);
    queries = gen.queries(100);
  }

  private static ExactItemIndex exactCopy() {
    return ExactItemIndex.of(DIM, ids, rows);
  }

  @Test
  void shouldReachRecallAtTenOfAtLeast95PercentAgainstExactSearch() {
    assertThat(SyntheticVectors.recall(shared, sharedExact, queries, 10))
        .isGreaterThanOrEqualTo(MIN_RECALL);
    assertThat(shared.size()).isEqualTo(N);
  }

  @Test
  void shouldReportTrueInnerProductsBestFirst() {
    for (float[] q : queries.subList(0, 10)) {
      List<ItemScore> top = shared.topK(q, 10);
      assertThat(top)
          .hasSize(10)
          .isSortedAccordingTo((a, b) -> Float.compare(b.score(), a.score()));
      for (ItemScore s : top) {
        float[] v = shared.vector(s.itemId()).orElseThrow();
        assertThat(s.score()).isCloseTo(Vectors.dot(q, 0, v, 0, DIM), within(1e-5f));
      }
    }
  }

  @Test
  void shouldNeverReturnExcludedItems() {
    for (float[] q : queries.subList(0, 20)) {
      List<String> best = shared.topK(q, 5).stream().map(ItemScore::itemId).toList();
      Set<String> exclude = new HashSet<>(best.subList(0, 3));

      List<ItemScore> top = shared.topK(q, 10, exclude);

      assertThat(top)
          .hasSize(10)
          .extracting(ItemScore::itemId)
          .doesNotContainAnyElementsOf(exclude);
      assertThat(top.get(0).itemId()).isEqualTo(best.get(3));
    }
  }

  @Test
  void shouldLinkItemsByTheirSimpleLshSimilarityUnderTheLinkBound() {
    float m = shared.stats().normBound();
    assertThat(m).isCloseTo(SimpleLsh.maxNorm(rows, N, DIM), within(1e-6f));
    float linkBound = m * shared.config().linkNormFraction();
    List<Integer> under = new ArrayList<>();
    for (int r = 0; r < N && under.size() < 2; r++) {
      if (Math.sqrt(Vectors.normSq(SyntheticVectors.row(rows, r))) <= linkBound) {
        under.add(r);
      }
    }
    int a = under.get(0);
    int b = under.get(1);
    float expected =
        Vectors.dot(
            SimpleLsh.transformItem(SyntheticVectors.row(rows, a), linkBound),
            0,
            SimpleLsh.transformItem(SyntheticVectors.row(rows, b), linkBound),
            0,
            DIM + 1);

    float actual =
        shared.inspect(g -> g.itemSimilarity(g.ordinalOf(ids.get(a)), g.ordinalOf(ids.get(b))));

    assertThat(actual).isCloseTo(expected, within(1e-5f));
  }

  @Test
  void shouldKeepRecallWhenHalfTheItemsArriveIncrementally() {
    int bulk = N / 2;
    HnswItemIndex index =
        HnswItemIndex.build(
            DIM, MANUAL, ids.subList(0, bulk), java.util.Arrays.copyOf(rows, bulk * DIM));
    for (int r = bulk; r < N; r++) {
      index.upsert(ids.get(r), SyntheticVectors.row(rows, r));
    }

    assertThat(index.size()).isEqualTo(N);
    assertThat(index.stats().inserts()).isEqualTo(N);
    assertThat(index.stats().generation()).isEqualTo(1);
    assertThat(SyntheticVectors.recall(index, sharedExact, queries, 10))
        .isGreaterThanOrEqualTo(MIN_RECALL);
  }

  @Test
  void shouldFindANewItemImmediatelyAfterUpsert() {
    HnswItemIndex index = new HnswItemIndex(DIM, MANUAL);
    ExactItemIndex exact = new ExactItemIndex(DIM);
    SyntheticVectors gen = new SyntheticVectors(5);
    for (int i = 0; i < 3000; i++) {
      float[] v = gen.item();
      index.upsert("old-" + i, v);
      exact.upsert("old-" + i, v);
    }
    float largestNorm = index.stats().normBound();
    for (int t = 0; t < 20; t++) {
      float[] q = gen.query();
      // a new popular item pointing the query's way, 1.5x the largest norm of the catalogue
      float scale = 1.5f * largestNorm / (float) Math.sqrt(Vectors.normSq(q));
      float[] fresh = new float[DIM];
      for (int i = 0; i < DIM; i++) {
        fresh[i] = scale * q[i];
      }
      long before = index.version();

      index.upsert("fresh-" + t, fresh);
      exact.upsert("fresh-" + t, fresh);

      assertThat(index.version()).isEqualTo(before + 1);
      assertThat(index.contains("fresh-" + t)).isTrue();
      assertThat(exact.topK(q, 1).get(0).itemId()).isEqualTo("fresh-" + t);
      assertThat(index.topK(q, 1).get(0).itemId()).isEqualTo("fresh-" + t);
    }
  }

  @Test
  void shouldKeepRecallAndScoreCurrentVectorsAfterInPlaceUpdates() {
    HnswItemIndex index = HnswItemIndex.build(DIM, MANUAL, ids, rows);
    ExactItemIndex exact = exactCopy();
    SyntheticVectors gen = new SyntheticVectors(99);
    Random pick = new Random(3);
    for (int u = 0; u < N / 10; u++) {
      String id = ids.get(pick.nextInt(N));
      float[] v = gen.item();
      index.upsert(id, v);
      exact.upsert(id, v);
    }

    assertThat(index.stats().updates()).isEqualTo(N / 10);
    assertThat(index.stats().drifted()).isPositive();
    assertThat(index.size()).isEqualTo(N);
    assertThat(SyntheticVectors.recall(index, exact, queries, 10))
        .isGreaterThanOrEqualTo(MIN_RECALL);
    float[] q = queries.get(0);
    for (ItemScore s : index.topK(q, 10)) {
      float[] v = exact.vector(s.itemId()).orElseThrow();
      assertThat(s.score()).isCloseTo(Vectors.dot(q, 0, v, 0, DIM), within(1e-5f));
    }
  }

  @Test
  void shouldNeverReturnRemovedItemsAndKeepRecallAfterRemovals() {
    HnswItemIndex index = HnswItemIndex.build(DIM, MANUAL, ids, rows);
    ExactItemIndex exact = exactCopy();
    Set<String> removed = new HashSet<>();
    for (int r = 0; r < N; r += 5) {
      assertThat(index.remove(ids.get(r))).isTrue();
      exact.remove(ids.get(r));
      removed.add(ids.get(r));
    }

    assertThat(index.size()).isEqualTo(N - removed.size());
    assertThat(index.stats().deleted()).isEqualTo(removed.size());
    assertThat(index.contains(ids.get(0))).isFalse();
    for (float[] q : queries) {
      assertThat(index.topK(q, 10))
          .extracting(ItemScore::itemId)
          .doesNotContainAnyElementsOf(removed);
    }
    assertThat(SyntheticVectors.recall(index, exact, queries, 10))
        .isGreaterThanOrEqualTo(MIN_RECALL);
  }

  @Test
  void shouldCompactDeletedNodesOnRebuildAndSwapInANewGeneration() {
    int n = 5000;
    HnswItemIndex index =
        HnswItemIndex.build(DIM, MANUAL, ids.subList(0, n), java.util.Arrays.copyOf(rows, n * DIM));
    for (int r = 0; r < n; r += 2) {
      index.remove(ids.get(r));
    }
    assertThat(index.rebuildDue()).isTrue();

    IndexStats after = index.rebuild();

    assertThat(after.generation()).isEqualTo(2);
    assertThat(after.rebuilds()).isEqualTo(1);
    assertThat(after.deleted()).isZero();
    assertThat(after.slots()).isEqualTo(n / 2);
    assertThat(index.rebuildDue()).isFalse();
    assertThat(index.contains(ids.get(1))).isTrue();
    assertThat(index.contains(ids.get(0))).isFalse();
  }

  @Test
  void shouldRebuildInTheBackgroundOnceEnoughItemsDrifted() {
    int n = 4000;
    HnswConfig auto = HnswConfig.defaults().withRebuildPolicy(0.2f, 0.25, 0.25, 1.5, true, 1000);
    SyntheticVectors gen = new SyntheticVectors(21);
    try (HnswItemIndex index =
        HnswItemIndex.build(DIM, auto, ids.subList(0, n), java.util.Arrays.copyOf(rows, n * DIM))) {
      ExactItemIndex exact =
          ExactItemIndex.of(DIM, ids.subList(0, n), java.util.Arrays.copyOf(rows, n * DIM));
      CompletableFuture<IndexStats> started = null;
      for (int r = 0; r < n && started == null; r++) {
        float[] v = gen.item();
        index.upsert(ids.get(r), v);
        exact.upsert(ids.get(r), v);
        started = index.runningRebuild().orElse(null);
      }
      assertThat(started).as("a rebuild started once 25% of items drifted").isNotNull();
      // keep writing while the rebuild runs: these must be replayed onto the new graph
      for (int r = 0; r < 500; r++) {
        float[] v = gen.item();
        index.upsert("late-" + r, v);
        exact.upsert("late-" + r, v);
        index.remove(ids.get(n - 1 - r));
        exact.remove(ids.get(n - 1 - r));
      }

      IndexStats after = started.join();
      assertThat(after.generation()).isGreaterThanOrEqualTo(2);
      assertThat(index.size()).isEqualTo(exact.size());
      assertThat(index.contains("late-499")).isTrue();
      assertThat(index.contains(ids.get(n - 1))).isFalse();
      assertThat(index.vector(ids.get(0)).orElseThrow())
          .containsExactly(exact.vector(ids.get(0)).orElseThrow());
      assertThat(SyntheticVectors.recall(index, exact, queries, 10))
          .isGreaterThanOrEqualTo(MIN_RECALL);
    }
  }

  @Test
  void shouldGrowTheNormBoundForAnOutlierAndStillRankItFirst() {
    int n = 2000;
    HnswItemIndex index =
        HnswItemIndex.build(DIM, MANUAL, ids.subList(0, n), java.util.Arrays.copyOf(rows, n * DIM));
    float before = index.stats().normBound();
    float[] q = queries.get(1);
    float[] big = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      big[i] = q[i] * 4f * before / (float) Math.sqrt(Vectors.normSq(q));
    }

    index.upsert("outlier", big);

    IndexStats stats = index.stats();
    assertThat(stats.normBound()).isGreaterThanOrEqualTo(4f * before * 0.999f);
    assertThat(stats.normBoundGrowths()).isEqualTo(1);
    assertThat(index.rebuildDue()).isTrue();
    assertThat(index.topK(q, 1).get(0).itemId()).isEqualTo("outlier");
  }

  @Test
  void shouldServeConsistentResultsToReadersWhileOneWriterUpdates() throws Exception {
    int n = 3000;
    HnswItemIndex index =
        HnswItemIndex.build(DIM, MANUAL, ids.subList(0, n), java.util.Arrays.copyOf(rows, n * DIM));
    AtomicBoolean writing = new AtomicBoolean(true);
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<Thread> readers = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      Thread reader =
          new Thread(
              () -> {
                int i = 0;
                while (writing.get()) {
                  try {
                    List<ItemScore> top = index.topK(queries.get(i++ % queries.size()), 10);
                    if (top.size() != 10) {
                      failures.add(new AssertionError("expected 10 results, got " + top.size()));
                    }
                  } catch (RuntimeException | AssertionError e) {
                    failures.add(e);
                  }
                }
              });
      reader.start();
      readers.add(reader);
    }
    SyntheticVectors gen = new SyntheticVectors(8);
    for (int r = 0; r < 3000; r++) {
      index.upsert(r % 2 == 0 ? ids.get(r % n) : "w-" + r, gen.item());
      if (r % 7 == 0) {
        index.remove(ids.get((r * 13) % n));
      }
    }
    writing.set(false);
    for (Thread reader : readers) {
      reader.join();
    }

    assertThat(failures).isEmpty();
    assertThat(index.version()).isEqualTo(index.stats().version());
  }

  @Test
  void shouldRejectBadArgumentsWithTheShapesInTheMessage() {
    assertThatThrownBy(() -> shared.topK(new float[DIM + 1], 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[" + (DIM + 1) + "]")
        .hasMessageContaining("[" + DIM + "]");
    assertThatThrownBy(() -> shared.topK(new float[DIM], 10, Set.of(), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HnswItemIndex.build(DIM, MANUAL, List.of("a"), new float[DIM - 1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[1 x " + DIM + "]");
    assertThatThrownBy(
            () ->
                new HnswConfig(
                    1, 100, 10, 1L, 0.2f, 0.25, 0.25, 1.1f, 0.3f, 1.5, true, 0, 0.1, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxConn");
  }
}
