package dev.freshet.cli.ops;

import dev.freshet.serde.AvroSerdes;
import dev.freshet.serde.WireFormatException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code freshet consume}: pretty-prints the records of a Freshet topic. Avro topics are decoded
 * with the schema the registry holds for each record's schema id (so versioned replay topics such
 * as {@code recommendations.v2} work too); dead-letter topics print the reason, detail and source
 * headers and previews of the original bytes. It reads without a consumer group (nothing is
 * committed), with {@code read_committed}.
 */
@Command(
    name = "consume",
    mixinStandardHelpOptions = true,
    description = {
      "Pretty-print records of a topic: recommendations, user-vectors, clicks-dlq,"
          + " training-instances, item-vectors, snapshots, clicks (and their versioned replay"
          + " copies, e.g. recommendations.v2).",
      "Stops after --max records or when nothing arrived for --timeout."
    })
public final class ConsumeCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;

  @Option(
      names = "--schema-registry-url",
      required = true,
      paramLabel = "URL",
      description = "Confluent-compatible schema registry.")
  String registryUrl;

  @Option(names = "--topic", required = true, description = "The topic to read.")
  String topic;

  @Option(
      names = "--from-beginning",
      description = "Start at the earliest offset (default: only records arriving from now on).")
  boolean fromBeginning;

  @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
  Long max;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = Converters.DurationConverter.class,
      description = "Stop when no record arrived for this long (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Dead-letter topics carry raw bytes and the reason in headers. */
  static boolean isDeadLetterTopic(String topic) {
    String base = topic.contains(".") ? topic.substring(0, topic.indexOf('.')) : topic;
    return base.endsWith("-dlq");
  }

  @Override
  public Integer call() {
    if (max != null && max < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--max must be >= 1, was " + max);
    }
    PrintWriter out = spec.commandLine().getOut();
    boolean dlq = isDeadLetterTopic(topic);
    long limit = max == null ? Long.MAX_VALUE : max;
    long printed = 0;
    long undecodable = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(
                cluster.clientConfig(
                    Map.of(
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                        ConsumerConfig.CLIENT_ID_CONFIG, "freshet-consume")),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        Deserializer<GenericRecord> avro =
            AvroSerdes.generic(cluster.serdeConfig(registryUrl), false).deserializer()) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) {
        throw new IllegalArgumentException("topic " + topic + " does not exist");
      }
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo p : infos) {
        partitions.add(new TopicPartition(topic, p.partition()));
      }
      consumer.assign(partitions);
      if (fromBeginning) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
      }
      partitions.forEach(consumer::position); // resolve now, so "from now on" means now
      long idleSince = System.nanoTime();
      while (printed < limit && System.nanoTime() - idleSince < timeout.toNanos()) {
        var records = consumer.poll(Duration.ofMillis(200));
        if (!records.isEmpty()) {
          idleSince = System.nanoTime();
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
          if (printed >= limit) {
            break;
          }
          out.println(
              RecordPrinter.headerLine(
                  r.topic(), r.partition(), r.offset(), r.key(), r.timestamp()));
          if (dlq) {
            out.print(RecordPrinter.deadLetter(r.headers(), r.key(), r.value()));
          } else if (r.value() == null) {
            out.print(RecordPrinter.avro(null));
          } else {
            try {
              out.print(RecordPrinter.avro(avro.deserialize(r.topic(), r.headers(), r.value())));
            } catch (WireFormatException e) {
              if (!e.reason().isRecordAtFault()) {
                throw e;
              }
              undecodable++;
              out.println("  (cannot decode as Avro: " + e.getMessage() + ")");
              out.print(RecordPrinter.hexDump(r.value(), RecordPrinter.BYTES_SHOWN, "    "));
            }
          }
          out.println();
          printed++;
        }
        out.flush();
      }
    }
    spec.commandLine()
        .getErr()
        .printf(
            "%d records from %s%s%n",
            printed, topic, undecodable > 0 ? " (" + undecodable + " could not be decoded)" : "");
    spec.commandLine().getErr().flush();
    return 0;
  }
}
