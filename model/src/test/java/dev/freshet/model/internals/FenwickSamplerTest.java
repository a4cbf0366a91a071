package dev.freshet.model.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class FenwickSamplerTest {

  private static Map<String, Integer> draw(FenwickSampler s, int n, long seed) {
    SplitMix64 r = new SplitMix64(seed);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(s.sample(r), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void shouldDrawKeysInProportionToTheirWeights() {
    FenwickSampler s = new FenwickSampler();
    s.set("a", 1);
    s.set("b", 3);
    s.set("c", 6);
    Map<String, Integer> c = draw(s, 100_000, 1);
    assertThat(c.get("a") / 100_000.0).isCloseTo(0.1, Offset.offset(0.01));
    assertThat(c.get("b") / 100_000.0).isCloseTo(0.3, Offset.offset(0.01));
    assertThat(c.get("c") / 100_000.0).isCloseTo(0.6, Offset.offset(0.01));
    assertThat(s.probability("b")).isCloseTo(0.3, Offset.offset(1e-12));
  }

  @Test
  void shouldFollowIncrementalUpdatesAndRemovals() {
    FenwickSampler s = new FenwickSampler();
    for (int i = 0; i < 100; i++) {
      s.set("k" + i, 1);
    }
    s.set("k7", 1000);
    for (int i = 0; i < 100; i++) {
      if (i != 7 && i != 8) {
        s.remove("k" + i);
      }
    }
    Map<String, Integer> c = draw(s, 20_000, 2);
    assertThat(c.keySet()).containsExactlyInAnyOrder("k7", "k8");
    assertThat(c.get("k7") / 20_000.0).isCloseTo(1000.0 / 1001, Offset.offset(0.01));
    s.set("new", 1);
    assertThat(s.size()).isEqualTo(3);
    assertThat(s.slotKeys()).hasSizeLessThanOrEqualTo(100);
  }

  @Test
  void shouldStayExactAcrossManyUpdatesThanksToPeriodicRebuild() {
    FenwickSampler s = new FenwickSampler();
    for (int i = 0; i < 5000; i++) {
      s.set("k" + (i % 50), Math.pow(i / 50 + 1, 0.75));
    }
    double exact = 0;
    for (int i = 0; i < 50; i++) {
      exact += s.weight("k" + i);
    }
    assertThat(s.total()).isCloseTo(exact, Offset.offset(1e-9 * exact));
  }

  @Test
  void shouldDrawIdenticallyAfterRestore() {
    FenwickSampler s = new FenwickSampler();
    for (int i = 0; i < 40; i++) {
      s.set("k" + i, i + 1);
    }
    s.remove("k3");
    FenwickSampler r =
        FenwickSampler.restore(
            s.slotKeys(), s.slotWeights(), s.freeSlots(), s.treeArray(), s.updatesSinceRebuild());
    SplitMix64 a = new SplitMix64(5);
    SplitMix64 b = new SplitMix64(5);
    for (int i = 0; i < 1000; i++) {
      assertThat(r.sample(b)).isEqualTo(s.sample(a));
    }
  }

  @Test
  void shouldRefuseToSampleFromZeroMass() {
    FenwickSampler s = new FenwickSampler();
    assertThatThrownBy(() -> s.sample(new SplitMix64(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("zero");
  }
}
