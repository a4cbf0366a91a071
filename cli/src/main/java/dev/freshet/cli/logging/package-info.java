/**
 * What the launcher's commands log and how: {@link dev.freshet.cli.logging.ExpectedKafkaWarnings}
 * keeps the WARN lines an in-process broker and a fresh Kafka Streams app always print at start-up
 * off the demo's terminal (each rule names the logger, the message and why it is harmless there;
 * anything else still shows), and {@link dev.freshet.cli.logging.LogSetup} applies that filter and
 * the services' {@code --log-format json} to Logback, the launcher's logging backend.
 */
package dev.freshet.cli.logging;
