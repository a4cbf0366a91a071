package dev.freshet.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * Drops the WARN (and lower) lines that Kafka always logs when the demo starts a fresh in-process
 * broker and a new Kafka Streams app, and that say nothing is wrong there. Each {@link Rule} names
 * the logger, a pattern of the formatted message, the highest level it is dropped at and why it is
 * expected; every other line, and every other ERROR, still reaches the appenders. {@link #hidden()}
 * counts what was dropped.
 *
 * <p>Where the cause can be fixed it is fixed instead: the stream app enables the processing
 * exception handler for the global thread ({@code StreamAppConfig}), so Kafka Streams' WARN asking
 * for it is not filtered here.
 */
public final class ExpectedKafkaWarnings extends TurboFilter {

  /**
   * One kind of expected line: the logger (or a prefix of its name), its message, and the highest
   * level at which it is dropped (WARN for all but one: Kafka logs a slow controller event at
   * ERROR).
   */
  public record Rule(String logger, Pattern message, Level upTo, String why) {
    Rule(String logger, Pattern message, String why) {
      this(logger, message, Level.WARN, why);
    }
  }

  /** The expected lines of an embedded demo. */
  public static final List<Rule> RULES =
      List.of(
          new Rule(
              "org.apache.kafka.controller.QuorumController",
              Pattern.compile("The metadata log appears to be empty"),
              "the demo formats a new broker on every start"),
          new Rule(
              "org.apache.kafka.clients.NetworkClient",
              Pattern.compile(
                  "recoverable issue.*-(repartition|changelog)=UNKNOWN_TOPIC_OR_PARTITION"),
              "Kafka Streams creates its internal topics while its consumer already asks for them"),
          new Rule(
              "org.apache.kafka.server.DefaultAutoTopicCreationManager",
              Pattern.compile("__(transaction_state|consumer_offsets).*TOPIC_ALREADY_EXISTS"),
              "two clients asked a new broker for the same internal topic at once; one created it"),
          new Rule(
              "org.apache.kafka.streams.processor.internals.StateDirectory",
              Pattern.compile("Using an OS temp directory in the state.dir property"),
              "the demo's state is thrown away at its next start anyway"),
          new Rule(
              "org.apache.kafka.clients.producer.internals.Sender",
              Pattern.compile("retrying .*Error: CONCURRENT_TRANSACTIONS"),
              "with exactly-once commits every 10 ms a send can reach the broker while the last"
                  + " commit's markers are still written; the producer retries it, nothing is lost"),
          new Rule(
              "org.apache.kafka.controller.EventPerformanceMonitor",
              Pattern.compile("Exceptionally slow controller event"),
              Level.ERROR,
              "the in-process controller shares the CPU with the demo; on a busy machine a"
                  + " start-up event takes seconds, which Kafka reports at ERROR and which changes"
                  + " nothing here"),
          new Rule(
              "LogFutureTimestampLogger",
              Pattern.compile("contains future timestamp"),
              "a click's event time is the feeder's clock, which can be a few ms ahead of the"
                  + " broker's when retention looks at the segment; the segment is only kept"
                  + " longer"),
          new Rule(
              "org.apache.kafka.clients.NetworkClient",
              Pattern.compile("Attempting to close NetworkClient that has already been closed"),
              "the in-process broker closes its controller channel twice on shutdown"));

  private final AtomicLong hidden = new AtomicLong();

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (format == null || level == null) {
      return FilterReply.NEUTRAL;
    }
    String name = logger.getName();
    String message = null;
    for (Rule rule : RULES) {
      if (name.startsWith(rule.logger()) && rule.upTo().isGreaterOrEqual(level)) {
        if (message == null) {
          message = MessageFormatter.arrayFormat(format, params).getMessage();
        }
        if (rule.message().matcher(message).find()) {
          hidden.incrementAndGet();
          return FilterReply.DENY;
        }
      }
    }
    return FilterReply.NEUTRAL;
  }

  /** Lines dropped so far. */
  public long hidden() {
    return hidden.get();
  }
}
