/**
 * Real components, in process: a KRaft Kafka broker and a Confluent-compatible schema registry
 * endpoint. The one-command demo runs on them, and the integration tests of every module start them
 * through the {@code testkit} JUnit extensions. In production both are replaced by real clusters;
 * nothing else in Freshet knows the difference.
 */
package dev.freshet.embedded;
