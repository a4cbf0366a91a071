/**
 * Metrics the ecosystem's way: {@link dev.freshet.metrics.PrometheusMeters}, a Micrometer
 * Prometheus registry with the JVM and process binders, shared by the stream app and the trainer.
 */
package dev.freshet.metrics;
