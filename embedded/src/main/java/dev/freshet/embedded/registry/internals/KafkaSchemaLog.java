package dev.freshet.embedded.registry.internals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A {@link SchemaLog} in a single-partition compacted Kafka topic: key = {@link
 * RegistryEvent#key()}, value = the event as JSON. The topic is created on first use. Appends are
 * acknowledged by all in-sync replicas (idempotent producer) before they return.
 */
public final class KafkaSchemaLog implements SchemaLog {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String bootstrapServers;
  private final TopicPartition partition;
  private final Duration timeout;
  private final KafkaProducer<String, String> producer;

  /**
   * Opens (creating if needed) {@code topic} on the cluster at {@code bootstrapServers}.
   *
   * @param replicationFactor replication of the topic if it is created
   * @param timeout bound for creating the topic, reading it to the end and each append
   * @throws IllegalStateException if the topic cannot be created or checked in time
   */
  public KafkaSchemaLog(
      String bootstrapServers, String topic, short replicationFactor, Duration timeout) {
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    this.partition = new TopicPartition(Objects.requireNonNull(topic, "topic"), 0);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    createTopic(replicationFactor);
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.CLIENT_ID_CONFIG,
                "freshet-schema-registry-" + topic),
            new StringSerializer(),
            new StringSerializer());
  }

  private void createTopic(short replicationFactor) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      NewTopic topic =
          new NewTopic(partition.topic(), 1, replicationFactor)
              .configs(
                  Map.of(
                      TopicConfig.CLEANUP_POLICY_CONFIG,
                      TopicConfig.CLEANUP_POLICY_COMPACT,
                      TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG,
                      "0"));
      try {
        admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException(
              "Cannot create schema topic " + partition.topic() + ": " + e.getCause(), e);
        }
      } catch (TimeoutException e) {
        throw new IllegalStateException(
            "Timed out creating schema topic " + partition.topic() + " at " + bootstrapServers, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted creating schema topic", e);
      }
    }
  }

  @Override
  public List<RegistryEvent> readAll() {
    List<RegistryEvent> events = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.assign(Set.of(partition));
      consumer.seekToBeginning(Set.of(partition));
      long end = consumer.endOffsets(Set.of(partition), timeout).get(partition);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (consumer.position(partition, timeout) < end) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "Timed out reading schema topic " + partition + " to offset " + end);
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() != null) {
            events.add(fromJson(record.value(), record.offset()));
          }
        }
      }
    } catch (KafkaException e) {
      throw new IllegalStateException("Cannot read schema topic " + partition + ": " + e, e);
    }
    return events;
  }

  @Override
  public void append(RegistryEvent event) {
    try {
      producer
          .send(new ProducerRecord<>(partition.topic(), 0, event.key(), toJson(event)))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Cannot write to schema topic: " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Timed out writing to schema topic " + partition, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted writing to schema topic", e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }

  static String toJson(RegistryEvent event) {
    ObjectNode node = JSON.createObjectNode();
    if (event instanceof RegistryEvent.SchemaVersion v) {
      node.put("type", "schema")
          .put("subject", v.subject())
          .put("version", v.version())
          .put("id", v.id())
          .put("schema", v.schema())
          .put("deleted", v.deleted());
    } else if (event instanceof RegistryEvent.Compatibility c) {
      node.put("type", "config").put("subject", c.subject()).put("compatibility", c.level());
    }
    return node.toString();
  }

  static RegistryEvent fromJson(String json, long offset) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "Corrupt schema-log record at offset " + offset + ": " + json, e);
    }
    String type = node.path("type").asText();
    return switch (type) {
      case "schema" ->
          new RegistryEvent.SchemaVersion(
              required(node, "subject", offset).asText(),
              required(node, "version", offset).asInt(),
              required(node, "id", offset).asInt(),
              required(node, "schema", offset).asText(),
              node.path("deleted").asBoolean(false));
      case "config" ->
          new RegistryEvent.Compatibility(
              node.hasNonNull("subject") ? node.get("subject").asText() : null,
              required(node, "compatibility", offset).asText());
      default ->
          throw new IllegalStateException(
              "Unknown event type '" + type + "' at offset " + offset + ": " + json);
    };
  }

  private static JsonNode required(JsonNode node, String field, long offset) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalStateException(
          "Schema-log record at offset " + offset + " lacks '" + field + "': " + node);
    }
    return value;
  }

  /** What and where, for logs. */
  @Override
  public String toString() {
    return "topic " + partition.topic();
  }
}
