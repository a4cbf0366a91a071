package dev.freshet.streams.dashboard;

import dev.freshet.avro.SnapshotManifest;
import dev.freshet.streams.internals.PrequentialMeter;
import dev.freshet.streams.serving.ServingModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * This instance's figures for the dashboard, sampled once a second from its Kafka Streams metrics
 * (Freshet's sensors: recommendations by source, duplicates, dead letters, click-to-scored latency,
 * live prequential quality) and its served model. Keeps the newest {@value #POINTS} points.
 *
 * <p>Counts become rates per second from the change since the previous sample (a replaced stream
 * thread takes its counts with it; a fall is read as no change). Thread-safe.
 */
public final class InstanceSampler {

  /** Points kept: ten minutes at one a second. */
  public static final int POINTS = 600;

  private static final String FRESHET_GROUP = PrequentialMeter.GROUP;

  /**
   * One second of one instance; NaN where a figure does not exist (yet).
   *
   * @param t epoch second of the sample
   * @param recsModel recommendation lists from the model, per second
   * @param recsPopularity popularity lists (no model yet, or a user the model cannot score), per
   *     second
   * @param duplicates clicks dropped as duplicates, per second
   * @param deadLetters clicks sent to the dead-letter topic, per second
   * @param windowJudged judged clicks in the prequential window (all versions)
   * @param windowHits hits among them
   * @param windowNdcgSum NDCG gains summed over them
   * @param latencyAvgMs click event time → recommendation computed, average over Kafka Streams'
   *     sample window (about a minute), over the instance's threads
   * @param latencyMaxMs the same, maximum
   * @param servedVersion model version served, -1 before the first
   * @param instancesApplied training instances in the served snapshot
   * @param modelWrittenAt when the trainer wrote the served snapshot, epoch ms
   * @param modelMaxEventTime newest click event time in the served snapshot, epoch ms
   */
  public record Point(
      long t,
      double recsModel,
      double recsPopularity,
      double duplicates,
      double deadLetters,
      double windowJudged,
      double windowHits,
      double windowNdcgSum,
      double latencyAvgMs,
      double latencyMaxMs,
      double servedVersion,
      double instancesApplied,
      double modelWrittenAt,
      double modelMaxEventTime) {}

  /** Live quality of one model version's lists on this instance since it started. */
  public record VersionQuality(long version, long judged, long hits, double ndcgSum) {}

  /** The cumulative readings a sample is made of. */
  record Totals(
      double recsModel,
      double recsPopularity,
      double duplicates,
      double deadLetters,
      double windowJudged,
      double windowHitRatio,
      double windowNdcg,
      double latencyAvgMs,
      double latencyMaxMs,
      Map<Long, VersionQuality> versions) {}

  private final Supplier<Map<MetricName, ? extends Metric>> metrics;
  private final ServingModel model;
  private final ArrayDeque<Point> points = new ArrayDeque<>();
  private Totals last;
  private Map<Long, VersionQuality> versions = Map.of();

  /**
   * @param metrics the instance's Kafka Streams metrics ({@code KafkaStreams::metrics})
   * @param model the served model
   */
  public InstanceSampler(Supplier<Map<MetricName, ? extends Metric>> metrics, ServingModel model) {
    this.metrics = metrics;
    this.model = model;
  }

  /** Takes the sample of epoch second {@code t}. */
  public void sample(long t) {
    Totals now = read(metrics.get());
    Optional<ServingModel.Served> served = model.served();
    Point p;
    synchronized (this) {
      Totals before = last == null ? now : last;
      double window = now.windowJudged();
      p =
          new Point(
              t,
              rate(before.recsModel(), now.recsModel()),
              rate(before.recsPopularity(), now.recsPopularity()),
              rate(before.duplicates(), now.duplicates()),
              rate(before.deadLetters(), now.deadLetters()),
              window,
              Double.isNaN(now.windowHitRatio()) ? Double.NaN : now.windowHitRatio() * window,
              Double.isNaN(now.windowNdcg()) ? Double.NaN : now.windowNdcg() * window,
              now.latencyAvgMs(),
              now.latencyMaxMs(),
              model.version(),
              served.map(s -> (double) s.manifest().getInstancesApplied()).orElse(Double.NaN),
              served
                  .map(s -> (double) s.manifest().getCreatedAt().toEpochMilli())
                  .orElse(Double.NaN),
              served.map(s -> (double) maxEventTime(s.manifest())).orElse(Double.NaN));
      last = now;
      versions = now.versions();
      points.addLast(p);
      while (points.size() > POINTS) {
        points.removeFirst();
      }
    }
  }

  private static long maxEventTime(SnapshotManifest m) {
    return m.getMaxEventTime();
  }

  /** The points since epoch second {@code since} (exclusive), oldest first. */
  public synchronized List<Point> points(long since) {
    List<Point> out = new ArrayList<>();
    for (Point p : points) {
      if (p.t() > since) {
        out.add(p);
      }
    }
    return out;
  }

  /** Quality per model version at the newest sample, newest version first. */
  public synchronized List<VersionQuality> versions() {
    List<VersionQuality> out = new ArrayList<>(versions.values());
    out.sort((a, b) -> Long.compare(b.version(), a.version()));
    return out;
  }

  private static double rate(double before, double now) {
    if (Double.isNaN(before) || Double.isNaN(now)) {
      return now;
    }
    return Math.max(0, now - before);
  }

  /** Sums Freshet's sensors over the instance's threads. */
  static Totals read(Map<MetricName, ? extends Metric> all) {
    double model = 0;
    double popularity = 0;
    double duplicates = 0;
    double deadLetters = 0;
    double latencySum = 0;
    int latencyN = 0;
    double latencyMax = Double.NaN;
    double windowJudged = Double.NaN;
    double windowHr = Double.NaN;
    double windowNdcg = Double.NaN;
    Map<Long, double[]> versions = new TreeMap<>();
    for (Map.Entry<MetricName, ? extends Metric> e : all.entrySet()) {
      MetricName n = e.getKey();
      if (!FRESHET_GROUP.equals(n.group())) {
        continue;
      }
      double v = value(e.getValue());
      String entity = n.tags().getOrDefault("freshet-id", "");
      String version = n.tags().get("version");
      if (version != null) {
        if (version.equals(PrequentialMeter.ALL_VERSIONS)) {
          switch (n.name()) {
            case PrequentialMeter.WINDOW_JUDGED -> windowJudged = v;
            case PrequentialMeter.WINDOW_HIT_RATIO -> windowHr = v;
            case PrequentialMeter.WINDOW_NDCG -> windowNdcg = v;
            default -> {}
          }
        } else {
          long ver;
          try {
            ver = Long.parseLong(version);
          } catch (NumberFormatException x) {
            continue;
          }
          double[] q = versions.computeIfAbsent(ver, k -> new double[3]);
          switch (n.name()) {
            case PrequentialMeter.JUDGED_TOTAL -> q[0] = v;
            case PrequentialMeter.HITS_TOTAL -> q[1] = v;
            case PrequentialMeter.NDCG -> q[2] = v;
            default -> {}
          }
        }
        continue;
      }
      if (Double.isNaN(v)) {
        continue;
      }
      switch (entity) {
        case "recommendations" -> {
          switch (n.name()) {
            case "model-total" -> model += v;
            case "popularity-total" -> popularity += v;
            case "click-to-scored-latency-avg" -> {
              latencySum += v;
              latencyN++;
            }
            case "click-to-scored-latency-max" ->
                latencyMax = Double.isNaN(latencyMax) ? v : Math.max(latencyMax, v);
            default -> {}
          }
        }
        case "dedup" -> {
          if (n.name().equals("duplicate-total")) {
            duplicates += v;
          }
        }
        case "dlq" -> {
          if (n.name().endsWith("-total")) {
            deadLetters += v;
          }
        }
        default -> {}
      }
    }
    Map<Long, VersionQuality> byVersion = new TreeMap<>();
    versions.forEach(
        (ver, q) ->
            byVersion.put(
                ver,
                new VersionQuality(
                    ver, (long) q[0], (long) q[1], Double.isNaN(q[2]) ? 0 : q[2] * q[0])));
    return new Totals(
        model,
        popularity,
        duplicates,
        deadLetters,
        windowJudged,
        windowHr,
        windowNdcg,
        latencyN == 0 ? Double.NaN : latencySum / latencyN,
        latencyMax,
        byVersion);
  }

  private static double value(Metric m) {
    Object v = m.metricValue();
    return v instanceof Number num ? num.doubleValue() : Double.NaN;
  }
}
