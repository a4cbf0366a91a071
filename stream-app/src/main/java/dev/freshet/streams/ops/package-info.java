/**
 * Looks at the running pipeline from outside the topology, for operators: consumer-group lag
 * counted the way a {@code read_committed} reader sees it, and reading helpers for transactional
 * topics. Used by the stream app's dashboard and by {@code freshet status}.
 */
package dev.freshet.streams.ops;
