package dev.freshet.model.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.model.Table;
import org.junit.jupiter.api.Test;

class SparseTableTest {
  private static SparseTable table(int limit) {
    return new SparseTable(Table.TAG, 4, limit, 9, true, 0.1, true, false);
  }

  @Test
  void shouldMapValueToUnkUntilSeenFeatAppearLimitTimes() {
    SparseTable t = table(3);
    t.observe("a", 1);
    t.observe("a", 2);
    assertThat(t.lookup("a")).isSameAs(t.unk());
    t.observe("a", 3);
    assertThat(t.lookup("a")).isNotSameAs(t.unk());
    assertThat(t.lookup("a").admitted()).isTrue();
    assertThat(t.lookup(null)).isSameAs(t.unk());
    assertThat(t.lookup("never")).isSameAs(t.unk());
  }

  @Test
  void shouldInitialiseRowsFromSeedAndKeyIndependentlyOfArrivalOrder() {
    SparseTable a = table(1);
    SparseTable b = table(1);
    a.observe("x", 0);
    a.observe("y", 0);
    b.observe("y", 0);
    b.observe("x", 0);
    assertThat(a.lookup("x").value()).containsExactly(b.lookup("x").value());
    assertThat(a.lookup("x").value()).isNotEqualTo(a.lookup("y").value());
  }

  @Test
  void shouldKeepTotalCountEqualToTheSumOfEntryCounts() {
    SparseTable t = table(3);
    t.observe("a", 1);
    t.observe("a", 2);
    t.observe("b", 3);
    t.observe(null, 3);
    assertThat(t.totalCount()).isEqualTo(3);
    t.ensureAdmitted("b", 4);
    assertThat(t.totalCount()).isEqualTo(5);
    t.remove("a");
    assertThat(t.totalCount()).isEqualTo(3);
    t.observe("c", 10);
    t.expire(10, 5);
    assertThat(t.totalCount()).isEqualTo(1);
    SparseTable restored = table(3);
    for (Entry e : t.entries()) {
      restored.restore(e.key(), e.count(), e.lastSeenMillis(), e.value(), e.accumulator());
    }
    restored.restore("c", 1, 10, null, null);
    assertThat(restored.totalCount()).isEqualTo(t.totalCount());
  }

  @Test
  void shouldStartOutputRowsWithZeroWeightsAndTheGivenBias() {
    SparseTable out = new SparseTable(Table.ITEM_OUTPUT, 4, 1, 9, true, 0.1, false, true);
    out.setInitialBias(key -> key.equals("x") ? -3.25 : -1.5);
    assertThat(out.ensureAdmitted("x", 0).value()).containsExactly(-3.25, 0, 0, 0);
    assertThat(out.ensureAdmitted("y", 0).value()).containsExactly(-1.5, 0, 0, 0);
    out.setInitialBias(key -> Double.NEGATIVE_INFINITY);
    assertThatThrownBy(() -> out.ensureAdmitted("z", 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("non-finite initial bias");
  }

  @Test
  void shouldStoreFloatRepresentableValuesInSinglePrecision() {
    SparseTable t = table(1);
    Entry e = t.observe("x", 0);
    t.adagrad(e, new double[] {0.1, 0.2, 0.3, 0.4}, 0.05);
    for (double v : e.value()) {
      assertThat((double) (float) v).isEqualTo(v);
    }
  }

  @Test
  void shouldKeepSinglePrecisionRowsAsFloatsAndDoublePrecisionRowsLive() {
    Entry single = table(1).observe("x", 0);
    assertThat(single.floatValue()).hasSize(4);
    assertThat(single.value()).containsExactly(toDoubles(single.floatValue()));
    Entry dbl = new SparseTable(Table.TAG, 4, 1, 9, false, 0.1, true, false).observe("x", 0);
    assertThat(dbl.floatValue()).isNull();
    assertThat(dbl.value()).isSameAs(dbl.value());
    assertThat(dbl.value()).isNotEqualTo(toDoubles(single.floatValue()));
  }

  private static double[] toDoubles(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  @Test
  void shouldApplyAdagradOnlyToTheGivenRowAndRecordIt() {
    SparseTable t = table(1);
    Entry x = t.observe("x", 0);
    Entry y = t.observe("y", 0);
    t.drainUpdated();
    double[] yBefore = y.value().clone();
    double x0 = x.value()[0];
    t.adagrad(x, new double[] {1, 0, 0, 0}, 0.1);
    assertThat(x.value()[0]).isLessThan(x0);
    assertThat(y.value()).containsExactly(yBefore);
    assertThat(t.drainUpdated()).containsExactly("x");
    assertThat(t.drainUpdated()).isEmpty();
  }

  @Test
  void shouldExpireRowsIdleLongerThanTtlButNeverUnk() {
    SparseTable t = table(1);
    t.observe("old", 1_000);
    t.observe("fresh", 9_000);
    t.observe("pending", 1_000);
    t.drainUpdated();
    assertThat(t.expire(10_000, 5_000)).containsExactlyInAnyOrder("old", "pending");
    assertThat(t.lookup("old")).isSameAs(t.unk());
    assertThat(t.lookup("fresh")).isNotSameAs(t.unk());
    assertThat(t.drainRemoved()).containsExactlyInAnyOrder("old", "pending");
    assertThat(t.unk().admitted()).isTrue();
  }

  @Test
  void shouldRejectRowOfWrongWidth() {
    SparseTable t = table(1);
    Entry e = t.observe("x", 0);
    assertThatThrownBy(() -> t.setRow(e, new double[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4");
  }

  @Test
  void shouldHandAReplicaTheRowAndTheAccumulatorSoItsNextStepIsTheSendersStep() {
    SparseTable a = table(1);
    SparseTable b = table(1);
    a.trackDeltas();
    b.trackDeltas();
    Entry ea = a.observe("x", 0);
    a.adagrad(ea, new double[] {0.5, -1, 2, 0}, 0.1);
    a.adagrad(ea, new double[] {0.25, 1, -3, 0}, 0.1);
    SparseTable.Drained d = a.drain();
    assertThat(d.deltas()).containsOnlyKeys("x");
    // The squared gradients summed: 0.25 + 0.0625, 1 + 1, 4 + 9, 0 (up to float rounding).
    assertThat(d.accumulators().get("x"))
        .containsExactly(
            new float[] {0.3125f, 2f, 13f, 0f}, org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(d.counts()).containsEntry("x", 1L);

    Entry eb = b.ensureAdmitted("x", 0);
    b.addToRow(eb, d.deltas().get("x"));
    b.addToAccumulator(eb, d.accumulators().get("x"));
    assertThat(eb.accumulator()).containsExactly(ea.accumulator());
    assertThat(b.drain().deltas()).as("merged, not trained here").isEmpty();

    double[] g = {1, 1, 1, 1};
    a.adagrad(ea, g, 0.1);
    b.adagrad(eb, g, 0.1);
    for (int i = 0; i < 4; i++) {
      assertThat(eb.value()[i])
          .isCloseTo(ea.value()[i], org.assertj.core.api.Assertions.within(1e-6));
    }
  }

  @Test
  void shouldLeaveRowsRemovedInTheIntervalOutAndDrainARowAdmittedAgainFromItsNewStart() {
    SparseTable t = table(1);
    t.trackDeltas();
    Entry gone = t.observe("gone", 1_000);
    t.adagrad(gone, new double[] {1, 1, 1, 1}, 0.1);
    Entry back = t.observe("back", 1_000);
    t.adagrad(back, new double[] {1, 0, 0, 0}, 0.1);
    Entry kept = t.observe("kept", 9_000);
    t.adagrad(kept, new double[] {0, 1, 0, 0}, 0.1);
    assertThat(t.expire(10_000, 5_000)).containsExactlyInAnyOrder("gone", "back");
    Entry again = t.observe("back", 10_000);
    assertThat(again).isNotSameAs(back);
    double[] start = again.value().clone();
    t.adagrad(again, new double[] {0, 0, 2, 0}, 0.1);

    SparseTable.Drained d = t.drain();
    assertThat(d.deltas()).containsOnlyKeys("kept", "back");
    float[] delta = d.deltas().get("back");
    for (int i = 0; i < 4; i++) {
      assertThat((double) delta[i])
          .as("element %d: the new row's own step, not the removed one's", i)
          .isCloseTo(again.value()[i] - start[i], org.assertj.core.api.Assertions.within(1e-7));
    }
    assertThat(d.initials()).as("admitted in the interval").containsOnlyKeys("back", "kept");
    assertThat(d.initials().get("back")[2]).isEqualTo((float) start[2]);
    assertThat(t.drain().deltas()).as("the next interval starts empty").isEmpty();

    t.untrackDeltas();
    t.adagrad(kept, new double[] {1, 1, 1, 1}, 0.1);
    t.trackDeltas();
    assertThat(t.drain().deltas()).as("steps while untracked are not recorded").isEmpty();
  }
}
