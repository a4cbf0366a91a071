/**
 * Tools for the people around a running Freshet: producers ({@code freshet produce}), consumers
 * ({@code freshet consume}), and operators ({@code freshet topics}, {@code freshet status}, {@code
 * freshet replay}). {@link dev.freshet.cli.ops.ClusterStatus} is the status screen's library: it
 * reads topics, groups, the snapshot log, dead letters and the registry, and says what is wrong.
 *
 * <p>Everything here talks to any Kafka cluster and any Confluent-compatible schema registry
 * through the same Avro serdes as the applications; nothing assumes the in-process broker of the
 * demo.
 *
 * <p>{@link dev.freshet.cli.ops.ReplayCommand} rebuilds a model version from the retained {@code
 * clicks} log under a new application id, consumer group, transactional id and versioned topics, so
 * it never touches the live pipeline's state. The procedure, the reset semantics and the cut-over
 * are documented in {@code docs/operations.md}.
 */
package dev.freshet.cli.ops;
