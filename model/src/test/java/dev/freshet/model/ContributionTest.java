package dev.freshet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Contributions: the own training of a replica as deltas, and merging them into another. */
class ContributionTest {

  private static final ModelConfig CFG = TestData.small().build();

  private static List<List<Instance>> batches(long seed, int n) {
    Random r = new Random(seed);
    List<List<Instance>> out = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(TestData.batch(r, 16, 10, 20, 4));
    }
    return out;
  }

  private static void train(CandidateModel m, List<List<Instance>> batches) {
    long t = 0;
    for (List<Instance> b : batches) {
      m.train(b, t++);
    }
  }

  private static Map<String, float[]> rows(CandidateModel m, Table t) {
    Map<String, float[]> out = new HashMap<>();
    for (String k : m.keys(t)) {
      float[] v = m.exportRow(t, k);
      if (v != null) {
        out.put(k, v);
      }
    }
    return out;
  }

  private static Map<String, float[]> dense(CandidateModel m) {
    Map<String, float[]> out = new HashMap<>();
    for (DenseTensor d : m.exportDense()) {
      out.put(d.name(), d.values());
    }
    return out;
  }

  @Test
  void shouldTrainBitForBitTheSameWhetherContributionsAreTrackedOrNot() {
    CandidateModel plain = CandidateModel.create(CFG);
    CandidateModel tracked = CandidateModel.create(CFG);
    tracked.trackContributions();
    List<List<Instance>> data = batches(1, 6);
    train(plain, data.subList(0, 3));
    train(tracked, data.subList(0, 3));
    tracked.drainContribution();
    train(plain, data.subList(3, 6));
    train(tracked, data.subList(3, 6));
    assertThat(tracked.exportDense()).containsExactlyElementsOf(plain.exportDense());
    for (Table t : Table.values()) {
      Map<String, float[]> a = rows(plain, t);
      Map<String, float[]> b = rows(tracked, t);
      assertThat(b.keySet()).isEqualTo(a.keySet());
      a.forEach((k, v) -> assertThat(b.get(k)).as(t + "/" + k).containsExactly(v));
    }
  }

  @Test
  void shouldReportOwnTrainingAsTheValueNowMinusTheValueBefore() {
    CandidateModel m = CandidateModel.create(CFG);
    train(m, batches(2, 2));
    m.trackContributions();
    Map<Table, Map<String, float[]>> before = new HashMap<>();
    for (Table t : Table.values()) {
      before.put(t, rows(m, t));
    }
    Map<String, float[]> denseBefore = dense(m);
    train(m, batches(3, 3));
    Contribution c = m.drainContribution();

    assertThat(c.rowCount()).isPositive();
    assertThat(c.dense()).isNotEmpty();
    for (Table t : Table.values()) {
      Map<String, float[]> now = rows(m, t);
      Map<String, float[]> deltas = c.rows().getOrDefault(t, Map.of());
      for (Map.Entry<String, float[]> e : now.entrySet()) {
        float[] was = before.get(t).get(e.getKey());
        float[] d = deltas.get(e.getKey());
        if (was == null) {
          // Admitted in the interval: the delta is its training from its initial value, which is
          // the same everywhere (from the seed and the key); present only if it trained.
          continue;
        }
        for (int i = 0; i < was.length; i++) {
          float expected = e.getValue()[i] - was[i];
          assertThat(d == null ? 0f : d[i])
              .as(t + "/" + e.getKey())
              .isCloseTo(expected, within(1e-6f));
        }
      }
    }
    for (DenseTensor d : c.dense()) {
      float[] now = dense(m).get(d.name());
      float[] was = denseBefore.get(d.name());
      for (int i = 0; i < now.length; i++) {
        assertThat(d.values()[i]).isCloseTo(now[i] - was[i], within(1e-6f));
      }
    }
    assertThat(m.drainContribution().isEmpty()).as("the next interval starts empty").isTrue();
  }

  @Test
  void shouldGiveAnotherReplicaTheSameTrainingWhenMerged() {
    CandidateModel a = CandidateModel.create(CFG);
    CandidateModel b = CandidateModel.create(CFG);
    a.trackContributions();
    b.trackContributions();
    train(a, batches(4, 4));
    b.merge(a.drainContribution(), 10);

    assertDenseClose(b, a, 1e-6f);
    for (Table t : Table.values()) {
      Map<String, float[]> ra = rows(a, t);
      Map<String, float[]> rb = rows(b, t);
      assertThat(rb.keySet()).as(t.toString()).containsAll(ra.keySet());
      ra.forEach(
          (k, v) -> {
            // Output rows too, bias included, although a replica's initial bias comes from its
            // own click counts: a row the receiver lacks starts from the sender's initial value.
            for (int i = 0; i < v.length; i++) {
              assertThat(rb.get(k)[i])
                  .as(t + "/" + k + "[" + i + "]")
                  .isCloseTo(v[i], within(1e-6f));
            }
          });
    }
    assertThat(b.drainContribution().isEmpty())
        .as("a merge is not the replica's own training")
        .isTrue();
  }

  @Test
  void shouldKeepAReplicasOwnTrainingApartFromWhatItMerges() {
    List<List<Instance>> mine = batches(5, 3);
    CandidateModel alone = CandidateModel.create(CFG);
    alone.trackContributions();
    train(alone, mine);
    Contribution expected = alone.drainContribution();

    CandidateModel other = CandidateModel.create(CFG);
    other.trackContributions();
    train(other, batches(6, 3));
    CandidateModel b = CandidateModel.create(CFG);
    b.trackContributions();
    train(b, mine);
    b.merge(other.drainContribution(), 10);
    Contribution own = b.drainContribution();

    for (Table t : Table.values()) {
      Map<String, float[]> e = expected.rows().getOrDefault(t, Map.of());
      Map<String, float[]> o = own.rows().getOrDefault(t, Map.of());
      assertThat(o.keySet()).as(t.toString()).isEqualTo(e.keySet());
      e.forEach(
          (k, v) -> {
            for (int i = 0; i < v.length; i++) {
              assertThat(o.get(k)[i]).as(t + "/" + k).isCloseTo(v[i], within(1e-6f));
            }
          });
    }
    assertThat(own.dense()).hasSameSizeAs(expected.dense());
    for (int j = 0; j < own.dense().size(); j++) {
      float[] x = own.dense().get(j).values();
      float[] y = expected.dense().get(j).values();
      for (int i = 0; i < x.length; i++) {
        assertThat(x[i]).isCloseTo(y[i], within(1e-6f));
      }
    }
  }

  @Test
  void shouldRefuseADenseDeltaOfAnotherShapeAndDrainingWithoutTracking() {
    CandidateModel m = CandidateModel.create(CFG);
    String name = m.exportDense().get(0).name();
    Contribution wrong =
        new Contribution(Map.of(), List.of(new DenseTensor(name, 1, 1, new float[] {1f})));
    assertThatThrownBy(() -> m.merge(wrong, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(name);
    assertThatThrownBy(m::drainContribution).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void shouldStopTrackingAndStartAfreshFromTheValuesAtRestart() {
    CandidateModel plain = CandidateModel.create(CFG);
    CandidateModel m = CandidateModel.create(CFG);
    m.trackContributions();
    List<List<Instance>> data = batches(4, 6);
    train(plain, data.subList(0, 2));
    train(m, data.subList(0, 2));
    m.stopTrackingContributions();
    assertThat(m.tracksContributions()).isFalse();
    assertThatThrownBy(m::drainContribution).isInstanceOf(IllegalStateException.class);
    train(plain, data.subList(2, 4));
    train(m, data.subList(2, 4));

    m.trackContributions();
    assertThat(m.tracksContributions()).isTrue();
    Map<String, float[]> denseAtRestart = dense(m);
    train(plain, data.subList(4, 6));
    train(m, data.subList(4, 6));
    Contribution c = m.drainContribution();
    // only the training after the restart, nothing of the first interval
    for (DenseTensor d : c.dense()) {
      float[] now = dense(m).get(d.name());
      float[] was = denseAtRestart.get(d.name());
      for (int i = 0; i < now.length; i++) {
        assertThat(d.values()[i]).isCloseTo(now[i] - was[i], within(1e-6f));
      }
    }
    // and training never depended on it
    assertThat(m.exportDense()).containsExactlyElementsOf(plain.exportDense());
  }

  private static void assertDenseClose(CandidateModel actual, CandidateModel expected, float tol) {
    Map<String, float[]> a = dense(actual);
    dense(expected)
        .forEach(
            (k, v) -> {
              for (int i = 0; i < v.length; i++) {
                assertThat(a.get(k)[i]).as(k + "[" + i + "]").isCloseTo(v[i], within(tol));
              }
            });
  }
}
