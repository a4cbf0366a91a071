package dev.freshet.bench.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Per-second deltas of cumulative client metrics of a Kafka Streams app (summed over its clients,
 * without the per-topic and per-partition copies), next to counters of the harness's own, sampled
 * by a daemon thread: where the stream thread's time went in each second of a latency run. Kafka's
 * own max and avg metrics are windowed over 30 s and cannot show a transient of a few seconds.
 */
final class PerSecond implements AutoCloseable {
  /** One column: a metric's group and name, its heading, and a divisor (1e6: ns to ms). */
  record Column(String group, String name, String heading, double divisor) {
    /** A cumulative count. */
    static Column count(String group, String name, String heading) {
      return new Column(group, name, heading, 1);
    }

    /** A cumulative time in ns, shown in ms. */
    static Column nanos(String group, String name, String heading) {
      return new Column(group, name, heading, 1e6);
    }
  }

  private static final String FETCH = "consumer-fetch-manager-metrics";
  private static final String THREAD = "stream-thread-metrics";
  private static final String PRODUCER = "producer-metrics";

  static final List<Column> STREAMS_COLUMNS =
      List.of(
          Column.count(FETCH, "records-consumed-total", "consumed"),
          Column.count(FETCH, "fetch-total", "fetches"),
          Column.count(THREAD, "poll-total", "polls"),
          Column.count(THREAD, "process-total", "processed"),
          Column.count(THREAD, "punctuate-total", "punct"),
          Column.count(THREAD, "commit-total", "commits"),
          Column.nanos(THREAD, "blocked-time-ns-total", "blocked ms"),
          Column.nanos("consumer-metrics", "io-wait-time-ns-total", "cons io-wait ms"),
          Column.nanos(PRODUCER, "flush-time-ns-total", "flush ms"),
          Column.nanos(PRODUCER, "txn-send-offsets-time-ns-total", "offsets ms"),
          Column.nanos(PRODUCER, "txn-commit-time-ns-total", "txn-commit ms"),
          Column.nanos(PRODUCER, "bufferpool-wait-time-ns-total", "buf-wait ms"),
          Column.count(PRODUCER, "record-retry-total", "retries"));

  private final Supplier<Map<MetricName, ? extends Metric>> metrics;
  private final List<Column> columns;
  private final Map<String, LongSupplier> own;
  private final List<double[]> rows = new ArrayList<>();
  private final ScheduledExecutorService sampler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "per-second-sampler");
            t.setDaemon(true);
            return t;
          });
  private double[] last;

  /**
   * @param own cumulative harness counters to print as deltas too (name → reader), e.g. clicks
   *     sent; each is read once per second, on the sampler thread
   */
  PerSecond(
      Supplier<Map<MetricName, ? extends Metric>> metrics,
      List<Column> columns,
      Map<String, LongSupplier> own) {
    this.metrics = metrics;
    this.columns = columns;
    this.own = own;
    last = sample();
    sampler.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  /** One row: the growth of every column since the last tick (runs on the sampler thread). */
  private void tick() {
    double[] now = sample();
    double[] delta = new double[now.length];
    for (int i = 0; i < now.length; i++) {
      delta[i] = now[i] - last[i];
    }
    last = now;
    synchronized (rows) {
      rows.add(delta);
    }
  }

  private double[] sample() {
    double[] v = new double[columns.size() + own.size()];
    for (Map.Entry<MetricName, ? extends Metric> e : metrics.get().entrySet()) {
      MetricName n = e.getKey();
      if (n.tags().containsKey("topic") || n.tags().containsKey("partition")) {
        continue;
      }
      for (int i = 0; i < columns.size(); i++) {
        Column c = columns.get(i);
        if (c.group().equals(n.group()) && c.name().equals(n.name())) {
          Object value = e.getValue().metricValue();
          if (value instanceof Number num && Double.isFinite(num.doubleValue())) {
            v[i] += num.doubleValue() / c.divisor();
          }
        }
      }
    }
    int i = columns.size();
    for (LongSupplier counter : own.values()) {
      v[i++] = counter.getAsLong();
    }
    return v;
  }

  /** The table so far, one row per second, with {@code extra} (e.g. the worst latency) appended. */
  String table(String extraHeading, long[] extra) {
    StringBuilder b = new StringBuilder("| s |");
    for (Column c : columns) {
      b.append(' ').append(c.heading()).append(" |");
    }
    for (String name : own.keySet()) {
      b.append(' ').append(name).append(" |");
    }
    b.append(' ').append(extraHeading).append(" |\n|---|");
    b.append("---:|".repeat(columns.size() + own.size() + 1)).append('\n');
    synchronized (rows) {
      for (int s = 0; s < rows.size(); s++) {
        b.append("| ").append(s).append(" |");
        for (double d : rows.get(s)) {
          b.append(String.format(Locale.ROOT, " %.0f |", d));
        }
        b.append(' ').append(s < extra.length ? Long.toString(extra[s]) : "").append(" |\n");
      }
    }
    return b.toString();
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
