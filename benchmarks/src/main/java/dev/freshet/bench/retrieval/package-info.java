/**
 * Retrieval benchmarks: recall of the HNSW index against exact maximum inner product search, query
 * throughput of HNSW against brute force, build time, incremental-insert cost and memory, at 100k
 * and 1M items. Results and the commands that produced them are in {@code docs/benchmarks.md},
 * section "Retrieval (ANN)".
 */
package dev.freshet.bench.retrieval;
