package dev.freshet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class MipsAndLshTest {

  private static ItemVectors randomItems(Random r, int n, int d) {
    List<String> ids = new ArrayList<>();
    float[] data = new float[n * d];
    for (int i = 0; i < n; i++) {
      ids.add("i" + i);
      double scale = 0.2 + 3 * r.nextDouble();
      for (int j = 0; j < d; j++) {
        data[i * d + j] = (float) (r.nextGaussian() * scale);
      }
    }
    return new ItemVectors(ids, data, d);
  }

  private static float[] randomVector(Random r, int d) {
    float[] v = new float[d];
    for (int j = 0; j < d; j++) {
      v[j] = (float) r.nextGaussian();
    }
    return v;
  }

  @Test
  void shouldReturnTheKLargestInnerProductsBestFirst() {
    Random r = new Random(1);
    ItemVectors items = randomItems(r, 500, 8);
    float[] q = randomVector(r, 8);
    List<ScoredItem> top = Mips.topK(items, q, 10);
    List<ScoredItem> all = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      all.add(new ScoredItem(items.id(i), items.dot(i, q)));
    }
    all.sort(Comparator.comparing(ScoredItem::score).reversed());
    assertThat(top).containsExactlyElementsOf(all.subList(0, 10));
    assertThat(Mips.topK(items, q, 10, Set.of(all.get(0).itemId())))
        .doesNotContain(all.get(0))
        .contains(all.get(10));
    assertThat(Mips.topK(items, q, 1000)).hasSize(500);
    assertThatThrownBy(() -> Mips.topK(items, new float[3], 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3");
  }

  @Test
  void shouldMakeCosineRankingEqualInnerProductRankingWithSimpleLsh() {
    Random r = new Random(2);
    ItemVectors items = randomItems(r, 300, 6);
    SimpleLsh lsh = SimpleLsh.fit(items);
    ItemVectors p = lsh.transformItems(items);
    for (int i = 0; i < p.size(); i++) {
      float[] v = p.vector(i);
      double n = 0;
      for (float x : v) {
        n += x * x;
      }
      assertThat(Math.sqrt(n)).isCloseTo(1.0, Offset.offset(1e-5));
    }
    float[] q = randomVector(r, 6);
    float[] qt = SimpleLsh.transformUser(q);
    assertThat(qt[6]).isZero();
    List<String> byInner = Mips.topK(items, q, 20).stream().map(ScoredItem::itemId).toList();
    List<String> byCosine = Mips.topK(p, qt, 20).stream().map(ScoredItem::itemId).toList();
    assertThat(byCosine).isEqualTo(byInner);
    assertThat(SimpleLsh.transformUser(new float[3])).containsOnly(0f);
  }
}
