package dev.freshet.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The read-only tower's two kernels at the reference sizes, and concurrent use. */
class UserTowerTest {
  private static final int ITEMS = 300;
  private static final int CATS = 10;

  private static CandidateModel model;
  private static UserTower tower;

  /** {@link #tower} with a small cache of input rows. */
  private static UserTower cachedTower;

  @BeforeAll
  static void trainAtReferenceSizes() {
    model = CandidateModel.create(ModelConfig.reference().featAppearLimit(1).seed(9).build());
    Map<Table, Map<String, float[]>> published = publish(model, false);
    RowSource rows = (t, key) -> published.getOrDefault(t, Map.of()).get(key);
    tower = new UserTower(model.config(), model.exportDense(), rows);
    cachedTower =
        new UserTower(model.config(), model.exportDense(), rows, 64, new ProjectionCounters());
  }

  /**
   * Trains {@code m} for three steps and builds a read-only tower from what it publishes (rows, and
   * for items the item vectors, as the trainer's snapshots do).
   */
  private static UserTower publishedTower(CandidateModel m) {
    return publishedTower(m, false);
  }

  private static UserTower publishedTower(CandidateModel m, boolean searches) {
    Map<Table, Map<String, float[]>> published = publish(m, searches);
    return new UserTower(
        m.config(), m.exportDense(), (t, key) -> published.getOrDefault(t, Map.of()).get(key));
  }

  /** What {@code m} publishes after three training steps: rows by table, item vectors included. */
  private static Map<Table, Map<String, float[]>> publish(CandidateModel m, boolean searches) {
    Random r = new Random(3);
    for (int s = 0; s < 3; s++) {
      List<Instance> b = batch(r, 64);
      m.train(searches ? TestData.withSearches(b) : b, s);
    }
    Map<Table, Map<String, float[]>> published = new HashMap<>();
    ChangeSet all = m.drainChanges();
    for (Table t : Table.values()) {
      for (String key : all.updated(t)) {
        float[] row = t == Table.ITEM_OUTPUT ? m.itemVector(key) : m.exportRow(t, key);
        published.computeIfAbsent(t, x -> new HashMap<>()).put(key, row);
      }
    }
    return published;
  }

  @AfterAll
  static void release() {
    model = null;
    tower = null;
    cachedTower = null;
  }

  /** Windows of every length from empty to longer than maxWindow, some unknown items. */
  private static List<Instance> batch(Random r, int n) {
    List<Instance> out = new ArrayList<>(n);
    for (int b = 0; b < n; b++) {
      int u = r.nextInt(200);
      int len = r.nextInt(26);
      List<Item> h = new ArrayList<>();
      for (int t = 0; t < len; t++) {
        h.add(TestData.item(r.nextInt(ITEMS + 20), CATS));
      }
      out.add(new Instance(TestData.context(u, h), TestData.item(r.nextInt(ITEMS), CATS)));
    }
    return out;
  }

  private static List<UserContext> users(long seed, int n) {
    List<UserContext> out = new ArrayList<>(n);
    for (Instance i : batch(new Random(seed), n)) {
      out.add(i.context());
    }
    return out;
  }

  @Test
  void shouldAgreeBetweenNd4jAndPlainJavaKernelsWithinFloatRounding() {
    assertKernelsAgree(tower);
  }

  @Test
  void shouldAgreeBetweenKernelsForEveryPoolingAndOutputActivation() {
    for (SequencePooling pooling : SequencePooling.values()) {
      for (Activation act : Activation.values()) {
        ModelConfig cfg =
            ModelConfig.reference()
                .featAppearLimit(1)
                .seed(9)
                .pooling(pooling)
                .userActivation(act)
                .loss(LossType.SHARED_SAMPLED_SOFTMAX)
                .numNegatives(64)
                .inBatchNegatives(true)
                .dropout(0.2)
                .build();
        assertKernelsAgree(publishedTower(CandidateModel.create(cfg)));
      }
    }
  }

  @Test
  void shouldReadTiedItemEmbeddingsFromTheOutputRowsInBothKernelsAndMatchTheModel() {
    ModelConfig cfg =
        ModelConfig.reference()
            .featAppearLimit(1)
            .seed(9)
            .pooling(SequencePooling.LAST)
            .userActivation(Activation.LINEAR)
            .userVectorDim(64)
            .tieItemEmbeddings(true)
            .loss(LossType.SHARED_SAMPLED_SOFTMAX)
            .numNegatives(64)
            .build();
    CandidateModel m = CandidateModel.create(cfg);
    UserTower tied = publishedTower(m);
    assertKernelsAgree(tied);
    List<UserContext> users = users(5, 40);
    float[][] fromModel = m.userVectors(users);
    float[][] fromTower = tied.userVectors(users);
    for (int b = 0; b < users.size(); b++) {
      assertThat(fromTower[b]).as("user %d", b).containsExactly(fromModel[b]);
    }
  }

  @Test
  void shouldServeCosineScoresAndTheLastItemSkipFromPublishedUnitItemVectorsAsTheModelDoes() {
    double tau = 0.1;
    ModelConfig cfg =
        ModelConfig.builder()
            .featAppearLimit(1)
            .seed(9)
            .temperature(tau)
            .lastItemSkip(true)
            .skipDecay(0.6)
            .numNegatives(64)
            .build();
    CandidateModel m = CandidateModel.create(cfg);
    UserTower tied = publishedTower(m);
    assertKernelsAgree(tied);
    List<UserContext> users = users(6, 40);
    float[][] fromModel = m.userVectors(users);
    float[][] fromTower = tied.userVectors(users);
    for (int b = 0; b < users.size(); b++) {
      double norm = 0;
      for (int j = 1; j < fromModel[b].length; j++) {
        norm += (double) fromModel[b][j] * fromModel[b][j];
        // The published vectors are already unit: normalising them again moves float rounding only.
        assertThat((double) fromTower[b][j])
            .as("user %d component %d", b, j)
            .isCloseTo(fromModel[b][j], org.assertj.core.data.Offset.offset(1e-4));
      }
      assertThat(fromModel[b][0]).isEqualTo(1f);
      assertThat(Math.sqrt(norm))
          .as("|u| = 1/τ")
          .isCloseTo(1 / tau, org.assertj.core.data.Offset.offset(1e-3));
    }
    for (String id : m.itemVectors().ids()) {
      float[] v = m.itemVector(id);
      double s = 0;
      for (int j = 1; j < v.length; j++) {
        s += (double) v[j] * v[j];
      }
      assertThat(Math.sqrt(s))
          .as("|w| of item %s", id)
          .isCloseTo(1, org.assertj.core.data.Offset.offset(1e-5));
    }
  }

  @Test
  void shouldServeSearchTokensFromPublishedRowsInBothKernelsAsTheModelDoes() {
    ModelConfig cfg =
        ModelConfig.builder().featAppearLimit(1).seed(9).numNegatives(64).searchDim(8).build();
    CandidateModel m = CandidateModel.create(cfg);
    UserTower published = publishedTower(m, true);
    List<UserContext> users = new ArrayList<>();
    for (Instance i : TestData.withSearches(batch(new Random(7), 40))) {
      users.add(i.context());
    }
    float[][] fromModel = m.userVectors(users);
    float[][] nd4j = published.userVectors(users, UserTower.Kernel.ND4J);
    float[][] plain = published.userVectors(users, UserTower.Kernel.PLAIN_JAVA);
    List<UserContext> withoutTokens = users(7, 40);
    float[][] blind = published.userVectors(withoutTokens, UserTower.Kernel.PLAIN_JAVA);
    int differ = 0;
    for (int b = 0; b < users.size(); b++) {
      for (int j = 0; j < fromModel[b].length; j++) {
        assertThat((double) nd4j[b][j])
            .as("user %d component %d (ND4J)", b, j)
            .isCloseTo(fromModel[b][j], org.assertj.core.data.Offset.offset(1e-4));
        assertThat((double) plain[b][j])
            .as("user %d component %d (plain Java)", b, j)
            .isCloseTo(fromModel[b][j], org.assertj.core.data.Offset.offset(1e-4));
      }
      if (!users.get(b).history().isEmpty() && !java.util.Arrays.equals(plain[b], blind[b])) {
        differ++;
      }
    }
    assertThat(differ).as("the search tokens change the user vector").isGreaterThan(20);
  }

  private static void assertKernelsAgree(UserTower tower) {
    for (int n : new int[] {1, 8, 64, 256}) {
      List<UserContext> users = users(n, n);
      float[][] nd4j = tower.userVectors(users, UserTower.Kernel.ND4J);
      float[][] plain = tower.userVectors(users, UserTower.Kernel.PLAIN_JAVA);
      float[][] scalarGates = tower.userVectors(users, UserTower.Kernel.PLAIN_JAVA_SCALAR_GATES);
      assertThat(plain).hasSameDimensionsAs(nd4j);
      int nonZero = 0;
      for (int b = 0; b < n; b++) {
        // Relative to the user vector's largest component (ReLU outputs may be exactly 0).
        double scale = 1e-3;
        for (int j = 1; j < nd4j[b].length; j++) {
          scale = Math.max(scale, Math.abs(nd4j[b][j]));
        }
        for (int j = 0; j < nd4j[b].length; j++) {
          assertThat((double) plain[b][j])
              .as("batch %d user %d component %d", n, b, j)
              .isCloseTo(nd4j[b][j], org.assertj.core.data.Offset.offset(1e-5 * scale));
          assertThat((double) scalarGates[b][j])
              .as("batch %d user %d component %d, scalar gates", n, b, j)
              .isCloseTo(nd4j[b][j], org.assertj.core.data.Offset.offset(1e-5 * scale));
          if (j > 0 && nd4j[b][j] != 0) {
            nonZero++;
          }
        }
      }
      assertThat(nonZero).as("the tower must produce non-trivial vectors").isGreaterThan(n);
    }
  }

  @Test
  void shouldGiveAUserTheSameBitsAloneAsInABlockOfOthers() {
    // The plain kernel runs users through its products in blocks (four rows at a time); a user's
    // vector must not depend on who shares the block, nor on the window lengths beside it.
    UserTower defaults =
        publishedTower(
            CandidateModel.create(ModelConfig.builder().featAppearLimit(1).seed(4).build()));
    for (UserTower t : List.of(tower, defaults)) {
      List<UserContext> users = users(77, 19);
      float[][] together = t.userVectors(users, UserTower.Kernel.PLAIN_JAVA);
      for (int b = 0; b < users.size(); b++) {
        float[][] alone = t.userVectors(List.of(users.get(b)), UserTower.Kernel.PLAIN_JAVA);
        assertThat(together[b]).as("user %d", b).containsExactly(alone[0]);
        assertThat(t.userVectors(users, UserTower.Kernel.PLAIN_JAVA_ONE_USER)[b])
            .as("user %d, one user at a time", b)
            .containsExactly(alone[0]);
      }
    }
  }

  @Test
  void shouldGiveTheFullModelsVectorsForSmallAndLargeBatches() {
    for (int n :
        new int[] {1, UserTower.PLAIN_JAVA_MAX_BATCH, UserTower.PLAIN_JAVA_MAX_BATCH + 1}) {
      List<UserContext> users = users(100 + n, n);
      float[][] full = model.userVectors(users);
      float[][] ro = tower.userVectors(users);
      for (int b = 0; b < n; b++) {
        assertThat(ro[b]).containsExactly(full[b]);
      }
    }
  }

  @Test
  void shouldGiveTheSameBitsWithTheCacheOfInputRowsAsWithoutItAndCountItsHits() {
    ModelConfig tiedCosine =
        ModelConfig.builder().featAppearLimit(1).seed(9).temperature(0.1).build();
    for (ModelConfig cfg :
        List.of(
            ModelConfig.reference().featAppearLimit(1).seed(9).build(),
            ModelConfig.builder().featAppearLimit(1).seed(4).build(),
            tiedCosine)) {
      CandidateModel m = CandidateModel.create(cfg);
      Map<Table, Map<String, float[]>> published = publish(m, false);
      RowSource rows = (t, key) -> published.getOrDefault(t, Map.of()).get(key);
      UserTower plain = new UserTower(cfg, m.exportDense(), rows);
      // 16 slots for 320 items: most lookups collide, so eviction is exercised as well as hits.
      for (int slots : new int[] {16, 4096}) {
        ProjectionCounters counters = new ProjectionCounters();
        UserTower cached = new UserTower(cfg, m.exportDense(), rows, slots, counters);
        for (int round = 0; round < 3; round++) {
          for (int n : new int[] {1, 7, 40}) {
            List<UserContext> users = users(300 + n, n);
            float[][] want = plain.userVectors(users, UserTower.Kernel.PLAIN_JAVA);
            float[][] got = cached.userVectors(users, UserTower.Kernel.PLAIN_JAVA);
            for (int b = 0; b < n; b++) {
              assertThat(got[b])
                  .as("%s, %d slots, round %d, user %d of %d", cfg, slots, round, b, n)
                  .containsExactly(want[b]);
            }
          }
        }
        assertThat(counters.misses()).as("first sight of each item").isPositive();
        assertThat(counters.hits()).as("the same windows again").isPositive();
        if (slots == 4096) {
          // Rounds 2 and 3 find every item of rounds 1 (no collisions at 4096 slots is not
          // guaranteed, so require most, not all).
          assertThat(counters.hits()).isGreaterThan(counters.misses());
        }
      }
    }
  }

  @Test
  void shouldRecomputeAnItemsInputRowOnceASnapshotReplacesItsRow() {
    ModelConfig cfg = ModelConfig.builder().featAppearLimit(1).seed(4).build();
    CandidateModel m = CandidateModel.create(cfg);
    Map<Table, Map<String, float[]>> published = publish(m, false);
    RowSource rows = (t, key) -> published.getOrDefault(t, Map.of()).get(key);
    UserTower cached = new UserTower(cfg, m.exportDense(), rows, 4096, new ProjectionCounters());
    List<UserContext> users = users(31, 40);
    float[][] before = cached.userVectors(users);
    // A snapshot replaces rows with new arrays: every item vector here, scaled.
    Map<String, float[]> items = published.get(Table.ITEM_OUTPUT);
    for (Map.Entry<String, float[]> e : items.entrySet()) {
      float[] v = e.getValue().clone();
      for (int j = 0; j < v.length; j++) {
        v[j] *= 1.5f;
      }
      e.setValue(v);
    }
    float[][] after = cached.userVectors(users);
    float[][] fresh = new UserTower(cfg, m.exportDense(), rows).userVectors(users);
    int changed = 0;
    for (int b = 0; b < users.size(); b++) {
      assertThat(after[b]).as("user %d", b).containsExactly(fresh[b]);
      if (!java.util.Arrays.equals(before[b], after[b])) {
        changed++;
      }
    }
    assertThat(changed).as("users whose vector moved with the rows").isGreaterThan(30);
  }

  @Test
  void shouldRefuseANegativeCacheSize() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new UserTower(
                    model.config(),
                    model.exportDense(),
                    (t, k) -> null,
                    -1,
                    new ProjectionCounters()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("projectionSlots");
  }

  @Test
  void shouldGiveIdenticalVectorsToConcurrentReaders() throws Exception {
    for (UserTower t : List.of(tower, cachedTower)) {
      assertConcurrentReadersAgree(t);
    }
  }

  private static void assertConcurrentReadersAgree(UserTower tower) throws Exception {
    int[] sizes = {1, 3, 8, UserTower.PLAIN_JAVA_MAX_BATCH + 1, 64};
    Map<Integer, float[][]> expected = new HashMap<>();
    for (int n : sizes) {
      expected.put(n, UserTowerTest.tower.userVectors(users(200 + n, n)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Boolean>> tasks = new ArrayList<>();
      for (int task = 0; task < 16; task++) {
        int n = sizes[task % sizes.length];
        tasks.add(
            () -> {
              for (int rep = 0; rep < 3; rep++) {
                float[][] got = tower.userVectors(users(200 + n, n));
                for (int b = 0; b < n; b++) {
                  assertThat(got[b]).containsExactly(expected.get(n)[b]);
                }
              }
              return true;
            });
      }
      for (Future<Boolean> f : pool.invokeAll(tasks)) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdown();
    }
  }
}
