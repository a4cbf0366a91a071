/**
 * End-to-end harnesses on the in-process broker: the stream app against a pass-through Streams app
 * (same broker, same serdes, same run), and the trainer's throughput and freshness lag. They are
 * plain {@code main} programs because they measure whole systems, not kernels; each prints its
 * figures and the settings it ran with.
 */
package dev.freshet.bench.pipeline;
