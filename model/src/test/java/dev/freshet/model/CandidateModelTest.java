package dev.freshet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CandidateModelTest {
  private static final int USERS = 24;
  private static final int ITEMS = 40;
  private static final int CATS = 4;

  private static CandidateModel trained(ModelConfig cfg, int steps, List<Double> losses) {
    CandidateModel m = CandidateModel.create(cfg);
    Random r = new Random(1);
    for (int s = 0; s < steps; s++) {
      TrainStats st = m.train(TestData.batch(r, 32, USERS, ITEMS, CATS), s);
      if (losses != null) {
        losses.add(st.loss());
      }
    }
    return m;
  }

  private static double mean(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }

  @Test
  void shouldCountItemsAndFindTheLargestItemNormWithoutCopyingTheMatrix() {
    CandidateModel m = trained(TestData.small().build(), 20, new java.util.ArrayList<>());
    ItemVectors all = m.itemVectors();
    double max = 0;
    for (int i = 0; i < all.size(); i++) {
      double s = 0;
      for (float x : all.vector(i)) {
        s += (double) x * x;
      }
      max = Math.max(max, Math.sqrt(s));
    }
    assertThat(all.size()).isPositive();
    assertThat(m.itemCount()).isEqualTo(all.size());
    assertThat(m.maxItemNorm()).isEqualTo((float) max);
  }

  @Test
  void shouldReduceLossAndRankTheUsersCategoryFirstOnLearnableProblem() {
    for (LossType loss : LossType.values()) {
      List<Double> losses = new ArrayList<>();
      ModelConfig.Builder cfg = TestData.small().loss(loss);
      if (loss == LossType.SHARED_SAMPLED_SOFTMAX) {
        // Negatives are per batch here: 16 shared by the 32 examples, plus the batch's targets.
        cfg.numNegatives(16).inBatchNegatives(true);
      }
      CandidateModel m = trained(cfg.build(), 150, losses);
      double first = mean(losses.subList(0, 15));
      double last = mean(losses.subList(losses.size() - 15, losses.size()));
      assertThat(last)
          .as("%s loss first %.3f last %.3f", loss, first, last)
          .isLessThan(0.7 * first);

      ItemVectors items = m.itemVectors();
      int hits = 0;
      int total = 0;
      for (int u = 0; u < USERS; u++) {
        float[] uv = m.userVectors(List.of(TestData.context(u, List.of()))).clone()[0];
        for (ScoredItem s : Mips.topK(items, uv, 5)) {
          int i = Integer.parseInt(s.itemId().substring(1));
          hits += i % CATS == u % CATS ? 1 : 0;
          total++;
        }
      }
      assertThat((double) hits / total)
          .as("%s in-category share of top-5", loss)
          .isGreaterThan(0.8);
    }
  }

  @Test
  void shouldStartNewOutputRowsAtTheItemsLogPriorWithZeroWeights() {
    UserContext ctx = TestData.context(1, List.of());
    Instance a = new Instance(ctx, Item.of("a", "c1"));
    Instance b = new Instance(ctx, Item.of("b", "c1"));
    // Importing an ITEM row admits the item's output row with its initial value, untrained.
    CandidateModel imp = CandidateModel.create(TestData.small().featAppearLimit(2).build());
    imp.train(List.of(a, a, b, b, b, b), 0);
    imp.importRow(Table.ITEM, "new", new float[TestData.small().build().itemDim()]);
    float[] row = imp.itemVector("new");
    assertThat(row).hasSize(8);
    // 6 target clicks counted (a: 2, b: 4); "new" gets the limit (2): log(2 / 8)
    assertThat(row[0]).isEqualTo((float) Math.log(2.0 / 8.0));
    for (int j = 1; j < row.length; j++) {
      assertThat(row[j]).as("w[%d]", j).isZero();
    }
    assertThat(imp.itemVectors().ids()).containsExactlyInAnyOrder("a", "b", "new");
  }

  @Test
  void shouldNotRankNeverTrainedItemsAboveTrainedOnesTheUsersHistoryPredicts() {
    // Reference output layer: NCE, 5 negatives from count^0.75 (the bug showed with these).
    ModelConfig cfg =
        TestData.small().loss(LossType.NCE).numNegatives(5).samplerPower(0.75).build();
    CandidateModel m = trained(cfg, 150, null);
    for (int i = 0; i < 200; i++) {
      m.importRow(Table.ITEM, "fresh" + i, new float[cfg.itemDim()]);
    }
    ItemVectors items = m.itemVectors();
    assertThat(items.ids()).hasSize(ITEMS + 200);
    Random r = new Random(5);
    int inCategory = 0;
    int total = 0;
    for (int u = 0; u < USERS; u++) {
      List<Item> h = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        h.add(TestData.item(TestData.randomItemOf(r, u % CATS, ITEMS, CATS), CATS));
      }
      float[] uv = m.userVectors(List.of(TestData.context(u, h)))[0];
      for (ScoredItem s : Mips.topK(items, uv, 5)) {
        assertThat(s.itemId()).as("top-5 of user %d", u).doesNotStartWith("fresh");
        int i = Integer.parseInt(s.itemId().substring(1));
        inCategory += i % CATS == u % CATS ? 1 : 0;
        total++;
      }
    }
    assertThat((double) inCategory / total).isGreaterThan(0.8);
  }

  @Test
  void shouldGiveIdenticalModelsForTheSameSeedAndDifferentOnesForAnother() {
    ModelConfig cfg = TestData.small().build();
    CandidateModel a = trained(cfg, 5, null);
    CandidateModel b = trained(cfg, 5, null);
    CandidateModel c = trained(cfg.toBuilder().seed(99).build(), 5, null);
    UserContext ctx = TestData.context(3, List.of(TestData.item(3, CATS), TestData.item(7, CATS)));
    assertThat(a.userVectors(List.of(ctx))[0]).containsExactly(b.userVectors(List.of(ctx))[0]);
    assertThat(a.itemVector("i3")).containsExactly(b.itemVector("i3"));
    for (DenseTensor t : a.exportDense()) {
      assertThat(b.exportDense()).contains(t);
    }
    assertThat(a.userVectors(List.of(ctx))[0]).isNotEqualTo(c.userVectors(List.of(ctx))[0]);
  }

  @Test
  void shouldNeverTrainOnOrRecommendItemsBeforeAdmission() {
    CandidateModel m = CandidateModel.create(TestData.small().featAppearLimit(3).build());
    UserContext ctx = TestData.context(1, List.of());
    Instance click = new Instance(ctx, Item.of("new", "c1"));
    TrainStats first = m.train(List.of(click, click), 0);
    assertThat(first.trained()).isZero();
    assertThat(first.skipped()).isEqualTo(2);
    assertThat(m.itemVector("new")).isNull();
    assertThat(m.itemVectors().ids()).doesNotContain("new");
    assertThat(m.isAdmitted(Table.ITEM, "new")).isFalse();
    TrainStats third = m.train(List.of(click), 1);
    assertThat(third.trained()).isEqualTo(1);
    assertThat(m.itemVectors().ids()).containsExactly("new");
    assertThat(m.isAdmitted(Table.ITEM_OUTPUT, "new")).isTrue();
  }

  @Test
  void shouldUpdateOnlyRowsTheBatchTouches() {
    CandidateModel m = trained(TestData.small().build(), 3, null);
    m.drainChanges();
    float[] otherUser = m.exportRow(Table.USER, "u5");
    assertThat(otherUser).isNotNull();
    List<Item> h = List.of(TestData.item(1, CATS));
    Instance inst = new Instance(TestData.context(1, h), TestData.item(9, CATS));
    m.train(List.of(inst), 10);
    ChangeSet c = m.drainChanges();
    assertThat(c.updated(Table.USER)).containsExactly("u1");
    assertThat(c.updated(Table.ITEM)).containsExactly("i1");
    assertThat(c.changedItems()).contains("i9").hasSizeLessThanOrEqualTo(1 + 5);
    assertThat(c.denseChanged()).isTrue();
    assertThat(m.exportRow(Table.USER, "u5")).containsExactly(otherUser);
    assertThat(m.drainChanges().isEmpty()).isTrue();
  }

  @Test
  void shouldServeFirstClickUsersAndCutLongHistoriesToTheWindow() {
    CandidateModel m = trained(TestData.small().build(), 3, null);
    float[] empty = m.userVectors(List.of(TestData.context(2, List.of())))[0];
    assertThat(empty).hasSize(8);
    assertThat(empty[0]).isEqualTo(1f);
    for (float v : empty) {
      assertThat(Float.isFinite(v)).isTrue();
    }
    List<Item> recent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      recent.add(TestData.item(i, CATS));
    }
    List<Item> longer = new ArrayList<>();
    longer.add(TestData.item(20, CATS));
    longer.add(TestData.item(21, CATS));
    longer.addAll(recent);
    assertThat(m.userVectors(List.of(TestData.context(2, longer)))[0])
        .containsExactly(m.userVectors(List.of(TestData.context(2, recent)))[0]);
  }

  @Test
  void shouldGiveIdenticalUserVectorsFromReadOnlyTowerBuiltFromExports() {
    CandidateModel m = trained(TestData.small().build(), 5, null);
    ChangeSet all = m.drainChanges();
    Map<Table, Map<String, float[]>> published = new HashMap<>();
    for (Table t : Table.values()) {
      for (String key : all.updated(t)) {
        published.computeIfAbsent(t, x -> new HashMap<>()).put(key, m.exportRow(t, key));
      }
    }
    UserTower tower =
        new UserTower(
            m.config(), m.exportDense(), (t, key) -> published.getOrDefault(t, Map.of()).get(key));
    List<UserContext> users = new ArrayList<>();
    Random r = new Random(4);
    for (Instance i : TestData.batch(r, 20, USERS + 5, ITEMS + 8, CATS)) {
      users.add(i.context());
    }
    float[][] full = m.userVectors(users);
    float[][] ro = tower.userVectors(users);
    for (int b = 0; b < users.size(); b++) {
      assertThat(ro[b]).containsExactly(full[b]);
    }
  }

  @Test
  void shouldRoundTripRowsAndDenseTensorsThroughImport() {
    CandidateModel src = trained(TestData.small().build(), 4, null);
    CandidateModel dst = CandidateModel.create(TestData.small().seed(5).build());
    for (DenseTensor t : src.exportDense()) {
      dst.importDense(t);
    }
    ChangeSet all = src.drainChanges();
    for (Table t : Table.values()) {
      for (String key : all.updated(t)) {
        dst.importRow(t, key, src.exportRow(t, key));
      }
    }
    UserContext ctx = TestData.context(1, List.of(TestData.item(1, CATS)));
    assertThat(dst.userVectors(List.of(ctx))[0]).containsExactly(src.userVectors(List.of(ctx))[0]);
    assertThat(dst.itemVectors().ids()).isEqualTo(src.itemVectors().ids());
    assertThatThrownBy(() -> dst.importDense(new DenseTensor("fc1.w", 1, 1, new float[] {1})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fc1.w");
    assertThatThrownBy(() -> dst.importRow(Table.USER, "x", new float[1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("USER");
  }

  @Test
  void shouldExpireIdleRowsAndDropExpiredItemsFromCandidates() {
    CandidateModel m = CandidateModel.create(TestData.small().rowExpiryMillis(1_000).build());
    UserContext ctx = TestData.context(1, List.of());
    m.train(List.of(new Instance(ctx, Item.of("old", "c1"))), 0);
    m.train(List.of(new Instance(ctx, Item.of("fresh", "c1"))), 1_500);
    m.drainChanges();
    assertThat(m.expire(2_000)).isGreaterThanOrEqualTo(1);
    assertThat(m.itemVectors().ids()).containsExactly("fresh");
    ChangeSet c = m.drainChanges();
    assertThat(c.removed(Table.ITEM)).containsExactly("old");
    assertThat(c.removed(Table.ITEM_OUTPUT)).containsExactly("old");
    assertThat(m.isAdmitted(Table.USER, "u1")).isTrue();
    Set<String> negatives = new HashSet<>();
    for (int s = 0; s < 5; s++) {
      m.train(List.of(new Instance(ctx, Item.of("fresh", "c1"))), 1_600 + s);
      negatives.addAll(m.drainChanges().changedItems());
    }
    assertThat(negatives).containsExactly("fresh");
  }

  @Test
  void shouldReadExampleAgeOnlyWhenEnabled() {
    CandidateModel off = CandidateModel.create(TestData.small().build());
    CandidateModel on = CandidateModel.create(TestData.small().useExampleAge(true).build());
    UserContext young = new UserContext("u", null, null, null, List.of(), 0f);
    UserContext old = new UserContext("u", null, null, null, List.of(), 5f);
    assertThat(off.userVectors(List.of(young))[0])
        .containsExactly(off.userVectors(List.of(old))[0]);
    assertThat(on.userVectors(List.of(young))[0]).isNotEqualTo(on.userVectors(List.of(old))[0]);
  }
}
