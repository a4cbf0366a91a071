/**
 * The parameter log: the contract between the trainer, which writes model parameters to Kafka, and
 * every reader that rebuilds a serving snapshot from them (the stream app, a rollback, a tool).
 *
 * <p>Layout. The trainer publishes each snapshot as one Kafka transaction on the compacted,
 * single-partition topic {@code model-params}: first the deltas (changed sparse rows under {@code
 * row/<table>/<value>}, changed item vectors under {@code item/<id>}, the dense tensors under
 * {@code dense} when they changed, tombstones for expired rows), then the {@link
 * dev.freshet.avro.SnapshotManifest} under {@code manifest}. One partition gives a total order, so
 * a reader applies a snapshot's deltas exactly when it reads the manifest that completes them; with
 * {@code read_committed} an aborted snapshot is never seen. Compaction keeps the newest value per
 * key, so reading the topic from the start always yields the newest complete model. The sparse
 * tables are keyed by feature value, so the log can later be split by key range across trainers
 * (the scale path in {@code docs/architecture.md}).
 */
package dev.freshet.paramlog;
