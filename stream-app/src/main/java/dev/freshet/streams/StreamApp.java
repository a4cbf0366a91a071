package dev.freshet.streams;

import dev.freshet.avro.ModelUpdate;
import dev.freshet.metrics.PrometheusMeters;
import dev.freshet.model.UserTower;
import dev.freshet.paramlog.ParamLogReader;
import dev.freshet.serde.AvroClassTrust;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.streams.dashboard.ClusterWatch;
import dev.freshet.streams.dashboard.Dashboard;
import dev.freshet.streams.internals.DirtyStateSweeper;
import dev.freshet.streams.internals.Outage;
import dev.freshet.streams.internals.OutageBackoff;
import dev.freshet.streams.retrieval.HnswConfig;
import dev.freshet.streams.serving.ServingMeters;
import dev.freshet.streams.serving.ServingModel;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream app as a running service: the topology of {@link FreshetTopology}, the parameter-log
 * reader that keeps its {@link ServingModel} current, and the interactive-query HTTP server.
 *
 * <p>Operations: a stream thread that dies of an unexpected exception is replaced (the task
 * restarts from its last commit, so exactly-once holds); state restoration progress is logged;
 * {@link #close} leaves the consumer group so a restarted instance gets its partitions back without
 * waiting for a session timeout. Local state is never wiped on start ({@code cleanUp()} is for a
 * replay under a new application id, done by the operator tooling).
 */
public final class StreamApp implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StreamApp.class);

  private final StreamAppConfig config;
  private final ServingModel model;
  private final ParamLogReader params;
  private final KafkaStreams streams;
  private final QueryServer http;
  private final PrometheusMeters meters;

  private StreamApp(
      StreamAppConfig config,
      ServingModel model,
      ParamLogReader params,
      KafkaStreams streams,
      QueryServer http,
      PrometheusMeters meters) {
    this.config = config;
    this.model = model;
    this.params = params;
    this.streams = streams;
    this.meters = meters;
    this.http = http;
  }

  /** Starts everything; returns once the threads are started (not necessarily running). */
  public static StreamApp start(StreamAppConfig config) throws IOException {
    Objects.requireNonNull(config, "config");
    String bootstrap = String.join(",", config.getList(StreamAppConfig.BOOTSTRAP_SERVERS));
    ServingModel model =
        new ServingModel(
            config.getInt(StreamAppConfig.INDEX_EXACT_THRESHOLD),
            HnswConfig.defaults()
                .withEfSearch(config.getInt(StreamAppConfig.INDEX_EF_SEARCH))
                .withScan(config.getDouble(StreamAppConfig.INDEX_SCAN_FRACTION), true),
            config.getInt(StreamAppConfig.TOWER_CACHE_ITEMS));
    ParamLogReader params =
        new ParamLogReader(
            bootstrap,
            config.securityProperties(),
            config.getString(StreamAppConfig.TOPIC_MODEL_PARAMS),
            AvroSerdes.specific(ModelUpdate.class, config.serdeProperties(), false).deserializer(),
            model.assembler());
    params.start();
    if (StreamsConfig.EXACTLY_ONCE_V2.equals(
        config.getString(StreamAppConfig.PROCESSING_GUARANTEE))) {
      List<String> swept =
          DirtyStateSweeper.sweep(
              Path.of(config.getString(StreamAppConfig.STATE_DIR)),
              config.getString(StreamAppConfig.APPLICATION_ID));
      if (!swept.isEmpty()) {
        log.warn(
            "local state of tasks {} has no checkpoint: the last run did not close cleanly (kill"
                + " -9, crash). Under exactly-once it may hold uncommitted writes, so it was"
                + " removed and is restored from the changelog (expected after a crash; nothing"
                + " is lost)",
            swept);
      }
    }
    String gates = UserTower.gates();
    log.info(
        "user tower: LSTM gates {}{}",
        gates,
        gates.startsWith("vector")
            ? ""
            : "; start the JVM with --add-modules=jdk.incubator.vector for the vector gates (about"
                + " twice the users per second, docs/benchmarks.md)");
    KafkaStreams streams =
        new KafkaStreams(FreshetTopology.build(config, model), config.streamsProperties());
    OutageBackoff backoff = new OutageBackoff();
    streams.setUncaughtExceptionHandler(
        e -> {
          Optional<Outage> outage = Outage.in(e);
          if (outage.isEmpty()) {
            log.error(
                "stream thread failed; replacing it (the task resumes from its last commit)", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
          }
          long wait = backoff.next(System.nanoTime());
          log.warn(
              "{} ({}); replacing the stream thread in {} ms (its tasks resume from their last"
                  + " commit; nothing is dead-lettered)",
              outage.get().what(),
              outage.get().cause().toString(),
              wait);
          try {
            TimeUnit.MILLISECONDS.sleep(wait);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
          }
          return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    streams.setGlobalStateRestoreListener(new RestoreLogger());
    streams.setStateListener((next, prev) -> log.info("Kafka Streams state {} -> {}", prev, next));
    PrometheusMeters meters = new PrometheusMeters("stream-app");
    meters.bind(
        new KafkaStreamsMetrics(
            streams,
            List.of(),
            PrometheusMeters.kafkaScheduler("streams"),
            PrometheusMeters.KAFKA_REFRESH));
    new ServingMeters(model).bindTo(meters.registry());
    QueryServer http = null;
    Dashboard dashboard = null;
    try {
      int port = config.getInt(StreamAppConfig.HTTP_PORT);
      if (port >= 0) {
        dashboard =
            new Dashboard(
                streams,
                model,
                new ClusterWatch(
                    Admin.create(config.clientProperties("-dashboard-admin")),
                    config.clientProperties("-dashboard-reader"),
                    config.getString(StreamAppConfig.APPLICATION_ID),
                    config.getString(StreamAppConfig.DASHBOARD_TRAINER_GROUP),
                    config.getList(StreamAppConfig.DASHBOARD_DEAD_LETTER_TOPICS)),
                host -> QueryServer.isLocal(config, host),
                config.getString(StreamAppConfig.APPLICATION_ID),
                config.getInt(StreamAppConfig.RECOMMENDATIONS_SIZE));
        http =
            new QueryServer(
                config.getString(StreamAppConfig.HTTP_HOST),
                port,
                streams,
                model,
                config,
                meters,
                dashboard);
      }
      streams.start();
    } catch (IOException | RuntimeException e) {
      if (http != null) {
        http.close();
      } else if (dashboard != null) {
        dashboard.close();
      }
      streams.close(Duration.ofSeconds(10));
      params.close();
      meters.close();
      throw e;
    }
    return new StreamApp(config, model, params, streams, http, meters);
  }

  /** The Kafka Streams instance (state, metadata, metrics). */
  public KafkaStreams streams() {
    return streams;
  }

  /** The served model. */
  public ServingModel model() {
    return model;
  }

  /** The interactive-query server's port, or -1 when it is disabled. */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  /** The configuration it runs with. */
  public StreamAppConfig config() {
    return config;
  }

  /** Its meters (Kafka Streams, JVM, serving), served on {@code /metrics}. */
  public PrometheusMeters meters() {
    return meters;
  }

  /** Stops the HTTP server, leaves the group, stops the parameter reader. */
  @Override
  public void close() {
    if (http != null) {
      http.close();
    }
    streams.close(
        CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30)));
    params.close();
    model.close();
    meters.close();
  }

  /** {@code StreamApp [config.properties] [key=value ...]}; later arguments win. */
  public static void main(String[] args) throws Exception {
    AvroClassTrust.install();
    Map<String, String> props = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq > 0) {
        props.put(arg.substring(0, eq).trim(), arg.substring(eq + 1).trim());
      } else {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(arg))) {
          p.load(r);
        }
        p.forEach((k, v) -> props.put(k.toString(), v.toString()));
      }
    }
    StreamAppConfig config;
    try {
      config = new StreamAppConfig(props);
    } catch (ConfigException e) {
      System.err.println("freshet stream-app: " + e.getMessage());
      System.exit(2);
      return;
    }
    StreamApp app = start(config);
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  app.close();
                  done.countDown();
                },
                "stream-app-shutdown"));
    done.await();
  }

  /** Logs state-store restoration: where it starts, progress, and when it is done. */
  private static final class RestoreLogger implements StateRestoreListener {
    @Override
    public void onRestoreStart(TopicPartition tp, String store, long start, long end) {
      log.info(
          "restoring {} from {}: offsets {}..{} ({} records)", store, tp, start, end, end - start);
    }

    @Override
    public void onBatchRestored(TopicPartition tp, String store, long batchEnd, long restored) {
      log.debug("restoring {} from {}: {} records, now at {}", store, tp, restored, batchEnd);
    }

    @Override
    public void onRestoreEnd(TopicPartition tp, String store, long total) {
      log.info("restored {} from {}: {} records", store, tp, total);
    }
  }
}
