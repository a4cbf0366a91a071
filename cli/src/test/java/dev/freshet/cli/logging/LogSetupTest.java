package dev.freshet.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogSetupTest {

  /** A context of its own, as Logback's configurator would set it up. */
  private static LoggerContext newContext() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    return context;
  }

  private static ListAppender<ILoggingEvent> listOn(LoggerContext context) {
    ListAppender<ILoggingEvent> list = new ListAppender<>();
    list.setContext(context);
    list.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(list);
    return list;
  }

  @Test
  void shouldDropTheWarningsExpectedAtAnEmbeddedStartAndKeepEveryOtherLine() {
    LoggerContext context = newContext();
    ListAppender<ILoggingEvent> list = listOn(context);
    ExpectedKafkaWarnings filter = LogSetup.hideExpectedKafkaWarnings(context);

    // As Kafka logs them: a LogContext prefix and the details as arguments.
    context
        .getLogger("org.apache.kafka.clients.NetworkClient")
        .warn(
            "[Consumer clientId=app-StreamThread-1-consumer, groupId=app] The metadata response from"
                + " the cluster reported a recoverable issue with correlation id {} : {}",
            2,
            "{app-clicks-by-user-repartition=UNKNOWN_TOPIC_OR_PARTITION}");
    context
        .getLogger("org.apache.kafka.server.DefaultAutoTopicCreationManager")
        .warn(
            "Auto topic creation failed for {} with error '{}': {}.",
            "__transaction_state",
            "TOPIC_ALREADY_EXISTS",
            "Topic '__transaction_state' already exists.");
    context
        .getLogger("org.apache.kafka.controller.QuorumController")
        .warn(
            "[QuorumController id=1] Performing controller activation. The metadata log appears to"
                + " be empty. Appending 6 bootstrap record(s).");
    context
        .getLogger("org.apache.kafka.clients.producer.internals.Sender")
        .warn(
            "[Producer clientId=app-StreamThread-1-producer] Got error produce response with"
                + " correlation id {} on topic-partition {}, retrying ({} attempts left). Error: {}",
            65,
            "recommendations-0",
            2147483646,
            "CONCURRENT_TRANSACTIONS");
    context
        .getLogger("org.apache.kafka.controller.EventPerformanceMonitor")
        .error(
            "[QuorumController id=1] Exceptionally slow controller event {} took {} ms.",
            "registerBroker(1491869975)",
            3182);
    // Not expected: a topic of the app's own is missing, a different warning, and an error.
    context
        .getLogger("org.apache.kafka.clients.NetworkClient")
        .warn(
            "The metadata response from the cluster reported a recoverable issue with correlation"
                + " id {} : {}",
            3,
            "{clicks=UNKNOWN_TOPIC_OR_PARTITION}");
    context
        .getLogger("org.apache.kafka.clients.NetworkClient")
        .warn("Connection to node 1 could not be established. Node may not be available.");
    context
        .getLogger("org.apache.kafka.controller.QuorumController")
        .error("The metadata log appears to be empty and cannot be written");

    assertThat(list.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "The metadata response from the cluster reported a recoverable issue with correlation"
                + " id 3 : {clicks=UNKNOWN_TOPIC_OR_PARTITION}",
            "Connection to node 1 could not be established. Node may not be available.",
            "The metadata log appears to be empty and cannot be written");
    assertThat(filter.hidden()).isEqualTo(5);
    assertThat(LogSetup.hideExpectedKafkaWarnings(context)).isSameAs(filter);
  }

  @Test
  void shouldWriteOneJsonObjectPerLineWithTheFormattedMessageWhenAskedForJson() throws Exception {
    LoggerContext context = newContext();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PatternLayoutEncoder text = new PatternLayoutEncoder();
    text.setContext(context);
    text.setPattern("%level %logger - %msg%n");
    text.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(text);
    appender.setOutputStream(bytes);
    appender.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);

    LogSetup.use(context, LogSetup.Format.JSON);
    context.getLogger("dev.freshet.streams.StreamApp").info("Query server on {}", "host:8080");
    context.getLogger("dev.freshet.trainer").warn("Published \"v{}\"", 7);

    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines.get(0));
    assertThat(first.get("level").asText()).isEqualTo("INFO");
    assertThat(first.get("loggerName").asText()).isEqualTo("dev.freshet.streams.StreamApp");
    assertThat(first.get("formattedMessage").asText()).isEqualTo("Query server on host:8080");
    assertThat(first.get("timestamp").asLong()).isPositive();
    assertThat(json.readTree(lines.get(1)).get("formattedMessage").asText())
        .isEqualTo("Published \"v7\"");
  }

  @Test
  void shouldLeaveTheConfiguredPatternAloneForText() {
    LoggerContext context = newContext();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PatternLayoutEncoder text = new PatternLayoutEncoder();
    text.setContext(context);
    text.setPattern("%level %msg%n");
    text.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(text);
    appender.setOutputStream(bytes);
    appender.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);

    LogSetup.use(context, LogSetup.Format.TEXT);
    context.getLogger("x").info("plain");

    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("INFO plain\n");
  }
}
