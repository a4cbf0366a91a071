package dev.freshet.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Exact maximum-inner-product search: scans every item vector and keeps the {@code k} best in a
 * bounded heap (O(n·d + n·log k)). It is the ground truth approximate searches are measured
 * against.
 */
public final class Mips {
  private Mips() {}

  /** The {@code k} items with the largest inner product with {@code user}, best first. */
  public static List<ScoredItem> topK(ItemVectors items, float[] user, int k) {
    return topK(items, user, k, Set.of());
  }

  /**
   * Like {@link #topK(ItemVectors, float[], int)} but never returns items in {@code exclude} (e.g.
   * already clicked). Ties are broken by item id for determinism.
   */
  public static List<ScoredItem> topK(ItemVectors items, float[] user, int k, Set<String> exclude) {
    Objects.requireNonNull(items, "items");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(exclude, "exclude");
    if (user.length != items.dim()) {
      throw new IllegalArgumentException(
          "user vector has " + user.length + " dims but item vectors have " + items.dim());
    }
    if (k < 0) {
      throw new IllegalArgumentException("k must be >= 0 but was " + k);
    }
    if (k == 0) {
      return List.of();
    }
    PriorityQueue<ScoredItem> heap = new PriorityQueue<>(k + 1, Mips::worseFirst);
    for (int i = 0; i < items.size(); i++) {
      String id = items.id(i);
      if (exclude.contains(id)) {
        continue;
      }
      float s = items.dot(i, user);
      if (heap.size() < k) {
        heap.add(new ScoredItem(id, s));
      } else if (worseFirst(heap.peek(), new ScoredItem(id, s)) < 0) {
        heap.poll();
        heap.add(new ScoredItem(id, s));
      }
    }
    List<ScoredItem> out = new ArrayList<>(heap);
    out.sort(Collections.reverseOrder(Mips::worseFirst));
    return out;
  }

  /** Orders worse (lower score, then larger id) first. */
  private static int worseFirst(ScoredItem a, ScoredItem b) {
    int c = Float.compare(a.score(), b.score());
    return c != 0 ? c : b.itemId().compareTo(a.itemId());
  }
}
