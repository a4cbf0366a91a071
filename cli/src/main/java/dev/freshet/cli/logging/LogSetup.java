package dev.freshet.cli.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Iterator;
import java.util.Objects;
import org.slf4j.LoggerFactory;

/** Applies the launcher's logging choices to Logback. */
public final class LogSetup {

  /** How the services write their log lines. */
  public enum Format {
    /** {@code HH:mm:ss.SSS LEVEL logger - message}, for people. */
    TEXT,
    /**
     * One JSON object per line (Logback's {@link JsonEncoder}): {@code timestamp} (epoch ms),
     * {@code level}, {@code threadName}, {@code loggerName}, {@code formattedMessage}, {@code
     * throwable} when there is one; for log collectors.
     */
    JSON
  }

  private LogSetup() {}

  /** The launcher's Logback context. */
  public static LoggerContext context() {
    return (LoggerContext) LoggerFactory.getILoggerFactory();
  }

  /**
   * Installs {@link ExpectedKafkaWarnings} on {@code context} (once; a second call returns the
   * filter already there).
   */
  public static ExpectedKafkaWarnings hideExpectedKafkaWarnings(LoggerContext context) {
    Objects.requireNonNull(context, "context");
    synchronized (context) {
      for (var f : context.getTurboFilterList()) {
        if (f instanceof ExpectedKafkaWarnings expected) {
          return expected;
        }
      }
      ExpectedKafkaWarnings filter = new ExpectedKafkaWarnings();
      filter.setContext(context);
      filter.start();
      context.addTurboFilter(filter);
      return filter;
    }
  }

  /**
   * Gives every output-stream appender of the root logger (the launcher's stderr appender) the
   * encoder of {@code format}. {@link Format#TEXT} leaves the configured pattern as it is. Call it
   * before other threads log.
   */
  public static void use(LoggerContext context, Format format) {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(format, "format");
    if (format == Format.TEXT) {
      return;
    }
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        // timestamp, level, threadName, loggerName, mdc, kvpList, formattedMessage, throwable.
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        encoder.start();
        // Swapped on the running appender: stopping it would close its stream (for a console
        // appender, System.err). Called at a command's start, before its threads log.
        appender.setEncoder(encoder);
      }
    }
  }
}
