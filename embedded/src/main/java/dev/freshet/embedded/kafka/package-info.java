/**
 * An in-process Apache Kafka broker in KRaft combined mode (broker and controller in one node),
 * built from the broker's own classes: {@code KafkaConfig}, the storage {@code Formatter} and
 * {@code KafkaRaftServer}. A single node needs replication factor 1 for every internal topic, and
 * its metadata log lives apart from the data directories so that it is locked like a real one.
 */
package dev.freshet.embedded.kafka;
