/**
 * The stream app's processors and their helpers, not a public API: parsing and validation of clicks
 * ({@code ClickParser}, {@code ClickValidator}, dead letters), deduplication, the per-user history
 * and prequential judging ({@code HistoryUpdater}, {@code PrequentialMeter}), batched scoring
 * ({@code Recommender}), and {@code DirtyStateSweeper}, which removes task state an unclean exit
 * left without a checkpoint before Kafka Streams starts. docs/architecture.md, "The stream app",
 * shows how they form the topology.
 */
package dev.freshet.streams.internals;
