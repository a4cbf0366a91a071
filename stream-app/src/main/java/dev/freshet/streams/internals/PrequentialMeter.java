package dev.freshet.streams.internals;

import dev.freshet.avro.Judgement;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.MeasurableStat;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * Live prequential quality of the lists the app emits: every judged click (was its item in the
 * user's last list, and at which rank) moves HR@K and NDCG@K, per model version of the judged list
 * and over all versions, since start and over the last {@code window} judged clicks.
 *
 * <p>NDCG@K of one click with one relevant item is {@code 1 / log2(rank + 2)} for a 0-based rank in
 * the list and 0 for a miss; HR@K is the share of hits. K is the length of the judged list.
 *
 * <p>One meter serves every task of a Kafka Streams instance (the figures are the instance's), so
 * it is thread-safe. Its metrics live in Kafka Streams' registry (group {@value #GROUP}, tag {@code
 * version}: a model version, {@code -1} for popularity lists, or {@code all}) and so appear on
 * {@code /metrics} like the app's other sensors. Only the newest {@code versions} versions keep a
 * series; an older version's series is removed when a newer one is judged.
 */
public final class PrequentialMeter {

  /** The metric group, the same as the app's other sensors (scope {@code freshet}). */
  public static final String GROUP = "stream-freshet-metrics";

  public static final String JUDGED_TOTAL = "prequential-judged-total";
  public static final String HITS_TOTAL = "prequential-hits-total";
  public static final String HIT_RATIO = "prequential-hit-ratio";
  public static final String NDCG = "prequential-ndcg";
  public static final String WINDOW_JUDGED = "prequential-window-judged";
  public static final String WINDOW_HIT_RATIO = "prequential-window-hit-ratio";
  public static final String WINDOW_NDCG = "prequential-window-ndcg";
  public static final String NOT_JUDGED_TOTAL = "prequential-not-judged-total";
  public static final String ALL_VERSIONS = "all";

  private final int window;
  private final int versions;
  private final Figures all;
  private final Map<Long, Figures> byVersion = new LinkedHashMap<>();
  private volatile long notJudged;
  private StreamsMetrics metrics;
  private Sensor allSensor;

  public PrequentialMeter(int window, int versions) {
    if (window < 1 || versions < 1) {
      throw new IllegalArgumentException(
          "window and versions must be >= 1, were " + window + " and " + versions);
    }
    this.window = window;
    this.versions = versions;
    this.all = new Figures(window);
  }

  /** The NDCG gain of a hit at 0-based {@code rank}; 0 for a miss ({@code rank < 0}). */
  public static double gain(int rank) {
    return rank < 0 ? 0.0 : 1.0 / (Math.log(rank + 2) / Math.log(2));
  }

  /**
   * Registers the meter's metrics with the instance's registry; later calls (one per task) are
   * no-ops.
   */
  public synchronized void bind(StreamsMetrics streamsMetrics) {
    Objects.requireNonNull(streamsMetrics, "streamsMetrics");
    if (metrics != null) {
      return;
    }
    metrics = streamsMetrics;
    allSensor = register(ALL_VERSIONS, all);
    allSensor.add(
        name(NOT_JUDGED_TOTAL, ALL_VERSIONS, "Clicks of users who had no list yet."),
        new Reading(this::notJudged));
    for (Map.Entry<Long, Figures> e : byVersion.entrySet()) {
      e.getValue().sensor = register(Long.toString(e.getKey()), e.getValue());
    }
  }

  /** Counts a click of a user who had no list yet: it is not judged. */
  public synchronized void recordNotJudged() {
    notJudged++;
  }

  /** Counts one judged click. */
  public synchronized void record(Judgement judgement) {
    Objects.requireNonNull(judgement, "judgement");
    double gain = gain(judgement.getRank());
    all.add(judgement.getHit(), gain);
    Figures f = byVersion.get(judgement.getModelVersion());
    if (f == null) {
      f = new Figures(window);
      byVersion.put(judgement.getModelVersion(), f);
      if (metrics != null) {
        f.sensor = register(Long.toString(judgement.getModelVersion()), f);
      }
      evictOldVersions();
    }
    f.add(judgement.getHit(), gain);
  }

  /** Clicks not judged so far. */
  public long notJudged() {
    return notJudged;
  }

  private void evictOldVersions() {
    Iterator<Map.Entry<Long, Figures>> it = byVersion.entrySet().iterator();
    while (byVersion.size() > versions && it.hasNext()) {
      Figures old = it.next().getValue();
      it.remove();
      if (old.sensor != null) {
        metrics.removeSensor(old.sensor);
      }
    }
  }

  private Sensor register(String version, Figures f) {
    Sensor s =
        metrics.addSensor("freshet.prequential.version-" + version, Sensor.RecordingLevel.INFO);
    s.add(name(JUDGED_TOTAL, version, "Judged clicks since start."), reading(() -> f.judged));
    s.add(name(HITS_TOTAL, version, "Hits since start."), reading(() -> f.hits));
    s.add(
        name(HIT_RATIO, version, "HR@K since start: share of judged clicks that were hits."),
        reading(() -> f.judged == 0 ? Double.NaN : (double) f.hits / f.judged));
    s.add(
        name(NDCG, version, "NDCG@K since start, mean over judged clicks."),
        reading(() -> f.judged == 0 ? Double.NaN : f.gain / f.judged));
    s.add(
        name(WINDOW_JUDGED, version, "Judged clicks in the window (at most prequential.window)."),
        reading(() -> f.size));
    s.add(
        name(WINDOW_HIT_RATIO, version, "HR@K over the last prequential.window judged clicks."),
        reading(() -> f.size == 0 ? Double.NaN : (double) f.windowHits / f.size));
    s.add(
        name(WINDOW_NDCG, version, "NDCG@K over the last prequential.window judged clicks."),
        reading(() -> f.size == 0 ? Double.NaN : f.windowGain / f.size));
    return s;
  }

  private static Reading reading(DoubleSupplier value) {
    return new Reading(value);
  }

  private static MetricName name(String name, String version, String doc) {
    return new MetricName(name, GROUP, doc, Map.of("version", version));
  }

  /** Counts of one version (or all): since start, and a ring of the last {@code window} gains. */
  private static final class Figures {
    // Written under the meter's lock, read by gauges without it (volatile: a gauge may see one
    // field a click newer than another, never a torn value). The gauges must not take the
    // meter's lock: the registry holds a sensor's lock while it reads one, and the meter holds
    // its own while it adds or removes sensors.
    final float[] ring;
    volatile long judged;
    volatile long hits;
    volatile double gain;
    int next;
    volatile int size;
    volatile int windowHits;
    volatile double windowGain;
    Sensor sensor;

    Figures(int window) {
      ring = new float[window];
    }

    void add(boolean hit, double g) {
      judged++;
      if (hit) {
        hits++;
      }
      gain += g;
      if (size == ring.length) {
        float old = ring[next];
        if (old > 0) {
          windowHits--;
        }
        windowGain -= old;
      } else {
        size++;
      }
      ring[next] = (float) g;
      next = (next + 1) % ring.length;
      if (hit) {
        windowHits++;
      }
      windowGain += (float) g;
      if (size == 1 || next == 0) {
        // Re-sum once per lap so the running window sum cannot drift.
        double sum = 0;
        for (int i = 0; i < size; i++) {
          sum += ring[i];
        }
        windowGain = sum;
      }
    }
  }

  /** A gauge read from the meter (it records nothing itself). */
  private static final class Reading implements MeasurableStat {
    private final DoubleSupplier value;

    Reading(DoubleSupplier value) {
      this.value = value;
    }

    @Override
    public double measure(MetricConfig config, long now) {
      return value.getAsDouble();
    }

    @Override
    public void record(MetricConfig config, double value, long timeMs) {
      // A reading is computed from the meter when measured; the sensor is never recorded.
    }
  }
}
