package dev.freshet.model;

/**
 * An item and its inner-product score with a user vector.
 *
 * @param itemId the item
 * @param score {@code [1, u]·[b_i, w_i]}
 */
public record ScoredItem(String itemId, float score) {}
