package dev.freshet.data.eval;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Ranking metrics with binary relevance. {@code ranked} is a recommendation list, best first; only
 * its first {@code k} entries count. For next-click evaluation the relevant set is the one clicked
 * item, so Recall@K is the hit rate, NDCG@K is {@code 1/log2(rank+1)} for a hit at 1-based {@code
 * rank <= K}, and the reciprocal rank is {@code 1/rank} for a hit within the list, else 0 (MRR is
 * therefore MRR@K when lists have length K).
 */
public final class Metrics {

  private Metrics() {}

  /** Fraction of the relevant items found in the top {@code k}; 0 if nothing is relevant. */
  public static double recallAtK(List<String> ranked, Set<String> relevant, int k) {
    check(ranked, relevant, k);
    if (relevant.isEmpty()) {
      return 0;
    }
    int hits = 0;
    int n = Math.min(k, ranked.size());
    for (int i = 0; i < n; i++) {
      if (relevant.contains(ranked.get(i))) {
        hits++;
      }
    }
    return (double) hits / relevant.size();
  }

  /**
   * Normalised discounted cumulative gain: {@code DCG@k / IDCG@k}, with gain 1 for relevant items
   * and discount {@code 1/log2(i+2)} at 0-based position {@code i}; 0 if nothing is relevant.
   */
  public static double ndcgAtK(List<String> ranked, Set<String> relevant, int k) {
    check(ranked, relevant, k);
    if (relevant.isEmpty()) {
      return 0;
    }
    double dcg = 0;
    int n = Math.min(k, ranked.size());
    for (int i = 0; i < n; i++) {
      if (relevant.contains(ranked.get(i))) {
        dcg += discount(i);
      }
    }
    double ideal = 0;
    for (int i = 0; i < Math.min(k, relevant.size()); i++) {
      ideal += discount(i);
    }
    return dcg / ideal;
  }

  /** {@code 1/rank} of the first relevant item among the top {@code k}, or 0 if none. */
  public static double reciprocalRank(List<String> ranked, Set<String> relevant, int k) {
    check(ranked, relevant, k);
    int n = Math.min(k, ranked.size());
    for (int i = 0; i < n; i++) {
      if (relevant.contains(ranked.get(i))) {
        return 1.0 / (i + 1);
      }
    }
    return 0;
  }

  /** The 0-based position of {@code target} in the top {@code k}, or -1. */
  public static int rankOf(List<String> ranked, String target, int k) {
    Objects.requireNonNull(ranked, "ranked");
    Objects.requireNonNull(target, "target");
    int n = Math.min(k, ranked.size());
    for (int i = 0; i < n; i++) {
      if (target.equals(ranked.get(i))) {
        return i;
      }
    }
    return -1;
  }

  /** {@code 1/log2(position+2)}, the gain of a hit at 0-based {@code position}. */
  public static double discount(int position) {
    return 1.0 / (Math.log(position + 2) / Math.log(2));
  }

  private static void check(List<String> ranked, Set<String> relevant, int k) {
    Objects.requireNonNull(ranked, "ranked");
    Objects.requireNonNull(relevant, "relevant");
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, was " + k);
    }
  }
}
