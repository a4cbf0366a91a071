package dev.freshet.streams.retrieval;

import java.util.Objects;

/**
 * One retrieved item and its score, the inner product {@code <[1,u], [b_i,w_i]>} of the query and
 * the item's current vector.
 *
 * @param itemId the item id, never null
 * @param score the true inner product (not an approximation, even when found by HNSW)
 */
public record ItemScore(String itemId, float score) {

  /** Checks that the id is present. */
  public ItemScore {
    Objects.requireNonNull(itemId, "itemId");
  }
}
