package dev.freshet.data.eval;

import dev.freshet.data.UserSequence;
import java.util.List;
import java.util.Set;

/**
 * Anything that can rank items for a user given the user's history so far. Implementations used by
 * the {@link Evaluator} must be safe to call repeatedly; they need not be thread-safe.
 */
public interface Recommender {

  /** A short name for reports. */
  String name();

  /**
   * Recommends up to {@code k} distinct item ids, best first.
   *
   * @param history the user's profile and clicks so far, oldest first (possibly no clicks)
   * @param k the number wanted, {@code >= 1}
   * @param exclude item ids that must not be returned (e.g. already seen); not modified
   * @return at most {@code k} distinct ids, none in {@code exclude}; fewer only if the recommender
   *     knows fewer items
   */
  List<String> recommend(UserSequence history, int k, Set<String> exclude);
}
