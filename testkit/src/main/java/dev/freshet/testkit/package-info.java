/**
 * JUnit 5 extensions that give the integration tests of every module real components: a KRaft Kafka
 * broker ({@link dev.freshet.testkit.KafkaBrokerExtension}) and a real schema registry. One
 * instance of each is shared per test JVM and stopped when the JVM's tests end; system properties
 * point the same tests at external ones instead.
 */
package dev.freshet.testkit;
