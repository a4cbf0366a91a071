package dev.freshet.streams.retrieval;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A maximum-inner-product index over item vectors {@code [b_i, w_i]}, queried with user vectors
 * {@code [1, u]}.
 *
 * <p><b>Thread-safety contract.</b> Every implementation is safe for one writer thread calling
 * {@link #upsert}/{@link #remove} while any number of reader threads call {@link #topK}, {@link
 * #size}, {@link #contains}, {@link #vector}, {@link #version} and {@link #stats}. Each read sees
 * the index as of some instant between its call and its return: a query never observes half of an
 * upsert, and a write is visible to every read that starts after the write returned. Concurrent
 * writers are serialised (safe, but they gain nothing). {@link #close()} releases background
 * resources; an index stays readable after it.
 *
 * <p>Vectors passed in are copied; arrays returned are copies.
 */
public interface ItemIndex extends AutoCloseable {

  /** The length of every item and query vector. */
  int dimension();

  /**
   * Inserts the item or replaces its vector. A new item is found by every query that starts after
   * this returns.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the id is empty, the vector's length is not {@link
   *     #dimension()} or a component is not finite
   */
  void upsert(String itemId, float[] vector);

  /**
   * Removes the item (for example, an expired row or a tombstone).
   *
   * @return whether the item was present
   */
  boolean remove(String itemId);

  /**
   * The (at most) {@code k} items with the largest inner product with {@code query}, best first,
   * skipping {@code excludeIds}. Scores are exact inner products with the items' current vectors;
   * an approximate index may miss some of the true top-{@code k}, but never reports a wrong score.
   *
   * @throws IllegalArgumentException if {@code k < 1} or the query has the wrong length or a
   *     non-finite component
   */
  List<ItemScore> topK(float[] query, int k, Collection<String> excludeIds);

  /** {@link #topK(float[], int, Collection)} without exclusions. */
  default List<ItemScore> topK(float[] query, int k) {
    return topK(query, k, Set.of());
  }

  /** Whether the item is present (upserted and not removed since). */
  boolean contains(String itemId);

  /** A copy of the item's current vector, or empty if absent. */
  Optional<float[]> vector(String itemId);

  /** The number of live items. */
  int size();

  /**
   * Mutations applied since creation; strictly increases with every upsert and effective remove.
   */
  long version();

  /** Counters taken consistently at one instant. */
  IndexStats stats();

  /** Stops background work (rebuild threads). The index stays readable and writable. */
  @Override
  void close();
}
