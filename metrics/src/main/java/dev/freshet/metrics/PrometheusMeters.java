package dev.freshet.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One process's meters, the ecosystem's way: a Micrometer {@link PrometheusMeterRegistry} with the
 * JVM and process binders bound and a {@code component} tag on every series ({@code stream-app},
 * {@code trainer}). The owner binds its own meters and Kafka's binders ({@code
 * KafkaStreamsMetrics}, {@code KafkaClientMetrics}) to {@link #registry()}; its HTTP endpoint
 * serves {@link #scrape()}.
 *
 * <p>The metric names are listed in docs/operations.md ("Metrics").
 */
public final class PrometheusMeters implements AutoCloseable {

  /** The content type of {@link #scrape()}: Prometheus text exposition format 0.0.4. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /**
   * How often a Kafka binder looks for metrics that appeared since it was bound (a new task after a
   * rebalance, the prequential series of a new model version). Micrometer's default is a minute.
   */
  public static final Duration KAFKA_REFRESH = Duration.ofSeconds(5);

  private final PrometheusMeterRegistry registry;
  private final Deque<AutoCloseable> owned = new ArrayDeque<>();

  /** A registry tagged {@code component=<component>}, with the JVM and process meters bound. */
  public PrometheusMeters(String component) {
    Objects.requireNonNull(component, "component");
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("component", component);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new JvmInfoMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    bind(new JvmGcMetrics());
  }

  /** The registry to bind meters to. */
  public MeterRegistry registry() {
    return registry;
  }

  /**
   * Binds {@code binder} and closes it with this registry (a binder that holds threads or
   * listeners: Kafka's, the GC's). Returns the binder, so the caller can close it earlier.
   */
  public <T extends MeterBinder & AutoCloseable> T bind(T binder) {
    binder.bindTo(registry);
    synchronized (owned) {
      owned.push(binder);
    }
    return binder;
  }

  /**
   * A scheduler for one Kafka binder's refresh (a daemon thread): a Kafka binder shuts its
   * scheduler down when it is closed, so binders do not share one.
   */
  public static ScheduledExecutorService kafkaScheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, "meters-" + name);
          t.setDaemon(true);
          return t;
        });
  }

  /** Every meter in the Prometheus text exposition format ({@link #CONTENT_TYPE}). */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    synchronized (owned) {
      while (!owned.isEmpty()) {
        try {
          owned.pop().close();
        } catch (Exception e) {
          // a binder that fails to close holds nothing the registry's close does not release
        }
      }
    }
    registry.close();
  }
}
