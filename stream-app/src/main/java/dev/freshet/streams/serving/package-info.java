/**
 * The model as the stream app serves it: the newest complete snapshot of the trainer's parameter
 * log (a read-only user tower over replicated rows, and an item index for maximum inner product
 * search), plus the popularity fallback used before any snapshot exists.
 *
 * <p>Every parameter the user tower needs (embeddings of users, items, categories, tags and profile
 * values, and the dense layers) is replicated to every instance: the serving side of the paper's
 * candidate generation (Covington et al. 2016, section 3) is one forward pass of the tower and a
 * top-N search, both local.
 */
package dev.freshet.streams.serving;
