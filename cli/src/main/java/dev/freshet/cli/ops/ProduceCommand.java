package dev.freshet.cli.ops;

import dev.freshet.avro.ClickEvent;
import dev.freshet.serde.AvroSerdes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code freshet produce}: clicks from JSON lines, the reference TSV or MovieLens into any cluster,
 * through the Avro serde (Confluent wire format), keyed by user id, with the record timestamp set
 * to the click's event time.
 */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    description = {
      "Produce clicks to a Kafka topic through the Avro serde: key = userId, record timestamp ="
          + " event time.",
      "JSON lines: one object per line with the fields of ClickEvent (userId, videoId, eventTime"
          + " required; eventId, province, city, phone, category, tags, watchTimeMs, searchTokens"
          + " optional). Bad lines are reported with their line numbers and skipped."
    })
public final class ProduceCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;

  @Option(
      names = "--schema-registry-url",
      required = true,
      paramLabel = "URL",
      description = "Confluent-compatible schema registry.")
  String registryUrl;

  @Option(
      names = "--topic",
      defaultValue = "clicks",
      description = "Target topic (default: ${DEFAULT-VALUE}).")
  String topic;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  static final class Input {
    @Option(names = "--jsonl", paramLabel = "FILE", description = "JSON lines file.")
    Path jsonl;

    @Option(names = "--tsv", paramLabel = "FILE", description = "Reference TSV file.")
    Path tsv;

    @Option(
        names = "--movielens",
        paramLabel = "DIR",
        description = "MovieLens directory (ratings.csv, movies.csv, tags.csv).")
    Path movielens;
  }

  @Option(
      names = "--rate",
      paramLabel = "N/s",
      defaultValue = "0",
      converter = Converters.RateConverter.class,
      description = "Clicks per second; 0 (default) = as fast as possible.")
  double rate;

  @Option(names = "--limit", paramLabel = "N", description = "Produce at most N clicks.")
  Long limit;

  @Option(
      names = "--base-time",
      paramLabel = "TIME",
      converter = Converters.InstantConverter.class,
      description =
          "TSV clicks without a time get base-time + k * time-step (k = position in the file);"
              + " default: now.")
  Instant baseTime;

  @Option(
      names = "--time-step",
      paramLabel = "DURATION",
      defaultValue = "1s",
      converter = Converters.DurationConverter.class,
      description = "See --base-time (default: ${DEFAULT-VALUE}).")
  Duration timeStep;

  @Option(
      names = "--restamp",
      description =
          "Replace every click's event time with the time it is sent: recorded data as live"
              + " traffic (use with --rate). Event ids stay those of the source.")
  boolean restamp;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long max = limit == null ? Long.MAX_VALUE : limit;
    long start = System.nanoTime();
    AtomicLong acked = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    long sent = 0;
    long bad;
    Map<String, Object> serdeConfig = cluster.serdeConfig(registryUrl);
    try (ClickSources.ClickSource source = open(err);
        Serializer<ClickEvent> values =
            AvroSerdes.specific(ClickEvent.class, serdeConfig, false).serializer();
        KafkaProducer<String, ClickEvent> producer =
            new KafkaProducer<>(
                cluster.clientConfig(
                    Map.of(
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                        ProducerConfig.LINGER_MS_CONFIG, 10,
                        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                        ProducerConfig.CLIENT_ID_CONFIG, "freshet-produce")),
                new StringSerializer(),
                values)) {
      long nanosPerClick = rate > 0 ? (long) (TimeUnit.SECONDS.toNanos(1) / rate) : 0;
      while (sent < max && source.hasNext() && failure.get() == null) {
        ClickEvent click = source.next();
        if (nanosPerClick > 0) {
          long due = start + sent * nanosPerClick;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
        }
        if (restamp) {
          click.setEventTime(Instant.ofEpochMilli(System.currentTimeMillis()));
        }
        producer.send(
            new ProducerRecord<>(
                topic, null, click.getEventTime().toEpochMilli(), click.getUserId(), click),
            (metadata, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              } else {
                acked.incrementAndGet();
              }
            });
        sent++;
      }
      producer.flush();
      bad = source.badLines();
    }
    if (failure.get() != null) {
      throw new IllegalStateException(
          "producing to " + topic + " failed after " + acked.get() + " clicks", failure.get());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    out.printf(
        "produced %d clicks to %s in %.1f s (%.0f/s); %d bad input lines skipped%n",
        acked.get(), topic, seconds, acked.get() / Math.max(seconds, 1e-9), bad);
    out.flush();
    return 0;
  }

  private ClickSources.ClickSource open(PrintWriter err) throws IOException {
    if (input.jsonl != null) {
      return ClickSources.jsonLines(input.jsonl, err);
    }
    if (input.tsv != null) {
      return ClickSources.tsv(input.tsv, baseTime, timeStep, err);
    }
    return ClickSources.movieLens(input.movielens, err);
  }

  private void validate() {
    CommandLine cl = spec.commandLine();
    if (input.jsonl != null && !Files.isRegularFile(input.jsonl)) {
      throw new CommandLine.ParameterException(cl, "--jsonl: no such file: " + input.jsonl);
    }
    if (input.tsv != null && !Files.isRegularFile(input.tsv)) {
      throw new CommandLine.ParameterException(cl, "--tsv: no such file: " + input.tsv);
    }
    if (input.movielens != null && !Files.isRegularFile(input.movielens.resolve("ratings.csv"))) {
      throw new CommandLine.ParameterException(
          cl, "--movielens: " + input.movielens + " holds no ratings.csv");
    }
    if (limit != null && limit < 1) {
      throw new CommandLine.ParameterException(cl, "--limit must be >= 1, was " + limit);
    }
    if (timeStep.isZero()) {
      throw new CommandLine.ParameterException(cl, "--time-step must be > 0");
    }
    if (topic.isBlank()) {
      throw new CommandLine.ParameterException(cl, "--topic must not be empty");
    }
  }
}
